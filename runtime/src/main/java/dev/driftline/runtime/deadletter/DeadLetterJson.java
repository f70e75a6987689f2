package dev.driftline.runtime.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The JSON form of a {@link DeadLetter} on the dead-letter topic and in the dead-letter index. The
 * original key and value are kept as text when they are valid UTF-8 ({@code value_encoding: utf8})
 * and as base64 otherwise ({@code value_encoding: base64}); {@code value_length} is the original
 * value's size in bytes and {@code value_truncated} says whether {@code value} holds fewer bytes
 * (likewise {@code key_length} and {@code key_truncated}).
 *
 * <p>{@link #toJson(DeadLetter, int)} bounds the document: a dead letter must fit the topic that
 * keeps it whatever the input was, and JSON escaping can make a record six times larger (a control
 * byte becomes {@code \u0007}). Over the bound, the reason is cut to {@value #CUT_REASON_CHARS}
 * characters, the key to {@value #CUT_KEY_CHARS}, and the value to the longest prefix that fits
 * (whole characters of a UTF-8 value); the source topic, partition and offset always stay, so the
 * whole record can still be found where it came from.
 */
public final class DeadLetterJson {
  /** Of a dead letter that has to be cut, the reason keeps at most this many characters ... */
  static final int CUT_REASON_CHARS = 1024;
  /** ... and the key at most this many characters (or bytes, when it is not UTF-8). */
  static final int CUT_KEY_CHARS = 1024;

  private DeadLetterJson() {}

  /** The whole dead letter, however large. */
  public static byte[] toJson(DeadLetter d) {
    return toJson(d, Integer.MAX_VALUE);
  }

  /**
   * The dead letter in at most {@code maxBytes} bytes of JSON (see the class doc).
   *
   * @throws IllegalArgumentException when {@code maxBytes} cannot hold even the cut fields
   */
  public static byte[] toJson(DeadLetter d, int maxBytes) {
    byte[] whole = write(d, d.reason(), d.key(), d.value());
    if (whole.length <= maxBytes) {
      return whole;
    }
    String reason = cutReason(d.reason());
    byte[] key = d.key() == null ? null : prefix(d.key(), base64(d.key()), CUT_KEY_CHARS, Integer.MAX_VALUE);
    if (d.value() == null) {
      return fitting(write(d, reason, key, null), maxBytes);
    }
    byte[] empty = fitting(write(d, reason, key, new byte[0]), maxBytes);
    int room = maxBytes - empty.length;
    byte[] out = write(d, reason, key, prefix(d.value(), base64(d.value()), Integer.MAX_VALUE, room));
    // The escaping estimate is exact for Jackson's defaults; should it ever not be, shrink until it fits.
    while (out.length > maxBytes) {
      room -= out.length - maxBytes + 16;
      out = write(d, reason, key, prefix(d.value(), base64(d.value()), Integer.MAX_VALUE, room));
    }
    return out;
  }

  public static DeadLetter fromJson(byte[] json) {
    try {
      JsonNode n = Json.mapper().readTree(json);
      byte[] value = bytes(n, "value");
      return new DeadLetter(n.path("stage").asText(), n.path("reason").asText(),
          n.path("topic").isNull() ? null : n.path("topic").asText(null),
          n.path("partition").asInt(-1), n.path("offset").asLong(-1),
          bytes(n, "key"), value,
          n.path("record_timestamp").asLong(-1), n.path("failed_at").asLong(-1),
          value == null ? -1 : n.path("value_length").asLong(value.length));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The reason, cut to {@link #CUT_REASON_CHARS} characters with a note of its length when longer. */
  static String cutReason(String reason) {
    if (reason.length() <= CUT_REASON_CHARS) {
      return reason;
    }
    int end = Character.isHighSurrogate(reason.charAt(CUT_REASON_CHARS - 1)) ? CUT_REASON_CHARS - 1 : CUT_REASON_CHARS;
    return reason.substring(0, end) + "... (reason cut from " + reason.length() + " characters)";
  }

  private static byte[] fitting(byte[] json, int maxBytes) {
    if (json.length > maxBytes) {
      throw new IllegalArgumentException("dead letter: " + maxBytes + " bytes cannot hold its cut fields ("
          + json.length + " bytes without the value)");
    }
    return json;
  }

  private static byte[] write(DeadLetter d, String reason, byte[] key, byte[] value) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("stage", d.stage());
    n.put("reason", reason);
    n.put("topic", d.topic());
    n.put("partition", d.partition());
    n.put("offset", d.offset());
    n.put("record_timestamp", d.recordTimestamp());
    n.put("failed_at", d.failedAt());
    putBytes(n, "key", key, d.key() == null ? -1 : d.key().length, base64(d.key()));
    putBytes(n, "value", value, d.valueLength(), base64(d.value()));
    try {
      return Json.mapper().writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the original bytes are kept as base64 (they are not UTF-8); a prefix keeps the whole's encoding. */
  private static boolean base64(byte[] original) {
    return original != null && DeadLetter.utf8OrNull(original) == null;
  }

  private static void putBytes(ObjectNode n, String field, byte[] bytes, long originalLength, boolean base64) {
    if (bytes == null) {
      n.putNull(field);
      return;
    }
    n.put(field, base64 ? Base64.getEncoder().encodeToString(bytes) : new String(bytes, StandardCharsets.UTF_8));
    n.put(field + "_encoding", base64 ? "base64" : "utf8");
    n.put(field + "_length", originalLength);
    n.put(field + "_truncated", bytes.length < originalLength);
  }

  /**
   * The longest prefix of {@code bytes} of at most {@code maxChars} characters (bytes, for base64)
   * whose JSON string form takes at most {@code maxJsonBytes} bytes between its quotes.
   */
  private static byte[] prefix(byte[] bytes, boolean base64, int maxChars, int maxJsonBytes) {
    if (base64) {
      long fit = Math.min(maxChars, (long) Math.max(0, maxJsonBytes) / 4 * 3);
      return fit >= bytes.length ? bytes : Arrays.copyOf(bytes, (int) fit);
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    int i = 0;
    int chars = 0;
    long json = 0;
    while (i < text.length() && chars < maxChars) {
      int cp = text.codePointAt(i);
      json += escapedLength(cp);
      if (json > maxJsonBytes) {
        break;
      }
      i += Character.charCount(cp);
      chars++;
    }
    return i == text.length() ? bytes : text.substring(0, i).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Bytes Jackson writes for {@code cp} inside a JSON string with its default escaping: short
   * escapes for quote, backslash and five controls, {@code \\u00XX} for the other controls, UTF-8
   * up to U+FFFF, and a surrogate pair as two {@code \\uXXXX} escapes beyond.
   */
  static int escapedLength(int cp) {
    if (cp == '"' || cp == '\\' || cp == '\b' || cp == '\t' || cp == '\n' || cp == '\f' || cp == '\r') {
      return 2;
    }
    if (cp < 0x20) {
      return 6;
    }
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 12;
  }

  private static byte[] bytes(JsonNode n, String field) {
    JsonNode text = n.get(field);
    if (text == null || text.isNull()) {
      return null;
    }
    return "base64".equals(n.path(field + "_encoding").asText())
        ? Base64.getDecoder().decode(text.asText())
        : text.asText().getBytes(StandardCharsets.UTF_8);
  }
}
