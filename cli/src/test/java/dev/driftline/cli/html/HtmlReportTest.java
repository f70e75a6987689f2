package dev.driftline.cli.html;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page from topics: ticks, legends with many features, the flagged features' tests. */
class HtmlReportTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int FEATURES = 20;
  private static final int WINDOWS = 12;

  /** KS statistics spread over [0.01, 0.024]; PSI over [0.001, 0.3]; feature f00 drifts from window 8 on. */
  private static List<JsonNode> drift() {
    List<JsonNode> out = new ArrayList<>();
    for (int w = 0; w < WINDOWS; w++) {
      String start = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(3600L * w).toString();
      for (int f = 0; f < FEATURES; f++) {
        String feature = String.format("f%02d", f);
        boolean drifted = f == 0 && w >= 8;
        double ks = 0.01 + 0.014 * ((f * WINDOWS + w) % 29) / 28.0;
        double psi = drifted ? 0.3 : 0.001 + 0.001 * f;
        out.add(result(feature, start, "ks", ks, drifted ? 1e-6 : 0.4, 0.01, drifted, null));
        out.add(result(feature, start, "psi", psi, null, 0.25, drifted, drifted ? "major" : "stable"));
      }
    }
    return out;
  }

  private static JsonNode result(String feature, String start, String test, double statistic, Double p,
      double threshold, boolean drift, String level) {
    ObjectNode n = MAPPER.createObjectNode().put("model_id", "m").put("segment", "__all__").put("feature", feature)
        .put("feature_type", "numeric").put("test", test).put("statistic", statistic).put("threshold", threshold)
        .put("drift", drift).put("method", "exact").put("window_start", start).put("n_reference", 5000).put("n_current", 600);
    if (p != null) {
      n.put("p_value", p).put("adjusted_p_value", p);
    }
    if (level != null) {
      n.put("level", level);
    }
    return n;
  }

  private static List<List<String>> tickLabelsPerChart(String html) {
    List<List<String>> out = new ArrayList<>();
    Matcher svg = Pattern.compile("<svg class=\"chart\".*?</svg>", Pattern.DOTALL).matcher(html);
    while (svg.find()) {
      List<String> ticks = new ArrayList<>();
      Matcher t = Pattern.compile("<text class=\"tick\"[^>]*>([^<]*)</text>").matcher(svg.group());
      while (t.find()) {
        ticks.add(t.group(1));
      }
      out.add(ticks);
    }
    return out;
  }

  @Test
  void lineChartTicksAreDistinctAndRound() {
    String html = HtmlReport.render(drift(), List.of(), List.of(), List.of());
    List<List<String>> charts = tickLabelsPerChart(html);
    assertThat(charts).hasSize(2);
    // PSI reaches 0.3 (the 0.25 limit line is always in range): 0.05 steps would need 7 ticks, over the 6 allowed.
    assertThat(charts.get(0)).containsExactly("0.0", "0.1", "0.2", "0.3");
    // KS over [0.01, 0.024] from 0: formerly 0.00, 0.01, 0.01, 0.02, 0.02.
    assertThat(charts.get(1)).containsExactly("0.000", "0.005", "0.010", "0.015", "0.020", "0.025");
  }

  @Test
  void legendNamesEveryOneOfTwentyFeaturesWithADistinctColour() {
    String html = HtmlReport.render(drift(), List.of(), List.of(), List.of());
    Matcher keys = Pattern.compile("<ul class=\"keys\">(.*?)</ul>", Pattern.DOTALL).matcher(html);
    assertThat(keys.find()).isTrue();
    List<String> names = new ArrayList<>();
    Set<String> colours = new HashSet<>();
    Matcher li = Pattern.compile("<li><svg[^>]*><line [^>]*stroke=\"(#[0-9a-f]{6})\"[^>]*/></svg>([^<]*)</li>").matcher(keys.group(1));
    while (li.find()) {
      colours.add(li.group(1));
      names.add(li.group(2));
    }
    assertThat(names).hasSize(FEATURES).startsWith("f00", "f01").endsWith("f19");
    assertThat(colours).hasSize(FEATURES);
  }

  @Test
  void flaggedFeaturesListTheirTestsInTheLatestFlaggedWindow() {
    String html = HtmlReport.render(drift(), List.of(), List.of(), List.of());
    assertThat(html).contains("<summary>Flagged features: tests in the latest window that flagged each (1)</summary>");
    Matcher table = Pattern.compile("<summary>Flagged features.*?</table>", Pattern.DOTALL).matcher(html);
    assertThat(table.find()).isTrue();
    assertThat(table.group()).contains("<th rowspan=\"2\">f00</th><td rowspan=\"2\">4</td><td rowspan=\"2\">2026-01-01T11:00:00Z</td>")
        .contains("<td>psi</td><td>0.3000</td><td></td><td>0.2500</td><td>exact</td><td>5000 / 600</td><td class=\"drift\">drift (major)</td>")
        .contains("<td>ks</td>").contains("1.000e-06 (1.000e-06)").doesNotContain("f01");
  }

  @Test
  void failedDataQualityChecksHaveTheirOwnTableAndStayOutOfTheDriftParts() {
    List<JsonNode> drift = new ArrayList<>(drift());
    for (int w = 0; w < WINDOWS; w++) {
      String start = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(3600L * w).toString();
      // f05's wrong_type check fails in windows 3 and 7; f06's missing_share never does.
      drift.add(result("f05", start, "wrong_type", w == 3 || w == 7 ? 0.01 : 0.0, null, 0.0, w == 3 || w == 7, null));
      drift.add(result("f06", start, "missing_share", 0.02, 0.6, 0.05, false, null));
    }
    String html = HtmlReport.render(drift, List.of(), List.of(), List.of());
    Matcher table = Pattern.compile("<details class=\"quality\">.*?</details>", Pattern.DOTALL).matcher(html);
    assertThat(table.find()).isTrue();
    assertThat(table.group()).contains("Data-quality checks that failed (1)",
        "<tr><th>f05</th><td>wrong_type</td><td>2</td><td>2026-01-01T07:00:00Z</td>").doesNotContain("f06");
    // Only f00 flags drift: but for the count of results and the table, the page is as without the checks.
    String without = HtmlReport.render(drift(), List.of(), List.of(), List.of());
    assertThat(html.replace(table.group(), "").replace("504 drift results", "480 drift results")).isEqualTo(without);
    assertThat(HtmlReport.render(drift.stream().filter(d -> !d.path("drift").asBoolean() || !d.path("test").asText()
        .equals("wrong_type")).toList(), List.of(), List.of(), List.of()))
        .contains("Data-quality checks: none failed (22 results)");
  }

  @Test
  void multivariateDriftHasItsOwnChartOfTheMeanErrorBetweenItsBand() {
    List<JsonNode> drift = new ArrayList<>(drift());
    for (int w = 0; w < WINDOWS; w++) {
      String start = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(3600L * w).toString();
      // The mean error leaves the band [1.0, 1.2] from window 9 on.
      drift.add(((ObjectNode) result("__pca__", start, "pca_reconstruction", w >= 9 ? 1.6 : 1.1, null, 1.2, w >= 9, null))
          .put("feature_type", "multivariate").put("threshold_lower", 1.0).put("threshold_upper", 1.2));
    }
    String html = HtmlReport.render(drift, List.of(), List.of(), List.of());
    List<List<String>> charts = tickLabelsPerChart(html);
    assertThat(charts).hasSize(3);
    assertThat(charts.get(2)).containsExactly("0.0", "0.5", "1.0", "1.5", "2.0");
    Matcher chart = Pattern.compile("<h3>Multivariate drift: __pca__ \\(pca_reconstruction\\)</h3><svg class=\"chart\".*?</svg>.*?</ul>",
        Pattern.DOTALL).matcher(html);
    assertThat(chart.find()).as(html).isTrue();
    assertThat(chart.group()).contains(">band lower end<", ">band upper end<", ">mean reconstruction error<");
    assertThat(html).contains("<summary>Flagged features: tests in the latest window that flagged each (2)</summary>")
        .doesNotContain("No bin counts in the results of __pca__");
  }

  @Test
  void documentsThatAreNotDriftlineRecordsAreCountedAndLeftOut() {
    List<JsonNode> drift = new ArrayList<>(drift());
    drift.add(MAPPER.createObjectNode().put("segment", "__all__").put("feature", "f00").put("test", "ks")
        .put("window_start", "2026-01-01T00:00:00Z")); // no model
    drift.add(MAPPER.createObjectNode().put("model_id", "m").put("statistic", "high")); // not a number
    List<JsonNode> performance = List.of(MAPPER.createArrayNode().add(1)); // not an object

    ReportData data = ReportData.of(drift, performance, List.of(), List.of());
    String html = HtmlReport.render(data);

    assertThat(data.drift()).hasSize(2 * FEATURES * WINDOWS);
    assertThat(data.performance()).isEmpty();
    assertThat(data.unreadable()).isEqualTo(3);
    assertThat(html).contains("<small>" + 2 * FEATURES * WINDOWS + " drift results, 0 performance updates, 0 retrain triggers, "
        + "0 alerts; 3 documents not readable as Driftline records, left out</small>");
  }
}
