package dev.driftline.core.metrics;

import static dev.driftline.core.Fixtures.doubles;
import static dev.driftline.core.Fixtures.ints;
import static dev.driftline.core.Fixtures.num;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.Fixtures;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClassificationMetricsTest {

  static Stream<Arguments> fixtures() {
    return Fixtures.cases("classification_metrics.json");
  }

  /**
   * make_stats_fixtures.py, classification_case: sklearn formulas in numpy with zero_division=0;
   * rocAuc = (stats.rankdata(scores)[pos].sum() - npos*(npos+1)/2) / (npos*nneg), checked there
   * against a trapezoidal ROC area (sklearn's route) to 1e-12; logLoss = -np.mean(y*np.log(p) +
   * (1-y)*np.log(1-p)) with p = np.clip(scores, 1e-15, 1-1e-15); brier = np.mean((scores-y)**2).
   */
  @ParameterizedTest
  @MethodSource("fixtures")
  void matchesSklearnFormulas(JsonNode c) {
    ClassificationMetrics m = ClassificationMetrics.of(
        doubles(c.get("scores")), ints(c.get("labels")), c.get("threshold").asDouble());
    assertThat(m.n()).isEqualTo(c.get("n").asLong());
    assertThat(m.positives()).isEqualTo(c.get("positives").asLong());
    assertThat(m.tp()).isEqualTo(c.get("tp").asLong());
    assertThat(m.fp()).isEqualTo(c.get("fp").asLong());
    assertThat(m.tn()).isEqualTo(c.get("tn").asLong());
    assertThat(m.fn()).isEqualTo(c.get("fn").asLong());
    assertThat(m.accuracy()).isCloseTo(c.get("accuracy").asDouble(), within(1e-12));
    assertThat(m.precision()).isCloseTo(c.get("precision").asDouble(), within(1e-12));
    assertThat(m.recall()).isCloseTo(c.get("recall").asDouble(), within(1e-12));
    assertThat(m.f1()).isCloseTo(c.get("f1").asDouble(), within(1e-12));
    double auc = num(c.get("rocAuc"));
    if (Double.isNaN(auc)) {
      assertThat(m.rocAuc()).isNaN();
    } else {
      assertThat(m.rocAuc()).isCloseTo(auc, within(1e-12));
    }
    assertThat(m.logLoss()).isCloseTo(c.get("logLoss").asDouble(), within(1e-9));
    assertThat(m.brier()).isCloseTo(c.get("brier").asDouble(), within(1e-12));
  }

  @Test
  void tiedScoresShareTheirMidrankInAuc() {
    // roc_auc_score([0, 1, 0, 1], [0.2, 0.5, 0.5, 0.9]) -> 0.875
    ClassificationMetrics m = ClassificationMetrics.of(new double[] {0.2, 0.5, 0.5, 0.9}, new int[] {0, 1, 0, 1}, 0.5);
    assertThat(m.rocAuc()).isEqualTo(0.875);
    assertThat(m.tp()).isEqualTo(2);
    assertThat(m.fp()).isEqualTo(1);
  }

  @Test
  void scoreEqualToThresholdIsPositive() {
    ClassificationMetrics m = ClassificationMetrics.of(new double[] {0.5}, new int[] {1}, 0.5);
    assertThat(m.tp()).isEqualTo(1);
    assertThat(m.rocAuc()).isNaN();
  }

  /**
   * sklearn.metrics.balanced_accuracy_score([1, 1, 1, 0, 0, 0, 0, 0], [1, 1, 0, 1, 0, 0, 0, 0]):
   * recall 2/3, specificity 4/5, (2/3 + 4/5) / 2 = 11/15.
   */
  @Test
  void balancedAccuracyIsTheMeanOfRecallAndSpecificity() {
    ClassificationMetrics m = ClassificationMetrics.of(new double[] {0.9, 0.8, 0.2, 0.7, 0.1, 0.1, 0.1, 0.1},
        new int[] {1, 1, 1, 0, 0, 0, 0, 0}, 0.5);
    assertThat(m.tp()).isEqualTo(2);
    assertThat(m.fn()).isEqualTo(1);
    assertThat(m.fp()).isEqualTo(1);
    assertThat(m.tn()).isEqualTo(4);
    assertThat(m.balancedAccuracy()).isCloseTo(11.0 / 15, within(1e-15));
    assertThat(m.accuracy()).isEqualTo(6.0 / 8); // what balancing changes: 0.75 against 0.7333
  }

  /**
   * sklearn takes the mean recall over the classes y_true has: balanced_accuracy_score([1, 1, 1],
   * [1, 0, 1]) = 2/3 and balanced_accuracy_score([0, 0, 0, 0], [0, 1, 0, 0]) = 3/4 (with a warning
   * that y_pred has a class y_true lacks).
   */
  @Test
  void balancedAccuracyOfLabelsOfOneClassIsThatClasssRecall() {
    ClassificationMetrics positives = ClassificationMetrics.of(new double[] {0.9, 0.2, 0.6}, new int[] {1, 1, 1}, 0.5);
    assertThat(positives.balancedAccuracy()).isCloseTo(2.0 / 3, within(1e-15));
    ClassificationMetrics negatives = ClassificationMetrics.of(new double[] {0.1, 0.7, 0.2, 0.3}, new int[] {0, 0, 0, 0}, 0.5);
    assertThat(negatives.balancedAccuracy()).isEqualTo(0.75);
  }

  /** Balanced accuracy equals accuracy when the classes are equally many: 3 + 3 labels, 2 and 2 right. */
  @Test
  void balancedAccuracyOfBalancedLabelsIsTheAccuracy() {
    ClassificationMetrics m = ClassificationMetrics.of(new double[] {0.9, 0.8, 0.1, 0.2, 0.3, 0.6},
        new int[] {1, 1, 1, 0, 0, 0}, 0.5);
    assertThat(m.balancedAccuracy()).isEqualTo(m.accuracy()).isEqualTo(4.0 / 6);
  }

  @Test
  void undefinedRatiosAreZero() {
    ClassificationMetrics m = ClassificationMetrics.of(new double[] {0.1, 0.2}, new int[] {0, 0}, 0.5);
    assertThat(m.precision()).isZero();
    assertThat(m.recall()).isZero();
    assertThat(m.f1()).isZero();
    assertThat(m.accuracy()).isEqualTo(1.0);
  }

  @Test
  void rejectsBadLabelsAndScoresNamingTheIndex() {
    assertThatThrownBy(() -> ClassificationMetrics.of(new double[] {0.1, 0.2, 0.3}, new int[] {0, 1, 2}, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("labels[2] is 2, expected 0 or 1");
    assertThatThrownBy(() -> ClassificationMetrics.of(new double[] {0.1, 1.2}, new int[] {0, 1}, 0.5))
        .hasMessage("scores[1] is 1.2, expected a probability in [0, 1]");
    assertThatThrownBy(() -> ClassificationMetrics.of(new double[] {Double.NaN}, new int[] {0}, 0.5))
        .hasMessage("scores[0] is NaN");
    assertThatThrownBy(() -> ClassificationMetrics.of(new double[] {0.1}, new int[] {0, 1}, 0.5))
        .hasMessage("scores has 1 elements but labels has 2");
    assertThatThrownBy(() -> ClassificationMetrics.of(new double[0], new int[0], 0.5))
        .hasMessage("scores is empty");
  }
}
