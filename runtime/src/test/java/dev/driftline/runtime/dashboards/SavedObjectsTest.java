package dev.driftline.runtime.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kibana saved objects in {@code dashboards/} against the index templates the jobs install
 * ({@code runtime/src/main/resources/templates/}): Kibana cannot run here, so this is what stands
 * between a renamed field and a dashboard of empty charts.
 */
class SavedObjectsTest {
  private static Path root;
  private static List<SavedObjectsChecker.Template> templates;
  private static String ndjson;

  @BeforeAll
  static void load() throws IOException {
    root = repoRoot();
    templates = SavedObjectsChecker.loadTemplates(root.resolve("runtime/src/main/resources/templates"));
    ndjson = Files.readString(root.resolve("dashboards/driftline.ndjson"));
  }

  /** The repository root, whatever directory the test runs from (Maven runs it from runtime/). */
  static Path repoRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("dashboards")) && Files.isDirectory(p.resolve("runtime"))) {
        return p;
      }
    }
    throw new IllegalStateException("no repository root with dashboards/ and runtime/ above " + Path.of("").toAbsolutePath());
  }

  private static List<String> check(String text) {
    return new SavedObjectsChecker(templates).check("driftline.ndjson", text);
  }

  @Test
  void shippedSavedObjectsMatchTheIndexTemplates() {
    assertThat(check(ndjson)).isEmpty();
  }

  @Test
  void shipsDataViewsWithTimeFieldsAndTheDashboard() throws IOException {
    Map<String, String> timeFieldByTitle = new HashMap<>();
    List<String> dashboards = new ArrayList<>();
    Map<String, Integer> types = new HashMap<>();
    for (String line : ndjson.split("\n")) {
      JsonNode o = new ObjectMapper().readTree(line);
      types.merge(o.get("type").asText(), 1, Integer::sum);
      if (o.get("type").asText().equals("index-pattern")) {
        timeFieldByTitle.put(o.at("/attributes/title").asText(), o.at("/attributes/timeFieldName").asText());
      } else if (o.get("type").asText().equals("dashboard")) {
        dashboards.add(o.at("/attributes/title").asText());
      }
    }
    assertThat(timeFieldByTitle).containsExactlyInAnyOrderEntriesOf(Map.of(
        "driftline-drift-*", "window_start",
        "driftline-performance-*", "window_start",
        "driftline-alerts*", "created_at",
        "driftline-dead-letters*", "failed_at"));
    assertThat(dashboards).containsExactly("Driftline — model health");
    assertThat(types).containsExactlyInAnyOrderEntriesOf(Map.of("index-pattern", 4, "lens", 8, "search", 1, "dashboard", 1));
  }

  @Test
  void everyTemplateHasADataView() {
    for (SavedObjectsChecker.Template t : templates) {
      if (t.indexPatterns().stream().anyMatch(p -> p.startsWith("driftline-features"))) {
        continue; // the feature store's template has no dashboard (yet)
      }
      assertThat(ndjson).as(t.name()).contains("\"title\":\"" + t.indexPatterns().get(0) + "\"");
    }
  }

  // ---- the check fails when it should -----------------------------------------------------------

  /** A data view and a Lens chart, one line each, with the metric's field misspelled. */
  private static final String TINY = String.join("\n",
      "{\"type\":\"index-pattern\",\"id\":\"dv\",\"attributes\":{\"title\":\"driftline-drift-*\",\"timeFieldName\":\"window_start\"},\"references\":[]}",
      "{\"type\":\"lens\",\"id\":\"ks\",\"attributes\":{\"title\":\"KS\",\"visualizationType\":\"lnsXY\",\"state\":{"
          + "\"datasourceStates\":{\"formBased\":{\"layers\":{\"l1\":{\"columnOrder\":[\"x\",\"y\"],\"columns\":{"
          + "\"x\":{\"operationType\":\"date_histogram\",\"sourceField\":\"window_start\"},"
          + "\"y\":{\"operationType\":\"max\",\"sourceField\":\"statistc\"}}}}}},"
          + "\"visualization\":{\"layers\":[{\"layerId\":\"l1\",\"xAccessor\":\"x\",\"accessors\":[\"y\"]}]},"
          + "\"query\":{\"query\":\"test : \\\"ks\\\"\",\"language\":\"kuery\"},\"filters\":[]}},"
          + "\"references\":[{\"type\":\"index-pattern\",\"id\":\"dv\",\"name\":\"indexpattern-datasource-layer-l1\"}]}");

  @Test
  void catchesMisspelledFieldInTinyNdjson() {
    assertThat(check(TINY)).singleElement().asString()
        .contains("lens/ks", "column y", "max on statistc", "no such field in driftline-drift.json");
    assertThat(check(TINY.replace("statistc", "statistic"))).isEmpty();
  }

  @Test
  void catchesMisspelledFieldInShippedCharts() {
    assertThat(check(ndjson.replace("\"sourceField\":\"label_coverage\"", "\"sourceField\":\"label_coverge\"")))
        .singleElement().asString().contains("lens/driftline-performance-metrics", "label_coverge", "no such field");
  }

  @Test
  void catchesNumericOperationOnKeyword() {
    assertThat(check(TINY.replace("statistc", "feature"))).singleElement().asString()
        .contains("max on feature", "maps it as keyword", "expected one of [", "double");
  }

  @Test
  void catchesTermsOnTextAndDateHistogramOnNonDate() {
    String text = ndjson.replace("\"sourceField\":\"stage\"", "\"sourceField\":\"reason\"")
        .replace("\"sourceField\":\"failed_at\"", "\"sourceField\":\"offset\"");
    assertThat(check(text)).hasSize(2).anySatisfy(p -> assertThat(p).contains("terms on reason", "maps it as text"))
        .anySatisfy(p -> assertThat(p).contains("date_histogram on offset", "maps it as long"));
  }

  @Test
  void catchesMisspelledFieldInKqlQueryAndColumnFilter() {
    assertThat(check(ndjson.replace("test : \\\"psi\\\"", "tset : \\\"psi\\\"")))
        .singleElement().asString().contains("lens/driftline-psi", "query on tset", "no such field");
    assertThat(check(ndjson.replace("drift : true", "drifted : true"))).hasSize(2)
        .anySatisfy(p -> assertThat(p).contains("lens/driftline-drift-heatmap", "filter", "query on drifted"))
        .anySatisfy(p -> assertThat(p).contains("lens/driftline-data-quality: query", "query on drifted"));
  }

  @Test
  void catchesSearchColumnAndSortNotInMapping() {
    String text = ndjson.replace("\"trigger_id\"]", "\"trigger\"]").replace("[[\"created_at\",\"desc\"]]", "[[\"message\",\"desc\"]]");
    assertThat(check(text)).hasSize(2)
        .anySatisfy(p -> assertThat(p).contains("search/driftline-alerts-table: columns", "column on trigger", "no such field"))
        .anySatisfy(p -> assertThat(p).contains("sort on message", "maps it as text"));
  }

  @Test
  void catchesDataViewThatNoTemplateCoversOrWrongTimeField() {
    assertThat(check(TINY.replace("driftline-drift-*", "driftline-drfit-*").replace("statistc", "statistic")))
        .singleElement().asString().contains("index-pattern/dv", "match exactly one index template, matched []");
    assertThat(check(TINY.replace("\"timeFieldName\":\"window_start\"", "\"timeFieldName\":\"feature\"").replace("statistc", "statistic")))
        .singleElement().asString().contains("time field on feature", "maps it as keyword");
  }

  @Test
  void catchesDanglingReferencesAndMissingPanels() {
    assertThat(check(ndjson.replace("\"id\":\"driftline-psi\",\"managed\"", "\"id\":\"driftline-psi-old\",\"managed\"")))
        .singleElement().asString().contains("dashboard/driftline-model-health", "lens/driftline-psi", "no such object");
    assertThat(check(ndjson.replace("\"name\":\"p2:panel_p2\"", "\"name\":\"p2:panel_2\"")))
        .singleElement().asString().contains("panel p2", "expected a reference p2:panel_p2");
  }

  @Test
  void catchesBadLinesAndUnsupportedTypes() {
    String broken = TINY.replace("statistc", "statistic") + "\n{\"type\":\"lens\",\"id\":"
        + "\n{\"type\":\"canvas-workpad\",\"id\":\"w\",\"attributes\":{},\"references\":[]}";
    assertThat(check(broken)).hasSize(2)
        .anySatisfy(p -> assertThat(p).startsWith("driftline.ndjson:3: not JSON"))
        .anySatisfy(p -> assertThat(p).contains("driftline.ndjson:4", "canvas-workpad is not one the import API accepts"));
  }

  @Test
  void catchesTableColumnNotInItsLayer() {
    assertThat(check(ndjson.replace("{\"columnId\":\"t\",", "{\"columnId\":\"check\",")))
        .singleElement().asString().contains("lens/driftline-data-quality", "visualization uses column check");
  }

  @Test
  void catchesVisualizationUsingUndefinedColumn() {
    assertThat(check(TINY.replace("statistc", "statistic").replace("\"accessors\":[\"y\"]", "\"accessors\":[\"z\"]")))
        .singleElement().asString().contains("visualization uses column z");
  }
}
