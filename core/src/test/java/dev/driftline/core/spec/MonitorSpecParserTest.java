package dev.driftline.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.driftline.core.detect.DetectorSpec;
import dev.driftline.core.detect.Watch;
import dev.driftline.core.detect.detectors.ErtCusumDetector;
import dev.driftline.core.detect.detectors.AdwinDetector;
import dev.driftline.core.detect.detectors.PageHinkleyDetector;
import dev.driftline.core.stats.MultipleTestingMethod;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MonitorSpecParserTest {
  static final String MINIMAL = ChurnSpec.yaml("reference: {source: previous_window}", "window: {size: 1h}", "");

  @Test
  void labelsNoneMarksAModelWithoutLabelsAndAnythingElseIsAnError() {
    assertThat(MonitorSpecParser.parse("m.yaml", MINIMAL).labelled()).isTrue();
    assertThat(MonitorSpecParser.parse("m.yaml", MINIMAL + "labels: {max_delay: 2h}\n").labelled()).isTrue();
    MonitorSpec none = MonitorSpecParser.parse("m.yaml", MINIMAL + "labels: none\n");
    assertThat(none.labelled()).isFalse();
    assertThat(none.maxLabelDelay()).isEqualTo(Duration.ofDays(7));
    assertThat(none.specHash()).isNotEqualTo(MonitorSpecParser.parse("m.yaml", MINIMAL).specHash());
    assertThatThrownBy(() -> MonitorSpecParser.parse("m.yaml", MINIMAL + "labels: never\n"))
        .hasMessage("m.yaml: labels: expected none or a mapping with max_delay, got \"never\"");
  }

  @Test
  void readsTheShippedExampleWithAllItsSettings() {
    MonitorSpec spec = MonitorSpecParser.load(Path.of("../examples/credit-default/monitor.yaml"));

    assertThat(spec.modelId()).isEqualTo("credit-default");
    assertThat(spec.task()).isEqualTo(Task.BINARY_CLASSIFICATION);
    assertThat(spec.features()).hasSize(12);
    assertThat(spec.features().stream().filter(f -> f.type() == FeatureType.CATEGORICAL)).hasSize(4);
    assertThat(spec.feature("income").orElseThrow().critical()).isTrue();
    assertThat(spec.feature("debt_to_income").orElseThrow().critical()).as("listed under policy.critical_features").isTrue();
    assertThat(spec.feature("age").orElseThrow().critical()).isFalse();
    assertThat(spec.fields().segment()).isEqualTo("segment");
    assertThat(spec.maxLabelDelay()).isEqualTo(Duration.ofDays(7));
    assertThat(spec.window().size()).isEqualTo(Duration.ofHours(1));
    assertThat(spec.window().isTumbling()).isTrue();
    assertThat(spec.window().allowedLateness()).isEqualTo(Duration.ofMinutes(10));
    assertThat(spec.reference().source()).isEqualTo(ReferenceSpec.Source.PROFILE);
    assertThat(spec.numericTests()).extracting(t -> t.test().id())
        .containsExactly("ks", "psi", "wasserstein");
    assertThat(spec.numericTests().get(0).threshold()).isEqualTo(0.01);
    assertThat(spec.categoricalTests()).extracting(t -> t.test().id())
        .containsExactly("chi2", "psi", "jensen_shannon");
    assertThat(spec.multipleTesting()).isEqualTo(MultipleTestingMethod.BH);
    assertThat(spec.policy().performance()).hasSize(2);
    assertThat(spec.policy().performance().get(0).metric()).isEqualTo(PerformanceMetric.AUC);
    assertThat(spec.policy().performance().get(0).k()).isEqualTo(3);
    assertThat(spec.policy().performance().get(1).limit()).isEqualTo(0.20);
    assertThat(spec.policy().datasetDrift().share()).isEqualTo(0.5);
    assertThat(spec.policy().pageHinkley().minWindows()).isEqualTo(5);
    assertThat(spec.policy().cooldown()).isEqualTo(Duration.ofHours(24));
    assertThat(spec.policy().rearmAfterWindows()).isEqualTo(2);
    assertThat(spec.specHash()).hasSize(64);
  }

  @Test
  void performanceEstimationIsIsotonicByDefaultAndCanBePlattOrOff() {
    assertThat(MonitorSpecParser.parse("m.yaml", MINIMAL).estimation().calibration())
        .isEqualTo(dev.driftline.core.estimation.CalibrationMethod.ISOTONIC);
    assertThat(MonitorSpecParser.parse("m.yaml", MINIMAL + "performance_estimation: {calibration: platt}\n")
        .estimation().calibration()).isEqualTo(dev.driftline.core.estimation.CalibrationMethod.PLATT);
    assertThat(MonitorSpecParser.parse("m.yaml", MINIMAL + "performance_estimation: {calibration: none}\n")
        .estimation().enabled()).isFalse();
    assertThatThrownBy(() -> MonitorSpecParser.parse("m.yaml", MINIMAL + "performance_estimation: {calibration: beta}\n"))
        .hasMessage("m.yaml: performance_estimation.calibration: expected one of isotonic|platt|none, got \"beta\"");
    assertThatThrownBy(() -> MonitorSpecParser.parse("m.yaml", MINIMAL + "performance_estimation: {method: cbpe}\n"))
        .hasMessageStartingWith("m.yaml: performance_estimation.method: ");
    assertThatThrownBy(() -> MonitorSpecParser.parse("m.yaml", MINIMAL.replace("binary_classification", "regression")
        + "performance_estimation: {calibration: isotonic}\n"))
        .hasMessage("m.yaml: performance_estimation: only for tasks binary_classification and multiclass_classification");
    // A window reference takes its calibration from a profile named here.
    assertThat(MonitorSpecParser.parse("m.yaml", MINIMAL + "performance_estimation: {profile: churn-profile.json}\n")
        .estimation()).isEqualTo(new EstimationSpec(dev.driftline.core.estimation.CalibrationMethod.ISOTONIC, "churn-profile.json"));
    assertThatThrownBy(() -> MonitorSpecParser.parse("m.yaml", MINIMAL.replace("{source: previous_window}",
        "{source: profile, path: p.json}") + "performance_estimation: {profile: other.json}\n"))
        .hasMessage("m.yaml: performance_estimation.profile: only for a window reference; with reference.source profile its calibration is used");
  }

  @Test
  void fillsDefaultsForAMinimalSpec() {
    MonitorSpec spec = MonitorSpecParser.parse("m.yaml", MINIMAL);

    assertThat(spec.fields().score()).isEqualTo("score");
    assertThat(spec.fields().label()).isEqualTo("label");
    assertThat(spec.fields().segment()).isNull();
    assertThat(spec.classificationThreshold()).isEqualTo(0.5);
    assertThat(spec.window().slide()).isEqualTo(Duration.ofHours(1));
    assertThat(spec.window().maxOutOfOrderness()).isEqualTo(Duration.ofSeconds(30));
    assertThat(spec.numericTests()).extracting(t -> t.test().id()).containsExactly("ks", "psi");
    assertThat(spec.numericTests().get(0).threshold()).isEqualTo(0.05);
    assertThat(spec.categoricalTests()).extracting(t -> t.test().id()).containsExactly("chi2", "psi");
    assertThat(spec.multipleTesting()).isEqualTo(MultipleTestingMethod.BH);
    assertThat(spec.policy().psiHardLimit()).isEqualTo(0.25);
  }

  @Test
  void hashIgnoresFormattingAndCommentsButNotContent() {
    String reformatted = "# a comment\n" + MINIMAL.replace("{size: 1h}", "\n  size: 1h");
    String changed = MINIMAL.replace("1h", "2h");

    String hash = MonitorSpecParser.parse("a.yaml", MINIMAL).specHash();

    assertThat(MonitorSpecParser.parse("b.yaml", reformatted).specHash()).isEqualTo(hash);
    assertThat(MonitorSpecParser.parse("c.yaml", changed).specHash()).isNotEqualTo(hash);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "wrong feature type | `- {name: plan, type: categorical}` | `- {name: plan, type: float}` | m.yaml: features[1].type: expected one of numeric|categorical, got \"float\"",
      "unknown top-level key | `window: {size: 1h}` | `windw: {size: 1h}` | m.yaml: windw: unknown key; expected one of",
      "missing window | `window: {size: 1h}` | `` | m.yaml: window: required, missing",
      "bad duration | `{size: 1h}` | `{size: 1 hour}` | m.yaml: window.size: expected a duration such as 30s, 10m, 1h, 7d, got \"1 hour\"",
      "slide above size | `{size: 1h}` | `{size: 1h, slide: 2h}` | m.yaml: window.slide: expected at most the window size 1h",
      "unknown task | `task: binary_classification` | `task: ranking` | m.yaml: task: expected one of binary_classification|regression, got \"ranking\"",
      "duplicate feature | `- {name: plan, type: categorical}` | `- {name: tenure, type: categorical}` | m.yaml: features[1].name: duplicate feature \"tenure\"",
      "profile without path | `{source: previous_window}` | `{source: profile}` | m.yaml: reference.path: required, missing",
      "test for the wrong type | `window: {size: 1h}` | `window: {size: 1h}\ntests: {categorical: {ks: {}}}` | m.yaml: tests.categorical.ks: expected a categorical test, one of psi|chi2|jensen_shannon|hellinger",
      "alpha out of range | `window: {size: 1h}` | `window: {size: 1h}\ntests: {numeric: {ks: {alpha: 2}}}` | m.yaml: tests.numeric.ks.alpha: expected a number in [",
      "threshold key on a p-value test | `window: {size: 1h}` | `window: {size: 1h}\ntests: {numeric: {ks: {threshold: 0.1}}}` | m.yaml: tests.numeric.ks.threshold: unknown key; expected one of alpha",
      "bad multiple testing | `window: {size: 1h}` | `window: {size: 1h}\nmultiple_testing: holm` | m.yaml: multiple_testing: expected one of none|bonferroni|bh, got \"holm\"",
      "k above n | `window: {size: 1h}` | `window: {size: 1h}\npolicy: {dataset_drift: {k: 4, n: 3}}` | m.yaml: policy.dataset_drift.k: expected k <= n (3), got 4",
      "metric for another task | `window: {size: 1h}` | `window: {size: 1h}\npolicy: {performance: [{metric: rmse, max: 2}]}` | m.yaml: policy.performance[0].metric: metric rmse does not apply to task binary_classification",
      "min on an error metric | `window: {size: 1h}` | `window: {size: 1h}\npolicy: {performance: [{metric: brier, min: 0.2}]}` | m.yaml: policy.performance[0].min: expected max for brier (lower is better)",
      "unknown critical feature | `window: {size: 1h}` | `window: {size: 1h}\npolicy: {critical_features: [income]}` | m.yaml: policy.critical_features[0]: expected the name of a declared feature, got \"income\"",
      "model id with a space | `model_id: churn` | `model_id: churn model` | m.yaml: model_id: expected a model id of letters, digits, . _ - (at most 128), got \"churn model\"",
  })
  void rejectsABadSpecWithOneLineNamingThePath(String name, String from, String to, String expected) {
    String yaml = MINIMAL.replace(from, to.replace("\\n", "\n"));
    assertThat(yaml).as("the case must change the document").isNotEqualTo(MINIMAL);

    assertThatThrownBy(() -> MonitorSpecParser.parse("m.yaml", yaml))
        .isInstanceOf(SpecException.class)
        .hasMessageStartingWith(expected)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void readsACountWindowAndKeepsTimeTheDefault() {
    MonitorSpec spec = MonitorSpecParser.parse("m.yaml",
        MINIMAL.replace("window: {size: 1h}", "window: {type: count, count: 500, max_out_of_orderness: 2m}"));

    assertThat(spec.window().type()).isEqualTo(WindowSpec.Type.COUNT);
    assertThat(spec.window().count()).isEqualTo(500);
    assertThat(spec.window().size()).isNull();
    assertThat(spec.window().slide()).isNull();
    assertThat(spec.window().allowedLateness()).isEqualTo(Duration.ZERO);
    assertThat(spec.window().maxOutOfOrderness()).isEqualTo(Duration.ofMinutes(2));
    assertThat(spec.window().idleTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(spec.window().isTumbling()).isFalse();
    assertThat(spec.window().describe()).isEqualTo("500 predictions");
    assertThat(MonitorSpecParser.parse("m.yaml",
        MINIMAL.replace("window: {size: 1h}", "window: {type: count, count: 10000000}")).window().count())
        .isEqualTo(10_000_000);

    WindowSpec time = MonitorSpecParser.parse("m.yaml", MINIMAL).window();
    assertThat(time).isEqualTo(new WindowSpec(Duration.ofHours(1), Duration.ofHours(1), Duration.ZERO,
        Duration.ofSeconds(30), Duration.ofMinutes(1)));
    assertThat(time.type()).isEqualTo(WindowSpec.Type.TIME);
    assertThat(MonitorSpecParser.parse("m.yaml", MINIMAL.replace("window: {size: 1h}", "window: {type: time, size: 1h}"))
        .window()).isEqualTo(time);
  }

  @Test
  void readsTheShippedCountWindowExample() {
    MonitorSpec spec = MonitorSpecParser.load(Path.of("../examples/low-traffic/monitor.yaml"));

    assertThat(spec.modelId()).isEqualTo("loan-review");
    assertThat(spec.window()).isEqualTo(WindowSpec.ofCount(300, Duration.ofMinutes(5), Duration.ofMinutes(1)));
    assertThat(spec.reference().source()).isEqualTo(ReferenceSpec.Source.PREVIOUS_WINDOW);
    assertThat(spec.policy().performance()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '#', quoteCharacter = '`', value = {
      "size with count# `window: {type: count, count: 50, size: 1h}`# m.yaml: window.size: not used with type count; expected count (predictions per window)",
      "slide with count# `window: {type: count, count: 50, slide: 1h}`# m.yaml: window.slide: not used with type count; expected count (predictions per window)",
      "lateness with count# `window: {type: count, count: 50, allowed_lateness: 5m}`# m.yaml: window.allowed_lateness: not used with type count; expected count (predictions per window)",
      "count missing# `window: {type: count}`# m.yaml: window.count: required with type count; expected a whole number in [2, 10000000]",
      "count of one# `window: {type: count, count: 1}`# m.yaml: window.count: expected a whole number in [2, 10000000], got 1",
      "count too large# `window: {type: count, count: 10000001}`# m.yaml: window.count: expected a whole number in [2, 10000000], got 10000001",
      "count not whole# `window: {type: count, count: 2.5}`# m.yaml: window.count: expected a whole number, got 2.5",
      "count with time# `window: {size: 1h, count: 50}`# m.yaml: window.count: not used with type time; expected size (and slide), or type: count",
      "unknown type# `window: {type: session, size: 1h}`# m.yaml: window.type: expected one of time|count, got \"session\"",
      "pinned reference# `window: {type: count, count: 50}\nreference: {source: pinned_window, start: 2026-01-01T00:00:00Z, end: 2026-01-02T00:00:00Z}`# m.yaml: reference.source: pinned_window is not used with window type count; expected profile|previous_window",
      "performance condition# `window: {type: count, count: 50}\npolicy: {performance: [{metric: auc, min: 0.7}]}`# m.yaml: policy.performance: not used with window type count (performance is computed on time windows only); expected none",
      "detector on the error rate# `window: {type: count, count: 50}\npolicy: {page_hinkley: {}}`# m.yaml: policy.page_hinkley: watches the error rate, which is not computed with window type count (performance is computed on time windows only); expected a watched feature statistic",
  })
  void rejectsABadCountWindowWithOneLine(String name, String window, String expected) {
    String yaml = MINIMAL.replace("reference: {source: previous_window}\n", "")
        .replace("window: {size: 1h}", window.replace("\\n", "\n"));
    String withReference = yaml.contains("reference:") ? yaml : yaml + "reference: {source: previous_window}\n";

    assertThatThrownBy(() -> MonitorSpecParser.parse("m.yaml", withReference))
        .isInstanceOf(SpecException.class)
        .hasMessage(expected);
  }

  @Test
  void readsEachOnlineDetectorWithItsDefaults() {
    MonitorSpec spec = MonitorSpecParser.parse("m.yaml", MINIMAL + "policy: {page_hinkley: {}, adwin: {}}\n");

    assertThat(spec.policy().detectors()).extracting(DetectorSpec::id).containsExactly("page_hinkley", "adwin");
    assertThat(spec.policy().pageHinkley()).isEqualTo(new PageHinkleyDetector.Options(0.005, 0.5, 5));
    assertThat(spec.policy().options(AdwinDetector.INSTANCE)).isEqualTo(new AdwinDetector.Options(0.002, 5));
    assertThat(MonitorSpecParser.parse("m.yaml", MINIMAL).policy().detectors()).isEmpty();
  }

  @Test
  void readsWhatTheErtDetectorWatches() {
    MonitorSpec onError = MonitorSpecParser.parse("m.yaml", MINIMAL + "policy: {ert: {expected_run_windows: 500}}\n");
    assertThat(onError.policy().options(ErtCusumDetector.INSTANCE))
        .isEqualTo(new ErtCusumDetector.Options(500, 100, Watch.ERROR_RATE));

    MonitorSpec onFeature = MonitorSpecParser.parse("m.yaml",
        MINIMAL + "policy: {ert: {expected_run_windows: 200, warmup_windows: 20, watch: tenure}}\n");
    assertThat(onFeature.policy().options(ErtCusumDetector.INSTANCE).watch()).isEqualTo(Watch.statistic("tenure", "ks"));

    MonitorSpec onPsi = MonitorSpecParser.parse("m.yaml",
        MINIMAL + "policy: {ert: {expected_run_windows: 200, watch: plan, test: psi}}\n");
    assertThat(onPsi.policy().options(ErtCusumDetector.INSTANCE).watch()).isEqualTo(Watch.statistic("plan", "psi"));

    MonitorSpec auto = MonitorSpecParser.parse("m.yaml",
        MINIMAL + "tests: auto\npolicy: {ert: {expected_run_windows: 200, watch: tenure, test: wasserstein}}\n");
    assertThat(auto.policy().options(ErtCusumDetector.INSTANCE).watch()).isEqualTo(Watch.statistic("tenure", "wasserstein"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "unknown detector option | `adwin: {delta: 0.002, window: 5}` | `m.yaml: policy.adwin.window: unknown key; expected one of delta|min_windows`",
      "adwin delta zero | `adwin: {delta: 0}` | m.yaml: policy.adwin.delta: expected a number in [4.9E-324, 1], got 0",
      "adwin delta above one | `adwin: {delta: 1.5}` | m.yaml: policy.adwin.delta: expected a number in [4.9E-324, 1], got 1.5",
      "adwin min_windows zero | `adwin: {min_windows: 0}` | m.yaml: policy.adwin.min_windows: expected a whole number in [1, 10000], got 0",
      "adwin not a mapping | `adwin: 0.002` | m.yaml: policy.adwin: expected a mapping, got 0.002",
      "page_hinkley lambda zero | `page_hinkley: {lambda: 0}` | m.yaml: policy.page_hinkley.lambda: expected a number in [4.9E-324, inf], got 0",
      "ert without its run length | `ert: {warmup_windows: 50}` | m.yaml: policy.ert.expected_run_windows: required, missing; expected the mean number of windows between false alarms, e.g. 500",
      "ert run length too short | `ert: {expected_run_windows: 5}` | m.yaml: policy.ert.expected_run_windows: expected a whole number in [10, 10000], got 5",
      "ert run length not whole | `ert: {expected_run_windows: 99.5}` | m.yaml: policy.ert.expected_run_windows: expected a whole number, got 99.5",
      "ert warm-up too short | `ert: {expected_run_windows: 500, warmup_windows: 5}` | m.yaml: policy.ert.warmup_windows: expected a whole number in [20, 1000], got 5",
      "ert watching an unknown feature | `ert: {expected_run_windows: 500, watch: income}` | m.yaml: policy.ert.watch: expected error_rate or the name of a declared feature, got \"income\"",
      "ert test with the error rate | `ert: {expected_run_windows: 500, test: ks}` | m.yaml: policy.ert.test: only with a feature to watch; the error rate has no test",
      "ert test not run on the feature | `ert: {expected_run_windows: 500, watch: tenure, test: chi2}` | `m.yaml: policy.ert.test: expected a test run on feature tenure, one of ks|psi, got \"chi2\"`",
      "ert unknown option | `ert: {expected_run_windows: 500, threshold: 4}` | `m.yaml: policy.ert.threshold: unknown key; expected one of expected_run_windows|test|warmup_windows|watch`",
  })
  void rejectsBadDetectorOptionsWithOneLineNamingThePath(String name, String policy, String expected) {
    assertThat(expected).doesNotContain("\n");
    assertThatThrownBy(() -> MonitorSpecParser.parse("m.yaml", MINIMAL + "policy: {" + policy + "}\n"))
        .isInstanceOf(SpecException.class)
        .hasMessage(expected);
  }

  @Test
  void aSpecWithDetectorsSurvivesJavaSerialization() throws Exception {
    // Flink ships the specs to its tasks with Java serialization.
    MonitorSpec spec = MonitorSpecParser.load(Path.of("../examples/churn/monitor.yaml"));
    assertThat(spec.policy().detectors()).extracting(DetectorSpec::id).containsExactly("page_hinkley", "adwin", "ert");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(spec);
    }
    MonitorSpec back;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (MonitorSpec) in.readObject();
    }
    assertThat(back).isEqualTo(spec);
    assertThat(back.policy().options(ErtCusumDetector.INSTANCE)).isEqualTo(new ErtCusumDetector.Options(1008, 144, Watch.ERROR_RATE));
    assertThat(back.policy().detectors().get(1).detector()).isSameAs(AdwinDetector.INSTANCE);
  }

  /** The tests an auto feature's results may carry: the registry's numeric comparisons. */
  static final List<String> NUMERIC_TESTS_BUT_AUTO = dev.driftline.core.drift.DriftTests.idsFor(FeatureType.NUMERIC).stream()
      .filter(t -> !t.equals("auto")).toList();

  @Test
  void anAutoFeatureNeedsTheTestItsErtWatches() {
    assertThatThrownBy(() -> MonitorSpecParser.parse("m.yaml",
        MINIMAL + "tests: auto\npolicy: {ert: {expected_run_windows: 200, watch: tenure}}\n"))
        .isInstanceOf(SpecException.class)
        .hasMessage("m.yaml: policy.ert.test: required for feature tenure, whose test is chosen per window (auto); "
            + "expected the test whose statistic to watch, one of " + String.join("|", NUMERIC_TESTS_BUT_AUTO));
    // Today's registry: ks|psi|jensen_shannon|wasserstein|hellinger and any numeric test registered since.
    assertThat(NUMERIC_TESTS_BUT_AUTO).startsWith("ks", "psi", "jensen_shannon", "wasserstein").contains("hellinger");
  }

  @Test
  void parsesEveryExampleSpec() throws Exception {
    List<Path> specs;
    try (Stream<Path> files = Files.walk(Path.of("../examples"))) {
      specs = files.filter(p -> p.getFileName().toString().matches("monitor.*\\.yaml")).sorted().toList();
    }
    assertThat(specs).extracting(p -> p.getParent().getFileName() + "/" + p.getFileName())
        .containsExactly("churn/monitor.yaml", "credit-default/monitor-auto.yaml", "credit-default/monitor.yaml",
            "low-traffic/monitor.yaml", "ticket-routing/monitor.yaml");
    for (Path spec : specs) {
      assertThat(MonitorSpecParser.load(spec).modelId()).as(spec.toString()).isNotEmpty();
    }
  }

  @Test
  void reportsYamlSyntaxErrorsWithLineAndColumn() {
    assertThatThrownBy(() -> MonitorSpecParser.parse("m.yaml", "model_id: churn\nfeatures: [\n  {name: a"))
        .isInstanceOf(SpecException.class)
        .hasMessageStartingWith("m.yaml:")
        .hasMessageContaining("invalid YAML");
  }

  @Test
  void reportsAMissingFile() {
    assertThatThrownBy(() -> MonitorSpecParser.load(Path.of("no/such/monitor.yaml")))
        .isInstanceOf(SpecException.class)
        .hasMessage("no/such/monitor.yaml: no such file");
  }
}
