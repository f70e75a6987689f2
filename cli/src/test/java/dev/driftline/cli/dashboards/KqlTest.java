package dev.driftline.cli.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The KQL subset and the panels of the shipped saved objects, as Elasticsearch queries. */
class KqlTest {
  private static String json(String kql) {
    return Kql.toQuery(kql).toString();
  }

  @Test
  void translatesFieldValuePairsAndBooleanOperators() {
    assertThat(json("")).isEqualTo("{\"match_all\":{}}");
    assertThat(json("segment : \"__all__\"")).isEqualTo("{\"match_phrase\":{\"segment\":\"__all__\"}}");
    assertThat(json("drift : true")).isEqualTo("{\"match\":{\"drift\":\"true\"}}");
    assertThat(json("test : \"ks\" and segment : \"__all__\"")).isEqualTo(
        "{\"bool\":{\"filter\":[{\"match_phrase\":{\"test\":\"ks\"}},{\"match_phrase\":{\"segment\":\"__all__\"}}]}}");
    // not binds tighter than and, and tighter than or.
    assertThat(json("a : 1 or not b : 2 AND c : x*")).isEqualTo("{\"bool\":{\"should\":[{\"match\":{\"a\":\"1\"}},"
        + "{\"bool\":{\"filter\":[{\"bool\":{\"must_not\":[{\"match\":{\"b\":\"2\"}}]}},{\"wildcard\":{\"c\":{\"value\":\"x*\"}}}]}}],"
        + "\"minimum_should_match\":1}}");
    assertThat(json("(a : 1 or a : 2) and b : *")).isEqualTo("{\"bool\":{\"filter\":[{\"bool\":{\"should\":["
        + "{\"match\":{\"a\":\"1\"}},{\"match\":{\"a\":\"2\"}}],\"minimum_should_match\":1}},{\"exists\":{\"field\":\"b\"}}]}}");
  }

  @Test
  void refusesWhatItDoesNotTranslate() {
    assertThatThrownBy(() -> Kql.toQuery("statistic > 0.2")).hasMessage(
        "KQL \"statistic > 0.2\": '>' at 10 is not supported (only field : value, and/or/not, parentheses)");
    assertThatThrownBy(() -> Kql.toQuery("income")).hasMessageContaining("(a value without a field is not supported), at 0");
    assertThatThrownBy(() -> Kql.toQuery("a : 1 b : 2")).hasMessageContaining("unexpected b, at 6");
    assertThatThrownBy(() -> Kql.toQuery("(a : 1")).hasMessageContaining("expected ), at 6");
    assertThatThrownBy(() -> Kql.toQuery("a : \"x")).hasMessageContaining("unterminated string");
    assertThatThrownBy(() -> Kql.toQuery("evidence:{ feature : x }")).hasMessageContaining("'{' at 9 is not supported");
  }

  @Test
  void everyShippedPanelBecomesAQueryWithItsAggregations() throws Exception {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(root.resolve("dashboards"))) {
      root = root.getParent();
    }
    List<PanelQueries.Panel> panels = PanelQueries.of(Files.readString(root.resolve("dashboards/driftline.ndjson")),
        Instant.parse("2026-03-02T00:00:00Z"), Instant.parse("2026-03-03T00:00:00Z"));
    assertThat(panels).extracting(PanelQueries.Panel::name).containsExactly("lens/driftline-drift-heatmap",
        "lens/driftline-ks-statistic", "lens/driftline-psi", "lens/driftline-pca-reconstruction", "lens/driftline-performance-metrics",
        "lens/driftline-dead-letters-by-stage", "lens/driftline-data-quality", "search/driftline-alerts-table",
        "lens/driftline-multiclass-performance");
    assertThat(panels.get(8).checks()).extracting(PanelQueries.Check::description).containsExactly(
        "column x (date_histogram of window_start)", "column mf1 (average of macro_f1)", "column uf1 (average of micro_f1)",
        "column mauc (average of macro_auc)");
    PanelQueries.Panel psi = panels.get(2);
    assertThat(psi.index()).isEqualTo("driftline-drift-*");
    assertThat(psi.body().toString()).contains(
        "{\"range\":{\"window_start\":{\"gte\":\"2026-03-02T00:00:00Z\",\"lte\":\"2026-03-03T00:00:00Z\"",
        "{\"match_phrase\":{\"test\":\"psi\"}}", "\"column_y\":{\"max\":{\"field\":\"statistic\"}}",
        "\"column_s\":{\"terms\":{\"field\":\"feature\",\"size\":20}}", "\"column_x\":{\"date_histogram\":{\"field\":\"window_start\"");
    assertThat(panels.get(0).body().toString()).contains("\"column_v\":{\"filter\":{\"bool\":{\"filter\":[{\"match\":{\"drift\":\"true\"}}",
        "{\"match_phrase\":{\"test\":\"wrong_type\"}}");
    // The heatmap leaves out every data-quality check of the registry (dashboards/generate.py lists them).
    for (var check : dev.driftline.core.drift.DriftTests.qualityChecks()) {
      assertThat(panels.get(0).body().toString()).contains("{\"match_phrase\":{\"test\":\"" + check.id() + "\"}}");
    }
    assertThat(panels.get(3).kql()).isEqualTo("test : \"pca_reconstruction\" and segment : \"__all__\"");
    assertThat(panels.get(3).checks()).extracting(PanelQueries.Check::description).containsExactly(
        "column x (date_histogram of window_start)", "column y (max of statistic)", "column lo (max of threshold_lower)",
        "column hi (max of threshold_upper)");
    assertThat(panels.get(4).checks()).extracting(PanelQueries.Check::description).containsExactly(
        "column x (date_histogram of window_start)", "column auc (average of auc)", "column acc (average of accuracy)",
        "column brier (average of brier)", "column cov (average of label_coverage)");
    // The data-quality table reads failed checks only, every check of the registry.
    for (var check : dev.driftline.core.drift.DriftTests.qualityChecks()) {
      assertThat(panels.get(6).body().toString()).contains("{\"match_phrase\":{\"test\":\"" + check.id() + "\"}}");
    }
    assertThat(panels.get(6).kql()).startsWith("drift : true and (test : \"missing_share\" or ");
    assertThat(panels.get(6).checks()).extracting(PanelQueries.Check::description).containsExactly(
        "column f (terms of feature)", "column t (terms of test)", "column s (max of statistic)");
    assertThat(panels.get(7).index()).isEqualTo("driftline-alerts*");
    assertThat(panels.get(7).body().toString()).contains("\"has_trigger_id\":{\"filter\":{\"exists\":{\"field\":\"trigger_id\"}}}",
        "{\"range\":{\"created_at\"");
  }

  @Test
  void aPanelIsEmptyWhenAnyPartOfItsAnswerIs() throws Exception {
    PanelQueries.Panel panel = PanelQueries.of(String.join("\n",
        "{\"type\":\"index-pattern\",\"id\":\"dv\",\"attributes\":{\"title\":\"driftline-drift-*\",\"timeFieldName\":\"window_start\"},\"references\":[]}",
        "{\"type\":\"lens\",\"id\":\"ks\",\"attributes\":{\"state\":{\"datasourceStates\":{\"formBased\":{\"layers\":{\"l1\":{\"columns\":{"
            + "\"x\":{\"operationType\":\"date_histogram\",\"sourceField\":\"window_start\"},"
            + "\"y\":{\"operationType\":\"max\",\"sourceField\":\"statistic\"}}}}}},"
            + "\"query\":{\"query\":\"test : \\\"ks\\\"\",\"language\":\"kuery\"},\"filters\":[]}},"
            + "\"references\":[{\"type\":\"index-pattern\",\"id\":\"dv\",\"name\":\"indexpattern-datasource-layer-l1\"}]}"),
        Instant.EPOCH, Instant.EPOCH).get(0);
    ObjectMapper m = new ObjectMapper();
    assertThat(PanelQueries.answer(panel, m.readTree("{\"hits\":{\"total\":{\"value\":3}},\"aggregations\":{"
        + "\"column_x\":{\"buckets\":[{\"doc_count\":3}]},\"column_y\":{\"value\":0.2}}}")).empty()).isEmpty();
    assertThat(PanelQueries.answer(panel, m.readTree("{\"hits\":{\"total\":{\"value\":3}},\"aggregations\":{"
        + "\"column_x\":{\"buckets\":[{\"doc_count\":3}]},\"column_y\":{\"value\":null}}}")).empty())
        .containsExactly("lens/ks (driftline-drift-*, test : \"ks\"): column y (max of statistic) is empty");
    assertThat(PanelQueries.answer(panel, m.readTree("{\"hits\":{\"total\":{\"value\":0}},\"aggregations\":{"
        + "\"column_x\":{\"buckets\":[]},\"column_y\":{\"value\":null}}}")).empty()).hasSize(3)
        .first().isEqualTo("lens/ks (driftline-drift-*, test : \"ks\"): no documents");
  }
}
