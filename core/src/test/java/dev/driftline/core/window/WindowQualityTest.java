package dev.driftline.core.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import dev.driftline.core.baseline.Baseline;

import dev.driftline.core.baseline.BaselineBuilder;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.baseline.BaselineFiles;
import dev.driftline.core.baseline.Constraints;
import dev.driftline.core.baseline.FeatureBaseline;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.io.CsvTable;
import dev.driftline.core.io.InputException;
import dev.driftline.core.spec.ChurnSpec;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data-quality checks of a window against a profile built by {@code baseline build}: the
 * constraints it suggests, the spec's overrides, and the drift results left as they were.
 */
class WindowQualityTest {
  private static final String SPEC = ChurnSpec.yaml("reference: {source: profile, path: p.json}", "window: {size: 1h}", "");

  @TempDir Path dir;

  /** 100 rows: tenure 1..100 with rows 91..100 empty (10% missing), plan basic/pro alternating. */
  private BaselineFile profile(MonitorSpec spec) throws IOException {
    List<String> lines = new ArrayList<>(List.of("tenure,plan,score"));
    for (int i = 1; i <= 100; i++) {
      lines.add((i > 90 ? "" : Integer.toString(i)) + "," + (i % 2 == 0 ? "basic" : "pro") + ",0.5");
    }
    Path file = dir.resolve("t.csv");
    Files.writeString(file, String.join("\n", lines) + "\n");
    return BaselineBuilder.build(spec, CsvTable.read(file), Instant.EPOCH);
  }

  /**
   * 40 predictions: tenure i for i in 0..39 except every 8th (5 missing, 2 of them of the wrong
   * type), so 0 lies below the reference's min 1; plan basic, pro, or "gold" for 4 of them, one
   * object value.
   */
  private static WindowSummary window(MonitorSpec spec) {
    WindowSummary w = WindowSummary.empty(spec);
    for (int i = 0; i < 40; i++) {
      boolean missing = i % 8 == 7;
      boolean wrongNumber = i == 7 || i == 15;
      boolean wrongCategory = i == 1;
      String plan = wrongCategory ? null : i % 10 == 3 ? "gold" : i % 2 == 0 ? "basic" : "pro";
      w.add(new Prediction("churn", "p" + i, 1000 + i, null, null,
          new double[] {missing ? Double.NaN : i, wrongCategory ? Prediction.WRONG_TYPE_MARK : Double.NaN},
          new String[] {wrongNumber ? Prediction.WRONG_TYPE : null, plan}, 0.5, null));
    }
    return w;
  }

  private static Map<String, FeatureDrift> byFeatureAndTest(List<FeatureDrift> results) {
    Map<String, FeatureDrift> out = new TreeMap<>();
    results.forEach(r -> assertThat(out.put(r.feature() + " " + r.test(), r)).isNull());
    return out;
  }

  @Test
  void baselineBuildSuggestsRangeCategoriesAndMissingShare() throws IOException {
    MonitorSpec spec = MonitorSpecParser.parse("m.yaml", SPEC);
    BaselineFile p = profile(spec);
    assertThat(p.features().get("tenure").constraints()).isEqualTo(new Constraints(1.0, 90.0, null, 0.1));
    assertThat(p.features().get("plan").constraints()).isEqualTo(new Constraints(null, null, List.of("basic", "pro"), 0.0));
    assertThat(p.score().constraints()).isNull();
    Path file = dir.resolve("p.json");
    BaselineFiles.write(p, file);
    assertThat(Files.readString(file)).contains("\"missing_share\"");
    assertThat(BaselineFiles.read(file).features().get("tenure").constraints()).isEqualTo(p.features().get("tenure").constraints());
    // A profile written before constraints gets the same ones from its own summaries.
    FeatureBaseline older = p.features().get("tenure").withConstraints(null);
    assertThat(older.constraintsOrSuggested()).isEqualTo(p.features().get("tenure").constraints());
  }

  @Test
  void checksEachFeatureAgainstTheSuggestedConstraints() throws IOException {
    MonitorSpec spec = MonitorSpecParser.parse("m.yaml", SPEC + "data_quality: all\n");
    Baseline baseline = Baseline.fromProfile(profile(spec), spec);
    Map<String, FeatureDrift> r = byFeatureAndTest(WindowDrift.quality(spec, baseline, window(spec)));

    assertThat(r.keySet()).containsExactly("plan missing_share", "plan unseen_categories", "plan wrong_type",
        "tenure missing_share", "tenure out_of_range", "tenure wrong_type");
    // tenure: 5 of 40 missing against 10 of 100. scipy: x1, n1, x2, n2 = 10, 100, 5, 40;
    //   p1 = x1/n1; p2 = x2/n2; P = (x1+x2)/(n1+n2); z = (p1-p2)/np.sqrt(P*(1-P)*(1/n1+1/n2))
    //   -> z = -0.4320493798938572, 2*stats.norm.sf(abs(z)) = 0.6657055242215796
    FeatureDrift missing = r.get("tenure missing_share");
    assertThat(missing.statistic()).isEqualTo(0.125);
    assertThat(missing.pValue()).isCloseTo(0.6657055242215796, within(1e-12));
    assertThat(missing.drift()).isFalse();
    assertThat(missing.nReference()).isEqualTo(100);
    assertThat(missing.nCurrent()).isEqualTo(40);
    // 35 values 0..38; only 0 is outside [1, 90].
    assertThat(r.get("tenure out_of_range").statistic()).isEqualTo(1.0 / 35);
    assertThat(r.get("tenure out_of_range").drift()).isTrue();
    assertThat(r.get("tenure wrong_type").statistic()).isEqualTo(2.0 / 40);
    assertThat(r.get("tenure wrong_type").drift()).isTrue();
    // plan: "gold" at i = 3, 13, 23, 33 among 39 values; the object value at i = 1 is missing.
    assertThat(r.get("plan unseen_categories").statistic()).isEqualTo(4.0 / 39);
    assertThat(r.get("plan unseen_categories").drift()).isTrue();
    assertThat(r.get("plan wrong_type").statistic()).isEqualTo(1.0 / 40);
    // 1 of 40 missing against none of 100, as above with 0, 100, 1, 40: z = -1.586816187058473
    assertThat(r.get("plan missing_share").statistic()).isEqualTo(1.0 / 40);
    assertThat(r.get("plan missing_share").pValue()).isCloseTo(0.1125542816010496, within(1e-12));
  }

  @Test
  void theSpecOverridesConstraintsKeyByKey() throws IOException {
    MonitorSpec spec = MonitorSpecParser.parse("m.yaml", SPEC.replace("{name: tenure, type: numeric}",
            "{name: tenure, type: numeric, constraints: {quantiles: [0.1, 0.9], missing_share: 0.125}}")
        .replace("{name: plan, type: categorical}", "{name: plan, type: categorical, constraints: {categories: [basic, pro, gold]}}")
        + "data_quality: {missing_share: {}, out_of_range: {threshold: 0.5}, unseen_categories: {}}\n");
    Baseline baseline = Baseline.fromProfile(profile(spec), spec);
    // numpy: np.quantile(np.arange(1, 91), [0.1, 0.9]) -> [9.9, 81.1]; tenure's min/max/share replaced.
    Constraints tenure = baseline.constraints().get("tenure");
    assertThat(tenure.min()).isCloseTo(9.9, within(1e-12));
    assertThat(tenure.max()).isCloseTo(81.1, within(1e-12));
    assertThat(tenure.missingShare()).isEqualTo(0.125);
    assertThat(baseline.constraints().get("plan").categories()).containsExactly("basic", "pro", "gold");
    Map<String, FeatureDrift> r = byFeatureAndTest(WindowDrift.quality(spec, baseline, window(spec)));
    assertThat(r.keySet()).containsExactly("plan missing_share", "plan unseen_categories", "tenure missing_share",
        "tenure out_of_range");
    // Of the 35 values, 0..9 but 7 (missing) lie below 9.9.
    assertThat(r.get("tenure out_of_range").statistic()).isEqualTo(9.0 / 35);
    assertThat(r.get("tenure out_of_range").drift()).isFalse();
    assertThat(r.get("tenure missing_share").pValue()).isEqualTo(1.0);
    assertThat(r.get("plan unseen_categories").statistic()).isZero();
  }

  @Test
  void driftResultsAreTheSameWithAndWithoutChecks() throws IOException {
    MonitorSpec plain = MonitorSpecParser.parse("m.yaml", SPEC);
    MonitorSpec checked = MonitorSpecParser.parse("m.yaml", SPEC + "data_quality: all\n");
    BaselineFile p = profile(plain);
    List<FeatureDrift> without = WindowDrift.evaluate(plain, Baseline.fromProfile(p, plain), window(plain));
    List<FeatureDrift> with = WindowDrift.evaluate(checked, Baseline.fromProfile(p, checked), window(checked));
    assertThat(without).isNotEmpty();
    assertThat(with.subList(0, without.size())).isEqualTo(without);
    assertThat(with).hasSize(without.size() + 6);
  }

  @Test
  void aProfileWithBadConstraintsIsRefusedNamingTheField() throws IOException {
    MonitorSpec spec = MonitorSpecParser.parse("m.yaml", SPEC);
    BaselineFile p = profile(spec);
    Map<String, FeatureBaseline> features = new TreeMap<>(p.features());
    features.put("tenure", features.get("tenure").withConstraints(new Constraints(5.0, 1.0, null, null)));
    BaselineFile bad = new BaselineFile(p.format(), p.profileId(), p.modelId(), p.specHash(),
        "2026-02-01T00:00:00Z", p.source(), p.rows(), features, p.score(), p.label(), p.calibration(), null, null);
    assertThatThrownBy(() -> BaselineFiles.checkUsable(bad, "b.json", spec)).isInstanceOf(InputException.class)
        .hasMessage("b.json: features.tenure.constraints.max: expected at least min 5.0, got 1.0");
    features.put("tenure", features.get("tenure").withConstraints(new Constraints(null, null, null, 1.5)));
    assertThatThrownBy(() -> BaselineFiles.checkUsable(bad, "b.json", spec))
        .hasMessage("b.json: features.tenure.constraints.missing_share: expected a share in [0, 1], got 1.5");
  }
}
