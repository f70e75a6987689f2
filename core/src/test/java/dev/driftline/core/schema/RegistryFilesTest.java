package dev.driftline.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.drift.DriftTest;
import dev.driftline.core.drift.DriftTests;
import dev.driftline.core.spec.FeatureType;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The files generated from the registries are committed as {@link RegistryFiles} generates them, and
 * a metric or test added to a registry changes each of them (so forgetting to regenerate fails here).
 */
class RegistryFilesTest {
  static final Path ROOT = Path.of("..");

  @Test
  void committedFilesAreWhatTheRegistriesGenerate() {
    assertThat(RegistryFiles.differences(ROOT)).isEmpty();
  }

  @Test
  void everySchemaFileReadsAndWritesBackUnchanged() {
    for (RecordSchema s : RecordSchema.values()) {
      String text = RegistryFiles.read(ROOT.resolve(s.resource()));
      assertThat(SchemaJson.write(SchemaJson.read(s.resource(), text))).as(s.resource()).isEqualTo(text);
    }
  }

  @Test
  void floatsAreWrittenAsPythonsReprWritesThem() {
    // python3 -c 'print(repr(4.4667659286931115e-89), repr(1e-05), repr(0.0001), repr(1.0), repr(1.2345678901234568e+17))'
    assertThat(SchemaJson.pythonRepr(new BigDecimal("4.4667659286931115e-89"))).isEqualTo("4.4667659286931115e-89");
    assertThat(SchemaJson.pythonRepr(new BigDecimal("1e-05"))).isEqualTo("1e-05");
    assertThat(SchemaJson.pythonRepr(new BigDecimal("0.0001"))).isEqualTo("0.0001");
    assertThat(SchemaJson.pythonRepr(new BigDecimal("1.0"))).isEqualTo("1.0");
    assertThat(SchemaJson.pythonRepr(new BigDecimal("1.2345678901234568e+17"))).isEqualTo("1.2345678901234568e+17");
    assertThat(SchemaJson.pythonRepr(new BigDecimal("-2.50"))).isEqualTo("-2.5");
  }

  @Test
  void aMetricAddedToTheRegistryLandsAfterItsPredecessorInEveryFile() {
    List<RegistryFiles.MetricRow> rows = new ArrayList<>(RegistryFiles.metrics());
    rows.add(rows.indexOf(rows.stream().filter(r -> r.id().equals("f1")).findFirst().orElseThrow()) + 1,
        new RegistryFiles.MetricRow("g_mean", List.of("binary_classification"), true, false, true, "Classifiers: a new one."));
    Map<String, UnaryOperator<String>> g = RegistryFiles.generators(rows, DriftTests.all());

    JsonNode schema = SchemaJson.read("", generated(g, RecordSchema.PERFORMANCE.resource()));
    List<String> keys = new ArrayList<>();
    schema.get("properties").fieldNames().forEachRemaining(keys::add);
    assertThat(keys.subList(keys.indexOf("f1"), keys.indexOf("f1") + 3)).containsExactly("f1", "g_mean", "auc");
    assertThat(schema.get("properties").get("g_mean").toString())
        .isEqualTo("{\"type\":\"number\",\"minimum\":0,\"maximum\":1,\"description\":\"Classifiers: a new one.\"}");
    assertThat(generated(g, RegistryFiles.PERFORMANCE_TEMPLATE)).contains("""
                "f1": {"type": "double"},
                "g_mean": {"type": "double"},
                "auc": {"type": "double"},
        """);
    for (RecordSchema s : List.of(RecordSchema.RETRAIN_TRIGGER, RecordSchema.ALERT)) {
      assertThat(generated(g, s.resource())).as(s.resource()).contains("recall, f1, g_mean, auc, log_loss");
    }
    assertThat(generated(g, RegistryFiles.METRICS_DOC))
        .contains("| `f1` | binary classification | higher | yes |\n| `g_mean` | binary classification | higher | no |\n");

    assertThat(RegistryFiles.differences(ROOT, rows, DriftTests.all())).extracting(d -> d.substring(0, d.indexOf(':')))
        .containsExactly(RecordSchema.PERFORMANCE.resource(), RegistryFiles.PERFORMANCE_TEMPLATE,
            RecordSchema.RETRAIN_TRIGGER.resource(), RecordSchema.ALERT.resource(), RegistryFiles.METRICS_DOC);
    assertThat(RegistryFiles.differences(ROOT, rows, DriftTests.all())).allMatch(d -> d.endsWith(
        "; regenerate with bin/driftline registry write"));
  }

  @Test
  void aDriftTestAddedToTheRegistryIsNamedInTheSchemaAndTheTable() {
    DriftTest added = () -> DriftTest.Definition.distance("cramer", List.of(FeatureType.NUMERIC), 0.2, "A new distance.");
    List<DriftTest> tests = new ArrayList<>(DriftTests.all());
    tests.add(tests.indexOf(DriftTests.get("hellinger")) + 1, added);
    Map<String, UnaryOperator<String>> g = RegistryFiles.generators(RegistryFiles.metrics(), tests);

    JsonNode schema = SchemaJson.read("", generated(g, RecordSchema.DRIFT_RESULT.resource()));
    assertThat(schema.get("properties").get("test").get("enum").toString()).contains("\"hellinger\",\"cramer\",\"ztest\"");
    assertThat(schema.get("properties").get("p_value").get("description").asText())
        .startsWith("p-value of the tests that have one (ks, chi2, ").contains("; absent for distances (psi, ")
        .endsWith(", hellinger, cramer).");
    assertThat(generated(g, RegistryFiles.DRIFT_TESTS_DOC)).contains("| `cramer` | numeric | A new distance. | > 0.2 |\n");

    assertThat(RegistryFiles.differences(ROOT, RegistryFiles.metrics(), tests)).extracting(d -> d.substring(0, d.indexOf(':')))
        .containsExactly(RecordSchema.DRIFT_RESULT.resource(), RegistryFiles.DRIFT_TESTS_DOC);
  }

  @Test
  void theDriftTestTableSaysHowEachDefaultReads() {
    String table = RegistryFiles.driftTestsTable(DriftTests.all());
    assertThat(table).contains("| `ks` | numeric | " + DriftTests.get("ks").description() + " | p < 0.05 |\n");
    assertThat(table).contains("| `psi` | numeric, categorical | " + DriftTests.get("psi").description()
        + " | > 0.25, [size-aware](#size-aware-thresholds-the-default) |\n");
    assertThat(table).contains("| `jensen_shannon` (`js`) | categorical, numeric | ");
    assertThat(table).doesNotContain("missing_share", "pca_reconstruction");
  }

  @Test
  void aFileWithoutItsMarkersIsAnErrorNamingTheFileAndTheMarkers() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RegistryFiles.splice("docs/x.md", "no table", "drift tests", ""))
        .hasMessage("docs/x.md: expected the markers \"<!-- BEGIN drift tests: ...-->\" and \"<!-- END drift tests -->\" "
            + "around the generated drift tests table");
  }

  private static String generated(Map<String, UnaryOperator<String>> g, String path) {
    return g.get(path).apply(RegistryFiles.read(ROOT.resolve(path)));
  }
}
