package dev.driftline.core.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.results.DriftResult;

import dev.driftline.core.baseline.BaselineBuilder;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.baseline.BaselineFiles;
import dev.driftline.core.baseline.FeatureBaseline;
import dev.driftline.core.io.InputException;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.trigger.WindowDriftSummary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelDriftTest {
  static MonitorSpec spec(String task) {
    return MonitorSpecParser.parse("m.yaml", String.join("\n",
        "model_id: m",
        "task: " + task,
        "features:",
        "  - {name: x, type: numeric}",
        "reference: {source: profile, path: p.json}",
        "window: {size: 1h}"));
  }

  static BaselineFile profile(FeatureBaseline label) {
    return new BaselineFile(BaselineFile.FORMAT, "ref-1", "m", "h", "2026-01-01T00:00:00Z", "t.csv", 1000,
        Map.of(), null, label, null, null, null);
  }

  static Outcome labelled(double score, double label) {
    return new Outcome("m", "__all__", "p", 0, score, label, true);
  }

  static Outcome unlabelled() {
    return new Outcome("m", "__all__", "p", 0, 0.5, Double.NaN, true);
  }

  @Test
  void classifierLabelsAreTestedByChiSquareAndPsiOnTheClasses() {
    MonitorSpec spec = spec("binary_classification");
    // The training data spelled its classes false/true: they are the classes 0 and 1.
    Baseline baseline = Baseline.fromProfile(profile(
        new FeatureBaseline("categorical", 1000, 0, null, Map.of("false", 700L, "true", 300L))), spec);
    PerformanceWindow w = new PerformanceWindow(spec.task(), 0.5);
    for (int i = 0; i < 30; i++) {
      w.add(labelled(0.9, 1));
      w.add(labelled(0.1, 0));
    }
    for (int i = 0; i < 40; i++) {
      w.add(unlabelled());
    }
    List<DriftResult> results = LabelDrift.results(spec, "__all__", 0, 3_600_000, baseline, w, 5_000);

    assertThat(results).extracting(DriftResult::test).containsExactly("chi2", "psi");
    DriftResult chi2 = results.get(0);
    // scipy.stats.chi2_contingency([[700, 300], [30, 30]], correction=False) -> (10.560398505603985, 0.001155362849820797)
    assertThat(chi2.statistic()).isCloseTo(10.560398505603985, within(1e-9));
    assertThat(chi2.pValue()).isCloseTo(0.001155362849820797, within(1e-12));
    assertThat(chi2.adjustedPValue()).isEqualTo(chi2.pValue()); // the only p-value of the label's family
    assertThat(chi2.drift()).isTrue();
    DriftResult psi = results.get(1);
    // (0.5 - 0.7)·ln(0.5/0.7) + (0.5 - 0.3)·ln(0.5/0.3)
    assertThat(psi.statistic()).isCloseTo(0.16945957207744072, within(1e-12));
    assertThat(psi.level()).isEqualTo("moderate");
    assertThat(psi.drift()).isFalse();
    for (DriftResult r : results) {
      assertThat(r.feature()).isEqualTo("__label__");
      assertThat(r.featureType()).isEqualTo("label");
      assertThat(r.labelCoverage()).isEqualTo(0.6); // 60 of 100 predictions labelled
      assertThat(r.nReference()).isEqualTo(1000);
      assertThat(r.nCurrent()).isEqualTo(60);
      assertThat(r.referenceId()).isEqualTo("ref-1");
      assertThat(r.id()).isEqualTo("m|__all__|__label__|" + r.test() + "|1970-01-01T00:00:00Z|1970-01-01T01:00:00Z");
    }
  }

  @Test
  void regressorLabelsAreTestedByKsOnTheirHistogram() throws IOException {
    MonitorSpec spec = spec("regression");
    double[] training = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    Baseline baseline = Baseline.fromProfile(profile(new FeatureBaseline("numeric", 10, 0,
        BaselineBuilder.summarize(training, spec.binCounts()), null)), spec);
    PerformanceWindow a = new PerformanceWindow(spec.task(), Double.NaN);
    PerformanceWindow b = new PerformanceWindow(spec.task(), Double.NaN);
    for (int v = 11; v <= 20; v++) {
      (v % 2 == 0 ? a : b).add(labelled(15, v));
    }
    a.merge(b);
    PerformanceWindow back = roundTrip(a);

    List<DriftResult> results = LabelDrift.results(spec, "__all__", 0, 3_600_000, baseline, back, 5_000);
    DriftResult ks = results.stream().filter(r -> r.test().equals("ks")).findFirst().orElseThrow();
    // scipy.stats.ks_2samp(range(1, 11), range(11, 21), method='exact') -> D = 1.0, p = 2 / C(20, 10) = 1.0825088224036027e-05
    assertThat(ks.statistic()).isEqualTo(1.0);
    assertThat(ks.pValue()).isCloseTo(2.0 / 184_756, within(1e-15));
    assertThat(ks.method()).isEqualTo("exact");
    assertThat(ks.drift()).isTrue();
    assertThat(ks.labelCoverage()).isEqualTo(1.0);
    assertThat(ks.nCurrent()).isEqualTo(10);
  }

  @Test
  void noResultWithoutALabelInTheProfileOrInTheWindow() {
    MonitorSpec spec = spec("binary_classification");
    PerformanceWindow labelledWindow = new PerformanceWindow(spec.task(), 0.5);
    labelledWindow.add(labelled(0.3, 1));
    Baseline noLabel = Baseline.fromProfile(profile(null), spec);
    assertThat(LabelDrift.hasReference(noLabel)).isFalse();
    assertThat(LabelDrift.evaluate(spec, noLabel, labelledWindow)).isEmpty();

    Baseline withLabel = Baseline.fromProfile(profile(
        new FeatureBaseline("categorical", 10, 0, null, Map.of("0", 7L, "1", 3L))), spec);
    PerformanceWindow unlabelledWindow = new PerformanceWindow(spec.task(), 0.5);
    unlabelledWindow.add(unlabelled());
    assertThat(LabelDrift.evaluate(spec, withLabel, unlabelledWindow)).isEmpty();
  }

  @Test
  void aProfileWhoseLabelsAreNotClassesIsRefusedInOneLine() {
    MonitorSpec spec = spec("binary_classification");
    BaselineFile yesNo = profile(new FeatureBaseline("categorical", 10, 0, null, Map.of("no", 7L)));
    assertThatThrownBy(() -> BaselineFiles.checkLabel(yesNo, "p.json", spec)).isInstanceOf(InputException.class)
        .hasMessage("p.json: label.categories.no: expected a class 0 or 1 (or true/false), got \"no\"");
    assertThat(LabelClasses.normalize(Map.of("1", 2L, "1.0", 3L, "TRUE", 1L, "0", 4L)))
        .isEqualTo(Map.of("0", 4L, "1", 6L));
  }

  @Test
  void labelResultsAreNotFeaturesOfTheDatasetDriftShare() {
    WindowDriftSummary w = new WindowDriftSummary("a", "b");
    w.add(new DriftResult("m", "__all__", "x", "numeric", "ks", 0.1, 0.5, 0.5, 0.01, false, "exact", null, null,
        "a", "b", 100, 100, "ref", "c"));
    w.add(new DriftResult("m", "__all__", "__label__", "label", "chi2", 30, 1e-8, 1e-8, 0.01, true, "counts", null,
        null, null, "a", "b", 100, 100, "ref", "c", 0.8));
    assertThat(w.featuresTested()).isEqualTo(1);
    assertThat(w.driftShare()).isZero();
    assertThat(w.results()).hasSize(2);
  }

  static PerformanceWindow roundTrip(PerformanceWindow w) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      w.write(out);
    }
    return PerformanceWindow.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
  }
}
