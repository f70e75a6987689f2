package dev.driftline.runtime.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.io.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DeadLetterJsonTest {
  static final int LIMIT = 1_047_552; // a 1 MiB request less the writer's 1 KiB of record overhead

  static DeadLetter letter(String reason, byte[] key, byte[] value) {
    return new DeadLetter("decode:predictions", reason, "predictions", 1, 4711L, key, value, 1_772_409_600_000L,
        1_796_496_212_361L);
  }

  static JsonNode tree(byte[] json) {
    try {
      return Json.mapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** {@code n} bytes repeating BEL, a quote, two backslashes and "u0007". */
  static byte[] escapeHeavy(int n) {
    byte[] unit = "\u0007\"\\\\u0007".getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      out[i] = unit[i % unit.length];
    }
    return out;
  }

  @Test
  void smallDeadLetterIsWholeAndRoundTrips() {
    DeadLetter d = letter("score: expected a number, got \"x\"", "credit-default".getBytes(StandardCharsets.UTF_8),
        "{\"score\":\"x\"}".getBytes(StandardCharsets.UTF_8));
    byte[] json = DeadLetterJson.toJson(d, 4096);
    assertThat(json).isEqualTo(DeadLetterJson.toJson(d));
    JsonNode n = tree(json);
    assertThat(n.get("value").asText()).isEqualTo("{\"score\":\"x\"}");
    assertThat(n.get("value_length").asLong()).isEqualTo(13);
    assertThat(n.get("value_truncated").asBoolean()).isFalse();
    assertThat(n.get("key_length").asLong()).isEqualTo(14);
    assertThat(DeadLetterJson.fromJson(json)).isEqualTo(d);
  }

  @Test
  void escapeHeavyValueJustUnderTheDecoderLimitIsCutToFitWithItsOriginalLength() {
    byte[] value = escapeHeavy(1_048_000);
    DeadLetter d = letter("invalid JSON: Illegal unquoted character ((CTRL-CHAR, code 7))", "credit-default".getBytes(
        StandardCharsets.UTF_8), value);
    assertThat(DeadLetterJson.toJson(d).length).as("whole, escaped").isGreaterThan(1_970_000);

    byte[] json = DeadLetterJson.toJson(d, LIMIT);
    assertThat(json.length).isLessThanOrEqualTo(LIMIT).isGreaterThan(LIMIT - 8);
    JsonNode n = tree(json);
    assertThat(n.get("value_length").asLong()).isEqualTo(1_048_000);
    assertThat(n.get("value_truncated").asBoolean()).isTrue();
    assertThat(n.get("value_encoding").asText()).isEqualTo("utf8");
    assertThat(n.get("topic").asText()).isEqualTo("predictions");
    assertThat(n.get("partition").asInt()).isEqualTo(1);
    assertThat(n.get("offset").asLong()).isEqualTo(4711L);
    assertThat(n.get("reason").asText()).isEqualTo(d.reason());
    DeadLetter back = DeadLetterJson.fromJson(json);
    assertThat(back.valueLength()).isEqualTo(1_048_000);
    assertThat(back.value()).isEqualTo(Arrays.copyOf(value, back.value().length));
    // BEL costs 6 bytes, quote and the two backslashes 2 each, the other five 1 each: 17 per 9-byte unit.
    assertThat(back.value().length).isBetween(LIMIT * 9 / 17 - 600, LIMIT * 9 / 17);
  }

  @Test
  void cutNeverSplitsACharacter() {
    String text = "é😀".repeat(10_000); // 2 + 4 bytes per pair
    DeadLetter d = letter("invalid JSON", null, text.getBytes(StandardCharsets.UTF_8));
    byte[] json = DeadLetterJson.toJson(d, 8_191);
    assertThat(json.length).isLessThanOrEqualTo(8_191);
    DeadLetter back = DeadLetterJson.fromJson(json);
    String kept = new String(back.value(), StandardCharsets.UTF_8);
    assertThat(text.startsWith(kept)).as("the kept text is a prefix of whole characters").isTrue();
    assertThat(kept.length() % 3).as("never half a surrogate pair").isIn(0, 1);
    // é costs 2 bytes, the emoji 12 (Jackson writes a surrogate pair as two escapes): 14 per pair.
    assertThat(kept.length() / 3).isBetween(7_800 / 14, 8_191 / 14);
    assertThat(back.key()).isNull();
  }

  @Test
  void binaryValueStaysBase64AndIsCutToWholeBytes() {
    byte[] value = new byte[600_000];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) (i * 31 + 0x80);
    }
    DeadLetter d = letter("invalid JSON: Invalid UTF-8 start byte 0x80", null, value);
    byte[] json = DeadLetterJson.toJson(d, 100_000);
    assertThat(json.length).isLessThanOrEqualTo(100_000);
    JsonNode n = tree(json);
    assertThat(n.get("value_encoding").asText()).isEqualTo("base64");
    byte[] kept = Base64.getDecoder().decode(n.get("value").asText());
    assertThat(kept).isEqualTo(Arrays.copyOf(value, kept.length));
    assertThat(kept.length).isBetween(74_000, 75_000);
    assertThat(n.get("value_length").asLong()).isEqualTo(600_000);
  }

  @Test
  void longReasonAndKeyAreCutWhenTheLetterMustShrink() {
    String reason = "features.note: expected at most 64 characters, got \"" + "x".repeat(50_000) + "\"";
    byte[] key = "k".repeat(20_000).getBytes(StandardCharsets.UTF_8);
    DeadLetter d = letter(reason, key, escapeHeavy(200_000));
    JsonNode n = tree(DeadLetterJson.toJson(d, 65_536));
    assertThat(n.get("reason").asText()).hasSize(1024 + "... (reason cut from 50053 characters)".length())
        .startsWith("features.note: expected at most 64 characters").endsWith("... (reason cut from 50053 characters)");
    assertThat(n.get("key").asText()).isEqualTo("k".repeat(1024));
    assertThat(n.get("key_length").asLong()).isEqualTo(20_000);
    assertThat(n.get("key_truncated").asBoolean()).isTrue();
    assertThat(n.get("value_truncated").asBoolean()).isTrue();
  }

  @Test
  void escapedLengthsAreJacksonsOwn() {
    for (int cp : new int[] {0, 7, 8, 9, 10, 12, 13, 31, '"', '\\', '/', 'a', 0x7f, 0xe9, 0x20ac, 0x1f600}) {
      String s = new String(Character.toChars(cp));
      int written = Json.bytes(s).length - 2; // less the quotes
      assertThat(DeadLetterJson.escapedLength(cp)).as("U+%04X", cp).isEqualTo(written);
    }
  }

  @Test
  void limitTooSmallForTheFieldsIsRefused() {
    DeadLetter d = letter("x".repeat(900), null, new byte[10]);
    assertThatThrownBy(() -> DeadLetterJson.toJson(d, 500)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("dead letter: 500 bytes cannot hold its cut fields");
  }
}
