package dev.driftline.core.estimation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClassScoreSummaryTest {
  static final List<ScoreCalibration> CALIBRATIONS = calibrations();

  /** Platt calibrations that shrink each class's probability differently, so the normalization matters. */
  static List<ScoreCalibration> calibrations() {
    List<ScoreCalibration> out = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      out.add(new ScoreCalibration("platt", 0, 0, null, null, 0.6 + 0.2 * c, -0.1 * c, List.of()));
    }
    return out;
  }

  static double[][] rows(int n, long seed) {
    Random random = new Random(seed);
    double[][] rows = new double[n][];
    for (int i = 0; i < n; i++) {
      rows[i] = MulticlassEstimatorTest.row(random, 3, 2);
    }
    return rows;
  }

  static byte[] bytes(ClassScoreSummary s) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(b)) {
      s.write(out);
    }
    return b.toByteArray();
  }

  static ClassScoreSummary of(List<double[]> rows) {
    ClassScoreSummary s = new ClassScoreSummary(3);
    rows.forEach(s::add);
    return s;
  }

  @Test
  void keepsEveryRowExactlyUpToTheLimitAndEstimatesAsTheRowsThemselves() {
    double[][] rows = rows(500, 1);
    List<double[]> shuffled = new ArrayList<>(List.of(rows));
    Collections.shuffle(shuffled, new Random(2));
    ClassScoreSummary a = of(shuffled.subList(0, 200));
    a.merge(of(shuffled.subList(200, 500)));

    assertThat(a.isExact()).isTrue();
    assertThat(a.n()).isEqualTo(500);
    assertThat(MulticlassEstimator.estimate(a, CALIBRATIONS)).usingRecursiveComparison()
        .isEqualTo(MulticlassEstimator.estimate(rows, CALIBRATIONS));
  }

  @Test
  void countsRepeatedRowsOnce() {
    ClassScoreSummary s = new ClassScoreSummary(3);
    for (int i = 0; i < 10; i++) {
      s.add(new double[] {0.5, 0.25, 0.25});
    }
    s.add(new double[] {0.25, 0.25, 0.5});

    assertThat(s.n()).isEqualTo(11);
    MulticlassEstimator.Estimate e = MulticlassEstimator.estimate(s, MulticlassEstimatorTest.IDENTITY3);
    // Identity calibrations: E[accuracy] = (10·0.5 + 0.5) / 11; E[confusion][actual 0][predicted 0] = 10·0.5.
    assertThat(e.accuracy().value()).isEqualTo(5.5 / 11);
    assertThat(e.expectedConfusion()[0][0]).isEqualTo(5.0);
    assertThat(e.expectedConfusion()[0][2]).isEqualTo(0.25);
  }

  /** Past the limit the rows are coarsened to the finest grid at which they fit, whatever the order and merges. */
  @Test
  void coarsenedContentDependsOnlyOnTheRows() throws IOException {
    double[][] rows = rows(20_000, 3);
    List<double[]> inOrder = List.of(rows);
    List<double[]> shuffled = new ArrayList<>(inOrder);
    Collections.shuffle(shuffled, new Random(4));
    ClassScoreSummary merged = new ClassScoreSummary(3);
    for (int from = 0; from < shuffled.size(); from += 1_500) {
      merged.merge(of(shuffled.subList(from, Math.min(shuffled.size(), from + 1_500))));
    }

    ClassScoreSummary whole = of(inOrder);
    assertThat(whole.isExact()).isFalse();
    assertThat(whole.level()).isBetween(0, ClassScoreSummary.FINEST_LEVEL);
    assertThat(whole.n()).isEqualTo(20_000);
    assertThat(bytes(merged)).isEqualTo(bytes(whole));
    assertThat(bytes(ClassScoreSummary.read(new DataInputStream(new ByteArrayInputStream(bytes(whole))))))
        .isEqualTo(bytes(whole));
    // Every cell is one of at most limit; the estimate stays close to that of the exact rows.
    assertThat(bytes(whole).length).isLessThanOrEqualTo(4 + 1 + 4 + whole.cellLimit() * (4 + 3 * 8 + 8 + 3 * 8));
    MulticlassEstimator.Estimate coarse = MulticlassEstimator.estimate(whole, CALIBRATIONS);
    MulticlassEstimator.Estimate exact = MulticlassEstimator.estimate(rows, CALIBRATIONS);
    assertThat(coarse.exact()).isFalse();
    assertThat(exact.exact()).isTrue();
    assertThat(coarse.predictions()).isEqualTo(20_000);
    assertThat(coarse.accuracy().value()).isCloseTo(exact.accuracy().value(), within(0.002));
    assertThat(coarse.macroF1().value()).isCloseTo(exact.macroF1().value(), within(0.002));
  }

  /** Ten classes: only a grid of 2^-2 fits 819 cells, and the cell means keep the estimate within 0.02. */
  @Test
  void manyClassesPastTheLimitAreEstimatedFromCellMeans() throws IOException {
    Random random = new Random(5);
    List<ScoreCalibration> calibrations = new ArrayList<>();
    for (int c = 0; c < 10; c++) {
      calibrations.add(new ScoreCalibration("platt", 0, 0, null, null, 0.8, -0.1, List.of()));
    }
    double[][] rows = new double[10_000][];
    ClassScoreSummary s = new ClassScoreSummary(10);
    for (int i = 0; i < rows.length; i++) {
      rows[i] = MulticlassEstimatorTest.row(random, 10, 2);
      s.add(rows[i]);
    }

    assertThat(s.cellLimit()).isEqualTo(819);
    assertThat(s.level()).isEqualTo(2);
    assertThat(bytes(s).length).isLessThan(100_000);
    MulticlassEstimator.Estimate coarse = MulticlassEstimator.estimate(s, calibrations);
    MulticlassEstimator.Estimate exact = MulticlassEstimator.estimate(rows, calibrations);
    assertThat(coarse.accuracy().value()).isCloseTo(exact.accuracy().value(), within(0.02));
    assertThat(coarse.macroF1().value()).isCloseTo(exact.macroF1().value(), within(0.02));
  }

  @Test
  void refusesRowsOfAnotherWidthAndDamagedBytes() throws IOException {
    ClassScoreSummary s = new ClassScoreSummary(3);
    assertThatThrownBy(() -> s.add(new double[] {0.5, 0.5}))
        .hasMessage("class probabilities of 2 classes, expected 3");
    assertThatThrownBy(() -> s.merge(new ClassScoreSummary(4)))
        .hasMessage("class probabilities of 3 and 4 classes");
    s.add(new double[] {0.5, 0.25, 0.25});
    byte[] b = bytes(s);
    b[12] = 3; // the predicted class of the first row: an int after k (4 bytes), the level (1) and the row count (4)
    assertThatThrownBy(() -> ClassScoreSummary.read(new DataInputStream(new ByteArrayInputStream(b))))
        .hasMessage("predicted class 3, expected 0..2");
  }
}
