package dev.driftline.jobs.retraintrigger.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Decoded;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.services.ByteFuzz;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of the retrain trigger's decoders of the drift job's outputs: a result or a
 * one-line reason, never an exception — and what they accept has window times the policy can
 * compute with (a drift result whose window_end is not an instant used to fail the job).
 */
class ResultDecodersFuzzTest {
  static final ModelRegistry MODELS = new ModelRegistry(List.of(MonitorSpecParser.parse("m.yaml", String.join("\n",
      "model_id: m", "task: binary_classification", "features: [{name: a, type: numeric}]",
      "reference: {source: previous_window}", "window: {size: 1h}"))));

  @Test
  void driftDecoderNeverThrowsAndAcceptsOnlyUsableWindows() {
    Decoded.Decoder<DriftResult> decoder = ResultDecoders.drift(MODELS);
    byte[] seed = Json.bytes(new DriftResult("m", DriftResult.ALL_SEGMENTS, "a", "numeric", "ks", 0.2, 1e-5, 1e-5, 0.01,
        true, "exact", null, null, "2026-06-01T00:00:00Z", "2026-06-01T01:00:00Z", 5000, 300, "ref", "2026-06-01T01:00:05Z"));
    assertThat(decoder.decode(seed).isOk()).isTrue();
    ByteFuzz fuzz = new ByteFuzz(6);
    fuzz.run(3_000, List.of(seed), 3_000, bytes -> {
      Decoded<DriftResult> d = decoder.decode(bytes);
      if (d.isOk()) {
        Instant.parse(d.value().windowEnd()).toEpochMilli();
      } else {
        assertThat(d.error()).isNotBlank().doesNotContain("\n");
      }
    });
    assertThat(decoder.decode("{\"model_id\":\"m\",\"feature\":\"a\",\"test\":\"ks\",\"window_end\":\"soon\"}"
        .getBytes()).error()).isEqualTo("window_end: expected an ISO-8601 instant, got \"soon\"");
  }

  @Test
  void performanceDecoderNeverThrowsAndAcceptsOnlyUsableWindows() {
    Decoded.Decoder<PerformanceResult> decoder = ResultDecoders.performance(MODELS);
    byte[] seed = ("{\"model_id\":\"m\",\"segment\":\"__all__\",\"window_start\":\"2026-06-01T00:00:00Z\","
        + "\"window_end\":\"2026-06-01T01:00:00Z\",\"predictions\":600,\"labelled\":578,\"label_coverage\":0.96,"
        + "\"exact\":true,\"accuracy\":0.77,\"auc\":0.81,\"log_loss\":0.5,\"brier\":0.16}").getBytes();
    assertThat(decoder.decode(seed).isOk()).isTrue();
    ByteFuzz fuzz = new ByteFuzz(7);
    fuzz.run(3_000, List.of(seed), 3_000, bytes -> {
      Decoded<PerformanceResult> d = decoder.decode(bytes);
      if (d.isOk()) {
        Instant.parse(d.value().windowStart()).toEpochMilli();
        Instant.parse(d.value().windowEnd()).toEpochMilli();
      } else {
        assertThat(d.error()).isNotBlank().doesNotContain("\n");
      }
    });
  }
}
