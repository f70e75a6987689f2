package dev.driftline.jobs.featurepipeline.poison;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.events.EventTimes;
import dev.driftline.core.features.FeatureEvent;
import dev.driftline.core.features.FeatureEventDecoder;
import dev.driftline.core.io.Decoded;
import dev.driftline.services.ByteFuzz;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded fuzzing of the raw-event decoder: it returns an event or a one-line reason, never throws. */
class FeatureDecoderFuzzTest {
  @Test
  void featureEventDecoderNeverThrowsAndAcceptsOnlyFiniteTimedEvents() {
    FeatureEventDecoder decoder = new FeatureEventDecoder(FeaturePipelinePoisonTest.view("fuzz"));
    List<byte[]> seeds = FeaturePipelinePoisonTest.generate(new Random(5)).stream().limit(30)
        .map(t -> ("{\"card_id\":\"" + t[0] + "\",\"ts\":" + t[1] + ",\"amount\":" + t[2] + ",\"merchant_id\":\"" + t[3] + "\"}")
            .getBytes(StandardCharsets.UTF_8))
        .toList();
    ByteFuzz fuzz = new ByteFuzz(4);
    int[] accepted = new int[1];
    fuzz.run(3_000, seeds, 150, bytes -> {
      Decoded<FeatureEvent> d = decoder.decode(bytes);
      assertThat(d).isNotNull();
      assertThat(decoder.timestamp(bytes)).isGreaterThanOrEqualTo(-1);
      if (d.isOk()) {
        accepted[0]++;
        assertThat(d.value().entity()).isNotBlank();
        assertThat(d.value().timestamp()).isGreaterThanOrEqualTo(EventTimes.MIN_MILLIS);
        for (double v : d.value().numbers()) {
          assertThat(Double.isFinite(v)).isTrue();
        }
      } else {
        assertThat(d.error()).isNotBlank().doesNotContain("\n");
      }
    });
    assertThat(fuzz.cases()).isEqualTo(7_500);
    assertThat(accepted[0]).isPositive();
  }
}
