package dev.driftline.core.io;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * One copy per JVM of what every operator of a job carries (the monitor specs, the baselines):
 * Flink gives each subtask of each operator its own deserialized copy of a function's fields, so a
 * job of 20 operators at parallelism 2 would otherwise hold 40 copies of a thousand models' specs.
 * A value is identified by a fingerprint of its serialized form, computed once where the job is
 * built; {@link #intern} returns the copy already in use in this JVM (class loader), if any. Copies
 * no operator holds any more are collected.
 */
public final class Interned {
  private static final Map<String, WeakReference<Object>> VALUES = new HashMap<>();

  private Interned() {}

  /** SHA-256 of {@code value}'s Java serialization, in hex. */
  public static String fingerprint(Serializable value) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (ObjectOutputStream out = new ObjectOutputStream(new OutputStream() {
        @Override
        public void write(int b) {
          digest.update((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          digest.update(b, off, len);
        }
      })) {
        out.writeObject(value);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot fingerprint " + value.getClass().getSimpleName(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * The value with this fingerprint already in use in this JVM, else {@code value} (which becomes
   * the one in use). The fingerprint must have been computed from a value equal to {@code value}.
   */
  @SuppressWarnings("unchecked")
  public static <T> T intern(String fingerprint, T value) {
    synchronized (VALUES) {
      WeakReference<Object> ref = VALUES.get(fingerprint);
      Object existing = ref == null ? null : ref.get();
      if (existing != null && existing.getClass() == value.getClass()) {
        return (T) existing;
      }
      VALUES.put(fingerprint, new WeakReference<>(value));
      if (VALUES.size() > 64) {
        VALUES.values().removeIf(r -> r.get() == null);
      }
      return value;
    }
  }
}
