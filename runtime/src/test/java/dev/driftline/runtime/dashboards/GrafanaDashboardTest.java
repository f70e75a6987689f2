package dev.driftline.runtime.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftline.runtime.metrics.DriftlineMetric;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard in {@code dashboards/grafana-driftline.json} against the metrics the jobs
 * export: every PromQL expression (panel queries and template variables) names only metrics of
 * {@link DriftlineMetric} — whose exported names {@code DriftJobMetricsTest} and
 * {@code RetrainTriggerMetricsTest} read from a running job's {@code /metrics} — and groups or
 * filters only by their labels or by Flink's own. Grafana cannot run here, so this is what stands
 * between a renamed metric and a dashboard of empty panels.
 */
class GrafanaDashboardTest {
  /** Labels Flink's Prometheus reporter puts on every operator metric. */
  static final Set<String> FLINK_LABELS = Set.of("host", "tm_id", "job_id", "job_name", "task_id", "task_name",
      "task_attempt_id", "task_attempt_num", "operator_id", "operator_name", "subtask_index");
  private static final Pattern METRIC = Pattern.compile("\\b(flink_[A-Za-z0-9_:]+)");
  private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
  private static final Pattern MATCHER = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(?:=~|!~|!=|=)\\s*\"");
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*[^,]+,\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)");

  private static JsonNode dashboard;

  @BeforeAll
  static void load() throws IOException {
    dashboard = new ObjectMapper().readTree(Files.readString(SavedObjectsTest.repoRoot().resolve("dashboards/grafana-driftline.json")));
  }

  /** Every expression of the dashboard: panel targets, then query variables. */
  static List<String> expressions(JsonNode dashboard) {
    List<String> out = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        out.add(target.path("expr").asText());
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        JsonNode q = variable.path("query");
        out.add(q.isObject() ? q.path("query").asText() : q.asText());
      }
    }
    return out;
  }

  /** What is wrong with one expression: unknown metrics, labels none of its metrics has; empty when nothing. */
  static List<String> check(String expr) {
    Map<String, DriftlineMetric> known = new HashMap<>();
    for (DriftlineMetric m : DriftlineMetric.values()) {
      known.put(m.prometheusName(), m);
    }
    List<String> problems = new ArrayList<>();
    Set<String> labels = new TreeSet<>(FLINK_LABELS);
    Matcher metric = METRIC.matcher(expr);
    int metrics = 0;
    while (metric.find()) {
      metrics++;
      DriftlineMetric m = known.get(metric.group(1));
      if (m == null) {
        problems.add(expr + ": no Driftline job exports " + metric.group(1));
      } else {
        labels.addAll(m.exportedLabels());
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
    Matcher values = LABEL_VALUES.matcher(expr);
    while (values.find()) {
      used.add(values.group(1));
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
    List<String> expressions = expressions(dashboard);
    assertThat(expressions).hasSizeGreaterThanOrEqualTo(14);
    List<String> problems = new ArrayList<>();
    expressions.forEach(e -> problems.addAll(check(e)));
    assertThat(problems).isEmpty();
  }

  @Test
  void everyDriftlineMetricIsOnTheDashboard() {
    Set<String> shown = new TreeSet<>();
    for (String e : expressions(dashboard)) {
      Matcher m = METRIC.matcher(e);
      while (m.find()) {
        shown.add(m.group(1));
      }
    }
    assertThat(shown).containsAll(DriftlineMetric.prometheusNames());
  }

  @Test
  void refusesUnknownMetricsAndLabels() {
    String decoded = DriftlineMetric.RECORDS_DECODED.prometheusName();
    assertThat(check("sum by (source) (rate(" + decoded + "[5m]))")).isEmpty();
    assertThat(check("rate(" + decoded + "_total[5m])")).singleElement().asString().contains("no Driftline job exports");
    assertThat(check("sum by (model) (rate(" + decoded + "[5m]))")).singleElement().asString().contains("label model");
    assertThat(check(DriftlineMetric.LABEL_COVERAGE.prometheusName() + "{segmnet=\"__all__\"}")).singleElement()
        .asString().contains("label segmnet");
    assertThat(check("label_values(" + decoded + ", model)")).singleElement().asString().contains("label model");
    assertThat(check("up")).singleElement().asString().contains("names no metric");
  }

  @Test
  void panelsUseTheDatasourceVariable() {
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText()).isEqualTo("${datasource}");
      assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
    }
  }
}
