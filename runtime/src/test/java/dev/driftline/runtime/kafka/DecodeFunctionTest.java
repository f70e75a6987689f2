package dev.driftline.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.io.Decoded;
import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.runtime.deadletter.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The decode step on Flink's one-input harness: values, values with their record, and dead letters at the record's position. */
class DecodeFunctionTest {
  /** Decodes a decimal number; anything else is refused with a one-line reason. */
  static Decoded<Integer> number(byte[] bytes) {
    String s = new String(bytes, StandardCharsets.UTF_8);
    return s.matches("-?[0-9]{1,9}") ? Decoded.ok(Integer.parseInt(s)) : Decoded.error("expected a number, got \"" + s + "\"");
  }

  static RawRecord record(long offset, String value) {
    return new RawRecord("numbers", 2, offset, 1_772_409_600_000L + offset, ("k" + offset).getBytes(StandardCharsets.UTF_8),
        value.getBytes(StandardCharsets.UTF_8), null);
  }

  record Run<T>(List<T> values, List<DeadLetter> deadLetters) {}

  static <T> Run<T> run(DecodeFunction<T> step, RawRecord... records) throws Exception {
    try (OneInputStreamOperatorTestHarness<RawRecord, T> h = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(step))) {
      h.open();
      for (RawRecord r : records) {
        h.processElement(new StreamRecord<>(r, r.timestamp()));
      }
      List<T> values = new ArrayList<>();
      h.extractOutputValues().forEach(values::add);
      List<DeadLetter> deadLetters = new ArrayList<>();
      var side = h.getSideOutput(DeadLetters.TAG);
      if (side != null) {
        side.forEach(r -> deadLetters.add(r.getValue()));
      }
      return new Run<>(values, deadLetters);
    }
  }

  @Test
  void keepingSourceEmitsEachValueWithTheRecordItCameFrom() throws Exception {
    RawRecord seven = record(40, "7");
    Run<Sourced<Integer>> r = run(DecodeFunction.keepingSource("decode:numbers", DecodeFunctionTest::number), seven,
        record(41, "seven"));
    assertThat(r.values()).extracting(Sourced::value).containsExactly(7);
    RawRecord source = r.values().get(0).source();
    assertThat(List.of(source.topic(), source.partition(), source.offset(), source.timestamp()))
        .containsExactly("numbers", 2, 40L, 1_772_409_600_040L);
    assertThat(source.key()).isEqualTo(seven.key());
    assertThat(source.value()).isEqualTo(seven.value());
    assertThat(r.deadLetters()).extracting(d -> d.stage() + " " + d.topic() + "/" + d.partition() + "@" + d.offset() + " " + d.reason())
        .containsExactly("decode:numbers numbers/2@41 expected a number, got \"seven\"");
    assertThat(r.deadLetters().get(0).value()).isEqualTo("seven".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aSourcedValueRefusedLaterIsADeadLetterOfItsRecord() {
    RawRecord seven = record(40, "7");
    DeadLetter d = new Sourced<>(7, seven).deadLetter("join:numbers", "no partner", null, null, -1);
    assertThat(List.of(d.stage(), d.reason(), d.topic(), d.partition(), d.offset(), d.recordTimestamp(), d.valueLength()))
        .containsExactly("join:numbers", "no partner", "numbers", 2, 40L, 1_772_409_600_040L, 1L);
    assertThat(d.key()).isEqualTo("k40".getBytes(StandardCharsets.UTF_8));
    assertThat(d.value()).isEqualTo("7".getBytes(StandardCharsets.UTF_8));
    DeadLetter unknown = new Sourced<>(7, null).deadLetter("join:numbers", "no partner", new byte[] {'7'}, new byte[] {'{', '}'}, 5);
    assertThat(List.of(String.valueOf(unknown.topic()), unknown.partition(), unknown.offset(), unknown.recordTimestamp()))
        .containsExactly("null", -1, -1L, 5L);
    assertThat(unknown.value()).containsExactly('{', '}');
  }

  /** A limit below the prefix a dead letter keeps: the oversized record is kept whole, not padded. */
  @Test
  void aRecordOverASmallLimitKeepsItsWholeValue() throws Exception {
    Run<Integer> r = run(new DecodeFunction<>("decode:numbers", DecodeFunctionTest::number, 4), record(9, "123456"));
    assertThat(r.values()).isEmpty();
    assertThat(r.deadLetters()).hasSize(1);
    DeadLetter d = r.deadLetters().get(0);
    assertThat(d.reason()).isEqualTo("record too large: 6 bytes > limit 4 (dead letter keeps the first 6 bytes)");
    assertThat(d.value()).isEqualTo("123456".getBytes(StandardCharsets.UTF_8));
    assertThat(d.valueLength()).isEqualTo(6);
  }
}
