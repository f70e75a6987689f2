package dev.driftline.core.io;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growing byte array to write binary forms into, as {@link java.io.ByteArrayOutputStream} but
 * without its lock per call: state is written byte by byte (varints), and an uncontended lock
 * costs more than the write itself. Not thread-safe; one instance per serialization.
 */
public final class ByteSink extends OutputStream {
  private byte[] bytes;
  private int size;

  public ByteSink() {
    this(256);
  }

  public ByteSink(int capacity) {
    bytes = new byte[Math.max(16, capacity)];
  }

  @Override
  public void write(int b) {
    if (size == bytes.length) {
      grow(size + 1);
    }
    bytes[size++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    if (size + len > bytes.length) {
      grow(size + len);
    }
    System.arraycopy(b, off, bytes, size, len);
    size += len;
  }

  public int size() {
    return size;
  }

  /** A copy of what was written. */
  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  private void grow(int needed) {
    if (needed < 0) {
      throw new OutOfMemoryError("more than 2 GiB written");
    }
    bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(needed, 2L * bytes.length)));
  }
}
