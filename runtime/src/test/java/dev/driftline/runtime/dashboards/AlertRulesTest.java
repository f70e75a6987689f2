package dev.driftline.runtime.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.driftline.runtime.metrics.DriftlineMetric;
import dev.driftline.runtime.metrics.FlinkMetric;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus alert rules in {@code dashboards/driftline-alerts.rules.yml}: every expression names
 * only metrics the jobs export ({@link DriftlineMetric}) or Flink's that {@link FlinkMetric} lists,
 * and only their labels; every alert is routable (category, severity) and exercised by the promtool
 * unit tests in {@code driftline-alerts.test.yml}, which {@code promtool test rules} must pass.
 * promtool is Debian's {@code prometheus} package: under {@code CI=true} its absence fails the
 * build, elsewhere the promtool checks are skipped with a message.
 */
class AlertRulesTest {
  private static final Pattern METRIC = Pattern.compile("\\b(flink_[A-Za-z0-9_:]+)");
  private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without|on|ignoring)\\s*\\(([^)]*)\\)");
  private static final Pattern MATCHER = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(?:=~|!~|!=|=)\\s*\"");
  /** The conditions issue 24 asks an operator to be told about, by alert. */
  static final Set<String> ALERTS = Set.of("DriftlineConsumerLagRising", "DriftlineDeadLettersHigh", "DriftlineNoWindowClosed",
      "DriftlineCheckpointsFailing", "DriftlineJobRestarted", "DriftlineJobRestartLoop", "DriftlineRetrainTriggered",
      "DriftlineCriticalDrift", "DriftlineDataQualityFailing");

  private static Path dir;
  private static Map<String, JsonNode> rules;
  private static JsonNode tests;

  @BeforeAll
  static void load() throws IOException {
    dir = SavedObjectsTest.repoRoot().resolve("dashboards");
    rules = new LinkedHashMap<>();
    for (JsonNode group : new YAMLMapper().readTree(dir.resolve("driftline-alerts.rules.yml").toFile()).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        rules.put(rule.path("alert").asText(), rule);
      }
    }
    tests = new YAMLMapper().readTree(dir.resolve("driftline-alerts.test.yml").toFile());
  }

  /** What is wrong with one expression: metrics no job exports, labels none of its metrics has; empty when nothing. */
  static List<String> check(String expr) {
    Map<String, List<String>> known = new HashMap<>();
    for (DriftlineMetric m : DriftlineMetric.values()) {
      known.put(m.prometheusName(), m.exportedLabels());
    }
    for (FlinkMetric m : FlinkMetric.values()) {
      known.put(m.prometheusName(), List.of());
    }
    List<String> problems = new ArrayList<>();
    Set<String> labels = new TreeSet<>(GrafanaDashboardTest.FLINK_LABELS);
    Matcher metric = METRIC.matcher(expr);
    int metrics = 0;
    while (metric.find()) {
      metrics++;
      List<String> own = known.get(metric.group(1));
      if (own == null) {
        problems.add(expr + ": neither a Driftline job nor FlinkMetric exports " + metric.group(1));
      } else {
        labels.addAll(own);
      }
    }
    if (metrics == 0) {
      problems.add(expr + ": names no metric");
    }
    Set<String> used = new LinkedHashSet<>();
    Matcher grouping = GROUPING.matcher(expr);
    while (grouping.find()) {
      for (String l : grouping.group(1).split(",")) {
        used.add(l.trim());
      }
    }
    Matcher matcher = MATCHER.matcher(expr);
    while (matcher.find()) {
      used.add(matcher.group(1));
    }
    for (String l : used) {
      if (!l.isEmpty() && !labels.contains(l)) {
        problems.add(expr + ": label " + l + " is on none of its metrics (they have " + labels + ")");
      }
    }
    return problems;
  }

  @Test
  void everyExpressionNamesExportedMetricsAndTheirLabels() {
    List<String> problems = new ArrayList<>();
    rules.values().forEach(r -> problems.addAll(check(r.path("expr").asText())));
    assertThat(problems).isEmpty();
  }

  @Test
  void refusesUnknownMetricsAndLabels() {
    String flags = DriftlineMetric.DRIFT_FLAGS.prometheusName();
    assertThat(check("sum by (model, test) (increase(" + flags + "[1h]))")).isEmpty();
    assertThat(check("sum by (job_name) (increase(" + FlinkMetric.NUM_RESTARTS.prometheusName() + "[10m]))")).isEmpty();
    assertThat(check("increase(flink_jobmanager_job_fullRestarts[10m])")).singleElement().asString()
        .contains("neither a Driftline job nor FlinkMetric exports flink_jobmanager_job_fullRestarts");
    assertThat(check("a > 0 and on (source) " + flags)).singleElement().asString().contains("label source");
    assertThat(check("vector(1)")).singleElement().asString().contains("names no metric");
  }

  @Test
  void theAskedForConditionsHaveRulesRoutableByCategoryAndSeverity() {
    assertThat(rules.keySet()).containsExactlyInAnyOrderElementsOf(ALERTS);
    rules.forEach((name, rule) -> {
      assertThat(rule.path("labels").path("category").asText()).as(name).isIn("health", "finding");
      assertThat(rule.path("labels").path("severity").asText()).as(name).isIn("warning", "critical");
      assertThat(rule.path("annotations").path("summary").asText()).as(name).isNotBlank();
      assertThat(rule.path("annotations").path("description").asText()).as(name).isNotBlank();
    });
    assertThat(rules.get("DriftlineRetrainTriggered").path("labels").path("category").asText()).isEqualTo("finding");
    assertThat(rules.get("DriftlineCriticalDrift").path("labels").path("severity").asText()).isEqualTo("critical");
  }

  @Test
  void everyAlertFiresInAUnitTestAndStaysQuietInAnother() {
    Set<String> fires = new TreeSet<>();
    Set<String> quiet = new TreeSet<>();
    for (JsonNode test : tests.path("tests")) {
      for (JsonNode eval : test.path("alert_rule_test")) {
        (eval.path("exp_alerts").isEmpty() ? quiet : fires).add(eval.path("alertname").asText());
      }
    }
    assertThat(fires).containsExactlyInAnyOrderElementsOf(rules.keySet());
    assertThat(quiet).containsExactlyInAnyOrderElementsOf(rules.keySet());
  }

  @Test
  void promtoolChecksTheRules() throws Exception {
    Result r = promtool("check", "rules", "driftline-alerts.rules.yml");
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS: " + rules.size() + " rules found");
  }

  @Test
  void promtoolUnitTestsPass() throws Exception {
    Result r = promtool("test", "rules", "driftline-alerts.test.yml");
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }

  record Result(int exit, String output) {}

  /** Runs promtool in dashboards/; fails under CI=true when it is missing, skips elsewhere. */
  private static Result promtool(String... args) throws Exception {
    String promtool = onPath("promtool");
    if (promtool == null) {
      if ("true".equals(System.getenv("CI"))) {
        fail("promtool not found on PATH; CI must install it (Debian: apt-get install prometheus, see .ci/run)");
      }
      assumeTrue(false, "promtool not found on PATH: the promtool checks of the alert rules are skipped"
          + " (Debian: apt-get install prometheus); under CI=true this fails");
    }
    List<String> command = new ArrayList<>(List.of(promtool));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(String.join(" ", command) + ": no answer within 60 s");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private static String onPath(String name) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(d, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
