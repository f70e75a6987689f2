package dev.driftline.runtime.deadletter;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A record Driftline could not use, kept with everything needed to find, understand and replay
 * it: the original bytes, the reason, and where it came from. Written as JSON to the dead-letter
 * topic; nothing that fails is dropped without one.
 *
 * @param stage which step refused it, e.g. {@code decode:predictions} or {@code elasticsearch:driftline-drift-2026.01}
 * @param reason one line: what was wrong and where, e.g. {@code features.income: expected a number, got "abc"}
 * @param topic source topic, or null when the record did not come from Kafka
 * @param partition source partition, -1 when unknown
 * @param offset source offset, -1 when unknown
 * @param key original key bytes, or null
 * @param value original value bytes, or null; may be only the first bytes of the original (see {@code valueLength})
 * @param recordTimestamp the source record's timestamp (epoch millis), -1 when unknown
 * @param failedAt when the failure was seen (epoch millis)
 * @param valueLength how many bytes the original value had; more than {@code value.length} when a
 *     step kept only its first bytes (an oversized record), -1 when the value is null
 */
public record DeadLetter(
    String stage,
    String reason,
    String topic,
    int partition,
    long offset,
    byte[] key,
    byte[] value,
    long recordTimestamp,
    long failedAt,
    long valueLength) implements Serializable {
  private static final long serialVersionUID = 2L;

  public DeadLetter {
    if (value != null && valueLength < value.length) {
      throw new IllegalArgumentException("dead letter value length: expected at least " + value.length + ", got " + valueLength);
    }
  }

  /** A dead letter that keeps the whole original value. */
  public DeadLetter(String stage, String reason, String topic, int partition, long offset, byte[] key, byte[] value,
      long recordTimestamp, long failedAt) {
    this(stage, reason, topic, partition, offset, key, value, recordTimestamp, failedAt, value == null ? -1 : value.length);
  }

  /** {@code bytes} as UTF-8 text, or null when they are not valid UTF-8 (or null). */
  static String utf8OrNull(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeadLetter d
        && stage.equals(d.stage) && reason.equals(d.reason) && Objects.equals(topic, d.topic)
        && partition == d.partition && offset == d.offset && Arrays.equals(key, d.key)
        && Arrays.equals(value, d.value) && recordTimestamp == d.recordTimestamp && failedAt == d.failedAt
        && valueLength == d.valueLength;
  }

  @Override
  public int hashCode() {
    return Objects.hash(stage, reason, topic, partition, offset, Arrays.hashCode(key),
        Arrays.hashCode(value), recordTimestamp, failedAt, valueLength);
  }

  @Override
  public String toString() {
    return "DeadLetter[" + stage + " " + topic + "/" + partition + "@" + offset + ": " + reason + "]";
  }
}
