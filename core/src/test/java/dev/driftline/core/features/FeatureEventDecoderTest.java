package dev.driftline.core.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.io.Decoded;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FeatureEventDecoderTest {
  final FeatureEventDecoder decoder = new FeatureEventDecoder(EntityFeaturesTest.VIEW);

  @Test
  void decodesEntityTimeAndFields() {
    Decoded<FeatureEvent> d = decoder.decode(
        "{\"card_id\":42,\"ts\":\"2026-03-02T00:00:01Z\",\"amount\":9.5,\"merchant\":\"m7\",\"extra\":true}".getBytes(StandardCharsets.UTF_8));
    assertThat(d.isOk()).isTrue();
    assertThat(d.value().entity()).isEqualTo("42");
    assertThat(d.value().timestamp()).isEqualTo(1_772_409_601_000L);
    assertThat(d.value().numbers()).containsExactly(9.5);
    assertThat(d.value().texts()).containsExactly("m7");
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " => ", textBlock = """
      {"ts":1772409600000,"amount":1,"merchant":"m"} => card_id: expected an entity key (a non-empty string or a whole number), got nothing
      {"card_id":" ","ts":1772409600000,"amount":1,"merchant":"m"} => card_id: expected an entity key (a non-empty string or a whole number), got " "
      {"card_id":"c","amount":1,"merchant":"m"} => ts: expected epoch millis or an ISO-8601 time, got nothing
      {"card_id":"c","ts":1772409600,"amount":1,"merchant":"m"} => ts: expected epoch millis or an ISO-8601 time, got 1772409600 (before 2001-09-09T01:46:40Z: seconds, not millis?)
      {"card_id":"c","ts":1772409600000,"amount":"12","merchant":"m"} => amount: expected a finite number, got "12"
      {"card_id":"c","ts":1772409600000,"merchant":"m"} => amount: expected a finite number, got nothing
      {"card_id":"c","ts":1772409600000,"amount":1,"merchant":{}} => merchant: expected a string, number or boolean, got {}
      {"card_id":"c","ts":1772409600000,"amount":NaN,"merchant":"m"} => amount: expected a finite number, got NaN
      {"card_id":"c","ts":1772409600000,"amount":-Infinity,"merchant":"m"} => amount: expected a finite number, got -Infinity
      {"card_id":"c","ts":1772409600000,"amount":1,"merchant":Infinity} => merchant: expected a string, number or boolean, got Infinity
      {"card_id":"c","ts":"9999-01-01T00:00:00Z","amount":1,"merchant":"m"} => ts: expected epoch millis or an ISO-8601 time, got "9999-01-01T00:00:00Z" (more than 24h in the future)
      {"card_id":"c","ts":18446744073709551616,"amount":1,"merchant":"m"} => ts: expected epoch millis or an ISO-8601 time, got 18446744073709551616
      [1,2] => expected a JSON object, got array
      """)
  void refusesWithTheFieldAndReason(String json, String reason) {
    Decoded<FeatureEvent> d = decoder.decode(json.getBytes(StandardCharsets.UTF_8));
    assertThat(d.isOk()).isFalse();
    assertThat(d.error()).isEqualTo(reason);
  }

  @Test
  void refusesUnparseableJson() {
    assertThat(decoder.decode("{\"card_id\":".getBytes(StandardCharsets.UTF_8)).error()).startsWith("invalid JSON: ");
  }

  /**
   * The time read at the source (tokens only) is the time the tree would give for every kind of
   * record, and -1 for each that is not one JSON object, as before the tree was dropped.
   */
  @ParameterizedTest
  @CsvSource(delimiterString = " => ", textBlock = """
      {"card_id":"c","ts":1772409600000,"amount":1,"merchant":"m"} => 1772409600000
      {"nested":{"ts":1},"list":[{"ts":2},[3]],"ts":"2026-03-02T00:00:01Z","card_id":"c"} => 1772409601000
      {"card_id":"c","amount":1} => -1
      {"card_id":"c","ts":1772409600} => -1
      {"card_id":"c","ts":"9999-01-01T00:00:00Z"} => -1
      {"card_id":"c","ts":{"ms":1772409600000}} => -1
      {"card_id":"c","ts":1772409600000,"ts":1772409600001} => -1
      {"card_id":"c","ts":1772409600000,"amount":NaN} => 1772409600000
      {"card_id":"c","ts":1772409600000} {"card_id":"d"} => -1
      {"card_id":"c","ts":1772409600000,"amount": => -1
      {"card_id":"c","ts":1772409600000,"amount":[1,} => -1
      [1772409600000] => -1
      1772409600000 => -1
      '' => -1
      """)
  void readsTheTimeAtTheSourceAsTheDecoderWould(String json, long expected) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    assertThat(decoder.timestamp(bytes)).as(json).isEqualTo(expected);
    Decoded<FeatureEvent> d = decoder.decode(bytes);
    if (expected >= 0 && d.isOk()) {
      assertThat(d.value().timestamp()).isEqualTo(expected);
    }
  }
}
