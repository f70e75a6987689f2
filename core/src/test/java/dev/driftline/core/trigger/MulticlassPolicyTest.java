package dev.driftline.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.spec.PerformanceMetric;
import dev.driftline.core.spec.Task;
import dev.driftline.core.window.Outcome;
import dev.driftline.core.window.PerformanceWindow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The multiclass example spec's policy on windows computed by the performance window itself: a
 * queue the model stops recognising drops macro F1 below its limit while accuracy and log loss
 * stay within theirs, and the trigger names macro_f1; Page-Hinkley watches 1 − accuracy.
 */
class MulticlassPolicyTest {
  static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");

  /** 100 tickets, 25 per queue, each given 0.7 for the queue predicted; in a bad window "other" goes to "billing". */
  static PerformanceResult window(MonitorSpec spec, int i, boolean bad) {
    PerformanceWindow w = PerformanceWindow.of(spec);
    for (int n = 0; n < 100; n++) {
      int actual = n % 4;
      int predicted = bad && actual == 3 ? 0 : actual;
      double[] p = {0.1, 0.1, 0.1, 0.1};
      p[predicted] = 0.7;
      w.add(new Outcome(spec.modelId(), DriftResult.ALL_SEGMENTS, "t" + n, 0, 0.7, actual, true, Long.MIN_VALUE, p));
    }
    long start = T0.plus(Duration.ofHours(i)).toEpochMilli();
    return w.result(spec, DriftResult.ALL_SEGMENTS, start, start + 3_600_000, 0);
  }

  @Test
  void theExampleSpecsPolicyWatchesMacroF1OfAMulticlassModel() {
    MonitorSpec spec = MonitorSpecParser.load(Path.of("../examples/ticket-routing/monitor.yaml"));
    assertThat(spec.task()).isEqualTo(Task.MULTICLASS_CLASSIFICATION);
    assertThat(spec.classes()).containsExactly("billing", "technical", "account", "other");
    assertThat(spec.policy().performance()).extracting(c -> c.metric()).containsExactly(PerformanceMetric.MACRO_F1,
        PerformanceMetric.LOG_LOSS);

    PolicyState s = new PolicyState();
    List<RetrainTrigger> triggers = new ArrayList<>();
    List<PerformanceResult> windows = List.of(window(spec, 0, false), window(spec, 1, false), window(spec, 2, true),
        window(spec, 3, true));
    for (PerformanceResult r : windows) {
      PolicyEngine.Decision d = PolicyEngine.onPerformance(spec, DriftResult.ALL_SEGMENTS, s, r, 0);
      if (d.trigger() != null) {
        triggers.add(d.trigger());
      }
    }

    // billing: tp 25, fp 25 -> F1 2/3; other: tp 0 -> 0; technical, account 1: macro F1 (2/3 + 2) / 4 = 2/3.
    assertThat(windows.get(3).metric(PerformanceMetric.MACRO_F1)).isCloseTo(2.0 / 3, within(1e-15));
    assertThat(windows.get(3).accuracy()).isEqualTo(0.75);
    // 0.75 · -ln 0.7 + 0.25 · -ln 0.1 = 0.8432: below log_loss's limit of 0.9
    assertThat(windows.get(3).logLoss()).isCloseTo(0.75 * -Math.log(0.7) + 0.25 * -Math.log(0.1), within(1e-12));
    assertThat(triggers).singleElement().satisfies(t -> {
      // Page-Hinkley on 1 - accuracy = 0, 0, 0.25, 0.25 with running means 0, 0, 1/12, 1/8 and δ 0.005:
      // cumulative deviations -0.005, -0.01, 0.1517, 0.2717; 0.2717 - min(-0.01) = 0.2817 > λ 0.15.
      assertThat(t.reasons()).containsExactly("macro_f1 below 0.7000 in 2 of the last 3 windows (label coverage >= 0.50)",
          "Page-Hinkley: error rate rose (cumulative deviation 0.2817 > 0.1500 after 4 windows)");
      assertThat(t.evidence()).extracting(Evidence::metric).containsExactly("macro_f1", "macro_f1", "error_rate");
      assertThat(t.evidence()).extracting(Evidence::windowStart).startsWith(
          T0.plus(Duration.ofHours(2)).toString(), T0.plus(Duration.ofHours(3)).toString());
    });
    // The error-rate detectors are fed 1 - accuracy, as for a binary classifier.
    assertThat(PerformanceConditions.errorRate(spec, windows.get(3))).isEqualTo(0.25);
  }
}
