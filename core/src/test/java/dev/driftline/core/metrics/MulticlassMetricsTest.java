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

class MulticlassMetricsTest {
  static Stream<Arguments> fixtures() {
    return Fixtures.cases("multiclass_metrics.json");
  }

  /**
   * make_multiclass_fixtures.py: scikit-learn 1.2's confusion_matrix, accuracy_score,
   * precision_recall_fscore_support (labels=range(k), zero_division=0; per class, macro, weighted,
   * micro), log_loss (eps=1e-15) and roc_auc_score per class (and multi_class="ovr" where every
   * class is present and the rows are probabilities).
   */
  @ParameterizedTest
  @MethodSource("fixtures")
  void equalsScikitLearn(JsonNode c) {
    int k = c.get("classes").asInt();
    JsonNode rows = c.get("probabilities");
    double[][] p = new double[rows.size()][];
    for (int i = 0; i < p.length; i++) {
      p[i] = doubles(rows.get(i));
    }
    MulticlassMetrics m = MulticlassMetrics.of(p, ints(c.get("labels")), k);

    assertThat(m.n()).isEqualTo(p.length);
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        assertThat(m.confusion()[a][b]).as("confusion[%d][%d]", a, b).isEqualTo(c.get("confusion").get(a).get(b).asLong());
      }
    }
    assertThat(m.accuracy()).isCloseTo(c.get("accuracy").asDouble(), within(1e-12));
    assertThat(m.precision()).containsExactly(doubles(c.get("precision")), within(1e-12));
    assertThat(m.recall()).containsExactly(doubles(c.get("recall")), within(1e-12));
    assertThat(m.f1()).containsExactly(doubles(c.get("f1")), within(1e-12));
    assertThat(new double[] {m.macroPrecision(), m.macroRecall(), m.macroF1()})
        .containsExactly(doubles(c.get("macro")), within(1e-12));
    assertThat(new double[] {m.weightedPrecision(), m.weightedRecall(), m.weightedF1()})
        .containsExactly(doubles(c.get("weighted")), within(1e-12));
    assertThat(new double[] {m.micro(), m.micro(), m.micro()}).containsExactly(doubles(c.get("micro")), within(1e-12));
    assertThat(m.logLoss()).isCloseTo(c.get("log_loss").asDouble(), within(1e-12));
    for (int cls = 0; cls < k; cls++) {
      double expected = num(c.get("auc").get(cls));
      if (Double.isNaN(expected)) {
        assertThat(m.auc()[cls]).as("auc of class %d", cls).isNaN();
      } else {
        assertThat(m.auc()[cls]).as("auc of class %d", cls).isCloseTo(expected, within(1e-12));
      }
    }
    assertThat(m.macroAuc()).isCloseTo(c.get("macro_auc").asDouble(), within(1e-12));
  }

  @Test
  void theFirstOfEqualProbabilitiesIsThePrediction() {
    MulticlassMetrics m = MulticlassMetrics.of(new double[][] {{0.4, 0.4, 0.2}, {0.3, 0.35, 0.35}}, new int[] {1, 2}, 3);

    assertThat(m.confusion()[1]).containsExactly(1, 0, 0);
    assertThat(m.confusion()[2]).containsExactly(0, 1, 0);
    assertThat(m.accuracy()).isZero();
  }

  @Test
  void badInputIsOneLineNamingTheExample() {
    assertThatThrownBy(() -> MulticlassMetrics.of(new double[][] {{0.5, 0.5}, {0.2, 0.8, 0.0}}, new int[] {0, 1}, 2))
        .hasMessage("probabilities[1] has 3 values, expected 2");
    assertThatThrownBy(() -> MulticlassMetrics.of(new double[][] {{0.5, 0.5}}, new int[] {2}, 2))
        .hasMessage("labels[0] is 2, expected 0..1");
    assertThatThrownBy(() -> MulticlassMetrics.of(new double[][] {{0.5, Double.NaN}}, new int[] {0}, 2))
        .hasMessage("probabilities[0][1] is NaN");
    assertThatThrownBy(() -> MulticlassMetrics.of(new double[][] {{1.5, 0.5}}, new int[] {0}, 2))
        .hasMessage("probabilities[0][0] is 1.5, expected a probability in [0, 1]");
  }
}
