package dev.driftline.cli.html;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.drift.DriftEvaluator;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.drift.methods.ChiSquareDriftTest;
import dev.driftline.core.drift.methods.KsDriftTest;
import dev.driftline.core.drift.methods.PsiDriftTest;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.stats.Psi;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The page from topics draws each flagged feature's distributions from the counts its PSI result
 * carries: drift result documents made by the same code as the job's window end (a numeric feature
 * shifted by one standard deviation; a categorical one with 25 categories whose mix changed), read
 * back from the page's embedded data and compared with a recount of the values.
 */
class TopicReportDistributionsTest {
  private static final long START = 1_772_409_600_000L; // 2026-03-02T00:00:00Z
  private static final long END = START + 600_000;
  private static double[] reference;
  private static double[] current;
  private static Map<String, Long> referenceCategories;
  private static Map<String, Long> currentCategories;
  private static String html;
  private static JsonNode data;

  @BeforeAll
  static void renderThePageFromDriftResults() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    reference = new double[5_000];
    Arrays.setAll(reference, i -> 50 + 10 * random.nextGaussian());
    current = new double[600];
    Arrays.setAll(current, i -> 60 + 10 * random.nextGaussian());
    double[] edges = Psi.binEdges(reference, 10);
    NumericSummary summary = new NumericSummary(50, 10, 0, 100, null, reference.clone(),
        List.of(new NumericSummary.Bins(10, edges, Psi.binCounts(edges, reference))), null);
    referenceCategories = new TreeMap<>();
    currentCategories = new TreeMap<>();
    for (int c = 0; c < 25; c++) {
      referenceCategories.put(String.format("c%02d", c), 400L - 15 * c);
      currentCategories.put(String.format("c%02d", c), 20L + 3 * c);
    }

    List<FeatureDrift> results = new ArrayList<>();
    results.addAll(DriftEvaluator.numeric("income", summary, reference.length, current,
        List.of(KsDriftTest.INSTANCE.defaults(), PsiDriftTest.INSTANCE.defaults())));
    results.addAll(DriftEvaluator.categorical("purpose", referenceCategories, currentCategories,
        List.of(ChiSquareDriftTest.INSTANCE.defaults(), PsiDriftTest.INSTANCE.defaults())));
    List<JsonNode> records = new ArrayList<>();
    for (FeatureDrift d : results) {
      records.add(Json.mapper().readTree(Json.bytes(DriftResult.of("m", DriftResult.ALL_SEGMENTS, START, END, d, "ref-1", END))));
    }
    // A flagged feature of an older record, written before results carried bins.
    ObjectNode old = Json.mapper().createObjectNode().put("model_id", "m").put("segment", "__all__").put("feature", "age")
        .put("feature_type", "numeric").put("test", "ks").put("statistic", 0.3).put("p_value", 1e-9).put("threshold", 0.01)
        .put("drift", true).put("window_start", "2026-03-02T00:00:00Z").put("window_end", "2026-03-02T00:10:00Z");
    records.add(old);
    assertThat(records).filteredOn(r -> r.path("drift").asBoolean()).extracting(r -> r.get("feature").asText())
        .contains("income", "purpose");

    html = HtmlReport.render(records, List.of(), List.of(), List.of());
    Matcher m = Pattern.compile("<script type=\"application/json\" id=\"driftline-data\">(.*?)</script>", Pattern.DOTALL)
        .matcher(html);
    assertThat(m.find()).isTrue();
    data = Json.mapper().readTree(m.group(1));
  }

  private static JsonNode feature(String name) {
    for (JsonNode f : data.get("features")) {
      if (f.get("feature").asText().equals(name)) {
        return f;
      }
    }
    throw new AssertionError("no feature " + name + " in " + data);
  }

  @Test
  void numericBinsAreTheReferenceQuantilesWithARecountOfTheWindow() {
    JsonNode f = feature("income");
    assertThat(f.get("model_id").asText()).isEqualTo("m");
    assertThat(f.get("window_start").asText()).isEqualTo("2026-03-02T00:00:00Z");
    double[] edges = new double[f.get("edges").size()];
    for (int i = 0; i < edges.length; i++) {
      edges[i] = f.get("edges").get(i).asDouble();
    }
    assertThat(edges).hasSize(9).containsExactly(Psi.binEdges(reference, 10));
    long[] expectedReference = new long[10];
    long[] expectedCurrent = new long[10];
    for (double v : reference) {
      expectedReference[(int) Arrays.stream(edges).filter(e -> e <= v).count()]++;
    }
    for (double v : current) {
      expectedCurrent[(int) Arrays.stream(edges).filter(e -> e <= v).count()]++;
    }
    assertThat(DrawnBars.longs(f.get("reference"))).containsExactly(expectedReference);
    assertThat(DrawnBars.longs(f.get("current"))).containsExactly(expectedCurrent);
    assertThat(Arrays.stream(DrawnBars.longs(f.get("current"))).sum()).isEqualTo(600);
    // Shifted up by one standard deviation: the top bin holds far more than its tenth.
    assertThat(expectedCurrent[9]).isGreaterThan(200);
    assertThat(f.get("labels").get(0).asText()).startsWith("< ");
    assertThat(f.get("tests").findValuesAsText("test")).containsExactly("ks", "psi");
  }

  @Test
  void categoriesAreTheTwentyMostFrequentAndTheRestSummed() {
    JsonNode f = feature("purpose");
    assertThat(f.get("type").asText()).isEqualTo("categorical");
    assertThat(f.get("labels")).hasSize(21);
    // Reference shares fall and current shares rise with the index; their sum falls, so c00 first.
    assertThat(f.get("labels").get(0).asText()).isEqualTo("c00");
    assertThat(f.get("labels").get(20).asText()).isEqualTo("(other 5)");
    long otherReference = 0;
    long otherCurrent = 0;
    for (int i = 0; i < 20; i++) {
      String c = f.get("labels").get(i).asText();
      assertThat(f.get("reference").get(i).asLong()).as(c).isEqualTo(referenceCategories.get(c));
      assertThat(f.get("current").get(i).asLong()).as(c).isEqualTo(currentCategories.get(c));
    }
    for (int c = 20; c < 25; c++) {
      otherReference += referenceCategories.get(String.format("c%02d", c));
      otherCurrent += currentCategories.get(String.format("c%02d", c));
    }
    assertThat(f.get("reference").get(20).asLong()).isEqualTo(otherReference).isEqualTo(350);
    assertThat(f.get("current").get(20).asLong()).isEqualTo(otherCurrent).isEqualTo(430);
  }

  @Test
  void drawnBarsCarryTheEmbeddedCountsAndResultsWithoutBinsAreNamed() {
    for (String name : List.of("income", "purpose")) {
      DrawnBars bars = DrawnBars.of(html, name);
      assertThat(bars).as(name).isNotNull();
      assertThat(bars.reference()).containsExactly(DrawnBars.boxed(feature(name).get("reference")));
      assertThat(bars.current()).containsExactly(DrawnBars.boxed(feature(name).get("current")));
    }
    assertThat(data.get("features")).hasSize(2);
    assertThat(html).contains("<div class=\"dist\" id=\"feature-m-income\"><div><h4>income <small>numeric, reference-quantile bins,"
        + " window 2026-03-02T00:00:00Z</small></h4>");
    assertThat(html).contains("No bin counts in the results of age (");
  }
}
