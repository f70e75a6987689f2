package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftline.cli.html.DrawnBars;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.baseline.BaselineFiles;
import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.io.CsvTable;
import dev.driftline.core.synth.CreditDefaultData;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code report --html} from files: distributions recomputed here from the CSV and the profile. */
class ReportHtmlCommandTest {
  private static final String SPEC = "../examples/credit-default/monitor.yaml";
  @TempDir static Path dir;
  static Path profileFile;
  static Path current;
  static Path page;
  static String html;
  static JsonNode data;

  @BeforeAll
  static void writeThePage() throws IOException {
    Path training = csv("training.csv", 1, CreditDefaultData.Shift.NONE, 5_000);
    current = csv("current.csv", 2, CreditDefaultData.Shift.INCOME_AND_PURPOSE, 1_500);
    profileFile = dir.resolve("profile.json");
    CliRun build = CliRun.of("baseline", "build", "--spec", SPEC, "--input", training.toString(), "--out", profileFile.toString());
    assertThat(build.exitCode()).as(build.err()).isZero();
    page = dir.resolve("report.html");
    CliRun report = CliRun.of("report", "--spec", SPEC, "--baseline", profileFile.toString(),
        "--current", current.toString(), "--html", page.toString());
    assertThat(report.exitCode()).as(report.err()).isZero();
    assertThat(report.out()).contains("2 of 12 features drifted").contains("page written to " + page);
    html = Files.readString(page);
    Matcher m = Pattern.compile("<script type=\"application/json\" id=\"driftline-data\">(.*?)</script>", Pattern.DOTALL)
        .matcher(html);
    assertThat(m.find()).isTrue();
    data = new ObjectMapper().readTree(m.group(1));
  }

  private static Path csv(String name, long seed, CreditDefaultData.Shift shift, int rows) throws IOException {
    Path file = dir.resolve(name);
    try (Writer w = Files.newBufferedWriter(file)) {
      new CreditDefaultData(seed, shift).writeCsv(w, rows, 0L);
    }
    return file;
  }

  private static JsonNode feature(String name) {
    for (JsonNode f : data.get("features")) {
      if (f.get("feature").asText().equals(name)) {
        return f;
      }
    }
    throw new AssertionError("no feature " + name);
  }

  @Test
  void numericBinsAreTheProfilesAndCurrentCountsMatchARecount() {
    BaselineFile profile = BaselineFiles.read(profileFile);
    CsvTable table = CsvTable.read(current);
    for (String name : List.of("income", "age", "loan_amount")) {
      NumericSummary.Bins bins = profile.features().get(name).numeric().binsFor(10);
      JsonNode f = feature(name);
      double[] edges = new double[f.get("edges").size()];
      for (int i = 0; i < edges.length; i++) {
        edges[i] = f.get("edges").get(i).asDouble();
      }
      assertThat(edges).containsExactly(bins.edges());
      assertThat(DrawnBars.longs(f.get("reference"))).containsExactly(bins.counts());
      // Brute force: a value's bin is the number of edges at or below it.
      long[] expected = new long[edges.length + 1];
      for (double v : table.numbers(table.column(name))) {
        int bin = 0;
        for (double e : edges) {
          bin += e <= v ? 1 : 0;
        }
        expected[bin]++;
      }
      assertThat(DrawnBars.longs(f.get("current"))).as(name).containsExactly(expected);
      assertThat(f.get("labels")).hasSize(edges.length + 1);
      assertThat(f.get("labels").get(0).asText()).startsWith("< ");
      assertThat(f.get("labels").get(edges.length).asText()).startsWith("≥ ");
    }
    assertThat(DrawnBars.longs(feature("income").get("current"))).satisfies(c -> assertThat(java.util.Arrays.stream(c).sum()).isEqualTo(1_500));
  }

  @Test
  void categoryCountsMatchARecountOfBothSides() {
    BaselineFile profile = BaselineFiles.read(profileFile);
    CsvTable table = CsvTable.read(current);
    for (String name : List.of("loan_purpose", "home_ownership", "loan_term")) {
      Map<String, Long> cur = new TreeMap<>();
      int column = table.column(name);
      for (int row = 0; row < table.rowCount(); row++) {
        if (!table.cell(row, column).isEmpty()) {
          cur.merge(table.cell(row, column), 1L, Long::sum);
        }
      }
      Map<String, Long> ref = profile.features().get(name).categories();
      JsonNode f = feature(name);
      assertThat(f.get("type").asText()).isEqualTo("categorical");
      assertThat(f.get("labels")).hasSizeLessThanOrEqualTo(20);
      Set<String> shown = new LinkedHashSet<>();
      for (int i = 0; i < f.get("labels").size(); i++) {
        String c = f.get("labels").get(i).asText();
        shown.add(c);
        assertThat(f.get("reference").get(i).asLong()).as(name + " " + c).isEqualTo(ref.getOrDefault(c, 0L));
        assertThat(f.get("current").get(i).asLong()).as(name + " " + c).isEqualTo(cur.getOrDefault(c, 0L));
      }
      Set<String> all = new java.util.TreeSet<>(ref.keySet());
      all.addAll(cur.keySet());
      assertThat(shown).containsExactlyInAnyOrderElementsOf(all);
    }
  }

  @Test
  void drawnBarsCarryTheEmbeddedCounts() {
    for (String name : List.of("income", "loan_purpose")) {
      DrawnBars bars = DrawnBars.of(html, name);
      assertThat(bars).as(name).isNotNull();
      assertThat(bars.reference()).containsExactly(DrawnBars.boxed(feature(name).get("reference")));
      assertThat(bars.current()).containsExactly(DrawnBars.boxed(feature(name).get("current")));
    }
  }

  @Test
  void driftedFeaturesComeFirstWithTheirTestsOthersAreCollapsed() {
    List<String> drifted = new ArrayList<>();
    data.get("features").forEach(f -> {
      if (f.get("drift").asBoolean()) {
        drifted.add(f.get("feature").asText());
      }
    });
    assertThat(drifted).containsExactly("income", "loan_purpose");
    JsonNode incomeTests = feature("income").get("tests");
    assertThat(incomeTests).hasSize(3);
    assertThat(incomeTests.findValuesAsText("test")).containsExactly("ks", "psi", "wasserstein");
    int details = html.indexOf("<details>");
    assertThat(html.indexOf("id=\"feature-income\"")).isBetween(0, details);
    assertThat(html.indexOf("id=\"feature-loan_purpose\"")).isBetween(0, details);
    assertThat(html.indexOf("id=\"feature-age\"")).isGreaterThan(details);
    assertThat(html).contains("<summary>Features without drift (10)</summary>");
  }

  @Test
  void everyAxisHasDistinctRoundTicks() {
    Matcher svg = Pattern.compile("<svg class=\"distribution\".*?</svg>", Pattern.DOTALL).matcher(html);
    int charts = 0;
    while (svg.find()) {
      charts++;
      List<String> ticks = new ArrayList<>();
      Matcher t = Pattern.compile("<text class=\"tick\"[^>]*>([^<]*)</text>").matcher(svg.group());
      while (t.find()) {
        ticks.add(t.group(1));
      }
      assertThat(ticks).hasSizeBetween(2, 7).doesNotHaveDuplicates();
      assertThat(ticks.get(0)).matches("0(\\.0+)?");
      java.math.BigDecimal step = new java.math.BigDecimal(ticks.get(1)).subtract(new java.math.BigDecimal(ticks.get(0)));
      assertThat(step.stripTrailingZeros().unscaledValue().toString()).isIn("1", "2", "25", "5");
    }
    assertThat(charts).isEqualTo(12);
  }

  @Test
  void kafkaWithoutAPageIsOneLineAndExitTwo() {
    CliRun r = CliRun.of("report", "--kafka", "localhost:1");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("--kafka needs --html (the page to write)");
  }

  @Test
  void thePageIsSelfContained() {
    // The only URL is the SVG namespace, which names and never fetches.
    assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("http:", "https:", "<link", "src=",
        "href=", "url(", "@import").doesNotContainPattern("<script(?! type=\"application/json\")");
  }
}
