package dev.driftline.jobs.retraintrigger.operators;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.Decoded;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import org.junit.jupiter.api.Test;

/**
 * The trigger job reads the drift job's outputs as the compatibility rule of schemas/README.md
 * asks: a field added within the major version (by a newer drift job) is ignored, not a dead letter.
 */
class ResultDecodersCompatibilityTest {
  @Test
  void aDriftResultWithAFieldAddedLaterDecodesToTheSameResult() throws Exception {
    DriftResult r = new DriftResult("m", DriftResult.ALL_SEGMENTS, "a", "numeric", "psi", 0.31, null, null, 0.25,
        true, "binned", "major", null, "2026-06-01T00:00:00Z", "2026-06-01T01:00:00Z", 5000, 300, "ref", "2026-06-01T01:00:05Z");
    ObjectNode newer = (ObjectNode) Json.mapper().readTree(Json.bytes(r));
    newer.putArray("field_of_a_later_version").addObject().put("edge", 0.5).put("reference", 512).put("current", 40);
    Decoded<DriftResult> d = ResultDecoders.drift(ResultDecodersFuzzTest.MODELS).decode(Json.mapper().writeValueAsBytes(newer));
    assertThat(d.isOk()).as(String.valueOf(d.error())).isTrue();
    assertThat(d.value()).isEqualTo(r);
  }

  @Test
  void aPerformanceResultWithAFieldAddedLaterDecodesToTheSameResult() throws Exception {
    PerformanceResult r = new PerformanceResult("m", DriftResult.ALL_SEGMENTS, "2026-06-01T00:00:00Z", "2026-06-01T01:00:00Z",
        600, 300, 0.5, true, 0.8, 0.7, 0.6, 0.646, 0.85, 0.0, 0.45, 0.15, 0.3, null, null, "2026-06-01T01:00:05Z");
    ObjectNode newer = (ObjectNode) Json.mapper().readTree(Json.bytes(r));
    newer.put("specificity", 0.9);
    Decoded<PerformanceResult> d = ResultDecoders.performance(ResultDecodersFuzzTest.MODELS).decode(Json.mapper().writeValueAsBytes(newer));
    assertThat(d.isOk()).as(String.valueOf(d.error())).isTrue();
    assertThat(d.value()).isEqualTo(r);
  }
}
