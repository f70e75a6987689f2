package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The stats command against scipy values made by cli/src/test/python/make_cli_fixtures.py. */
class StatsCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static Path fixtures;
  static JsonNode expected;
  @TempDir Path tmp;

  @BeforeAll
  static void load() throws IOException, URISyntaxException {
    fixtures = Path.of(StatsCommandTest.class.getResource("/cli/expected.json").toURI()).getParent();
    expected = JSON.readTree(fixtures.resolve("expected.json").toFile());
  }

  private static JsonNode run(String test, String ref, String cur, String... extra) throws IOException {
    String[] args = new String[5 + extra.length];
    args[0] = "stats";
    args[1] = test;
    args[2] = "--reference=" + fixtures.resolve(ref);
    args[3] = "--current=" + fixtures.resolve(cur);
    args[4] = "--help=false".equals("") ? "" : "--alpha=0.05";
    if (!test.equals("ks") && !test.equals("chi2")) {
      args[4] = "--threshold=" + (test.equals("psi") ? "0.25" : "0.1");
    }
    System.arraycopy(extra, 0, args, 5, extra.length);
    CliRun r = CliRun.of(args);
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out().strip()).doesNotContain("\n");
    return JSON.readTree(r.out());
  }

  @ParameterizedTest(name = "ks {0}")
  @CsvSource({"small, 60, 45", "large, 12000, 3000"})
  void ksAgreesWithScipy(String size, int nRef, int nCur) throws IOException {
    JsonNode out = run("ks", size + "-ref.txt", size + "-cur.txt");
    JsonNode want = expected.get("ks-" + size);

    assertThat(out.get("test").asText()).isEqualTo("ks");
    assertThat(out.get("statistic").asDouble()).isCloseTo(want.get("statistic").asDouble(), within(1e-9));
    assertThat(out.get("p_value").asDouble()).isCloseTo(want.get("p_value").asDouble(), within(1e-9));
    assertThat(out.get("method").asText()).isEqualTo(want.get("method").asText());
    assertThat(out.get("n_reference").asInt()).isEqualTo(nRef);
    assertThat(out.get("n_current").asInt()).isEqualTo(nCur);
    assertThat(out.get("drift").asBoolean()).isEqualTo(want.get("p_value").asDouble() < 0.05);
  }

  @ParameterizedTest(name = "psi {0}")
  @CsvSource({"small", "large"})
  void psiAgreesWithNumpy(String size) throws IOException {
    JsonNode out = run("psi", size + "-ref.txt", size + "-cur.txt");
    double want = expected.get("psi-" + size).get("statistic").asDouble();

    assertThat(out.get("statistic").asDouble()).isCloseTo(want, within(1e-9));
    assertThat(out.has("p_value")).isFalse();
    // Size-aware by default: the threshold is the larger of 0.25 and chi2.ppf(0.99, bins − 1) · (1/n + 1/m); the
    // large pair has 10 bins: 21.665994333461924 · (1/3000 + 1/12000) = 0.009027.
    double noDrift = out.get("no_drift_quantile").asDouble();
    if (size.equals("large")) {
      assertThat(noDrift).isCloseTo(21.665994333461924 * (1.0 / 3000 + 1.0 / 12000), within(1e-12));
    } else {
      assertThat(noDrift).isGreaterThan(0.25);
    }
    assertThat(out.get("threshold").asDouble()).isEqualTo(Math.max(0.25, noDrift));
    assertThat(out.get("drift").asBoolean()).isEqualTo(want > Math.max(0.25, noDrift));

    JsonNode fixed = run("psi", size + "-ref.txt", size + "-cur.txt", "--size-aware=false");
    assertThat(fixed.get("threshold").asDouble()).isEqualTo(0.25);
    assertThat(fixed.has("no_drift_quantile")).isFalse();
    assertThat(fixed.get("drift").asBoolean()).isEqualTo(want > 0.25);
  }

  /**
   * The energy_distance subcommand comes from the registry: scipy.stats.energy_distance(ref, cur) on
   * np.loadtxt of the same files, normalized by np.std(ref, ddof=1).
   */
  @ParameterizedTest(name = "energy_distance {0}")
  @CsvSource({"small, 0.4406924965814711, 0.47684267845175354", "large, 0.17787901639640574, 0.08857432470072678"})
  void energyDistanceAgreesWithScipy(String size, double distance, double normalized) throws IOException {
    JsonNode out = run("energy_distance", size + "-ref.txt", size + "-cur.txt");

    assertThat(out.get("test").asText()).isEqualTo("energy_distance");
    assertThat(out.get("statistic").asDouble()).isCloseTo(distance, within(1e-9));
    assertThat(out.get("normalized").asDouble()).isCloseTo(normalized, within(1e-9));
    double noDrift = out.get("no_drift_quantile").asDouble();
    assertThat(out.get("configured_threshold").asDouble()).isEqualTo(0.1);
    assertThat(out.get("threshold").asDouble()).isEqualTo(Math.max(0.1, noDrift));
    assertThat(out.get("drift").asBoolean()).isEqualTo(normalized > Math.max(0.1, noDrift));
  }

  @ParameterizedTest(name = "wasserstein {0}")
  @CsvSource({"small", "large"})
  void wassersteinAgreesWithScipy(String size) throws IOException {
    JsonNode out = run("wasserstein", size + "-ref.txt", size + "-cur.txt");
    JsonNode want = expected.get("wasserstein-" + size);

    assertThat(out.get("statistic").asDouble()).isCloseTo(want.get("statistic").asDouble(), within(1e-9));
    assertThat(out.get("normalized").asDouble()).isCloseTo(want.get("normalized").asDouble(), within(1e-9));
    // Size-aware: at least 2 · J · sqrt(1/n + 1/m) / std, J = ∫ sqrt(F(1 − F)) dx ≈ 1.615 std for these normal samples.
    double noDrift = out.get("no_drift_quantile").asDouble();
    double sizes = size.equals("small") ? Math.sqrt(1.0 / 45 + 1.0 / 60) : Math.sqrt(1.0 / 3000 + 1.0 / 12000);
    assertThat(noDrift).isCloseTo(2 * 1.615 * sizes, within(0.15 * 2 * 1.615 * sizes));
    assertThat(out.get("configured_threshold").asDouble()).isEqualTo(0.1);
    assertThat(out.get("threshold").asDouble()).isEqualTo(Math.max(0.1, noDrift));
    assertThat(out.get("drift").asBoolean()).isEqualTo(out.get("normalized").asDouble() > Math.max(0.1, noDrift));
  }

  @Test
  void categoricalTestsAgreeWithScipy() throws IOException {
    JsonNode chi2 = run("chi2", "cat-ref.txt", "cat-cur.txt");
    assertThat(chi2.get("statistic").asDouble()).isCloseTo(expected.get("chi2").get("statistic").asDouble(), within(1e-9));
    assertThat(chi2.get("p_value").asDouble()).isCloseTo(expected.get("chi2").get("p_value").asDouble(), within(1e-9));
    assertThat(chi2.get("degrees_of_freedom").asInt()).isEqualTo(4);
    assertThat(chi2.get("n_reference").asInt()).isEqualTo(500);
    assertThat(chi2.get("drift").asBoolean()).isTrue();

    assertThat(run("js", "cat-ref.txt", "cat-cur.txt").get("statistic").asDouble())
        .isCloseTo(expected.get("js").get("statistic").asDouble(), within(1e-9));
    assertThat(run("hellinger", "cat-ref.txt", "cat-cur.txt").get("statistic").asDouble())
        .isCloseTo(expected.get("hellinger").get("statistic").asDouble(), within(1e-9));
    assertThat(run("psi", "cat-ref.txt", "cat-cur.txt", "--categorical").get("statistic").asDouble())
        .isCloseTo(expected.get("psi-categorical").get("statistic").asDouble(), within(1e-9));
  }

  @Test
  void badInputFilesExitWithCodeTwoAndOneLine() throws IOException {
    Path good = fixtures.resolve("small-ref.txt");
    Path empty = Files.writeString(tmp.resolve("empty.txt"), "");
    Path text = Files.writeString(tmp.resolve("text.txt"), "1.5\n2\nabc\n");
    Path nan = Files.writeString(tmp.resolve("nan.txt"), "1\nNaN\n");
    Path blank = Files.writeString(tmp.resolve("blank.txt"), "1\n\n3\n");

    assertError(CliRun.of("stats", "ks", "--reference", good.toString(), "--current", empty.toString()),
        empty + ": empty file; expected one value per line");
    assertError(CliRun.of("stats", "ks", "--reference", good.toString(), "--current", text.toString()),
        text + ":3: not a number: \"abc\"");
    assertError(CliRun.of("stats", "psi", "--reference", nan.toString(), "--current", good.toString()),
        nan + ":2: NaN is not a value; leave a missing value out");
    assertError(CliRun.of("stats", "wasserstein", "--reference", blank.toString(), "--current", good.toString()),
        blank + ":2: empty line; expected one value per line");
    assertError(CliRun.of("stats", "ks", "--reference", tmp.resolve("none.txt").toString(), "--current", good.toString()),
        tmp.resolve("none.txt") + ": no such file");
  }

  @Test
  void missingOptionIsAUsageErrorWithCodeTwo() {
    CliRun r = CliRun.of("stats", "ks", "--reference", "x.txt");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option: '--current=FILE'");
  }

  static void assertError(CliRun r, String message) {
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("driftline: " + message + System.lineSeparator());
  }
}
