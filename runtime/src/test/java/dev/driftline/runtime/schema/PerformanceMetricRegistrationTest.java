package dev.driftline.runtime.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.estimation.EstimatedMetric;
import dev.driftline.core.estimation.MulticlassPerformanceEstimate;
import dev.driftline.core.estimation.PerformanceEstimate;
import dev.driftline.core.schema.RecordSchema;
import dev.driftline.core.spec.PerformanceMetric;
import dev.driftline.core.spec.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A performance metric is registered once ({@link PerformanceMetric}); the files that name it are
 * generated from the registry ({@code RegistryFiles}, {@code bin/driftline registry write}) and are
 * read back here as their readers read them, so that a metric added there and not regenerated fails
 * the build: the performance schema, the Elasticsearch template (whose mapping is strict: an unmapped
 * field is refused), the evidence's {@code metric} in the trigger and alert schemas, and the table in
 * docs/drift-job.md. The estimates' fields (written by hand with the estimator) are checked here only.
 */
class PerformanceMetricRegistrationTest {
  private static final List<String> IDS = Arrays.stream(PerformanceMetric.values()).map(PerformanceMetric::id).toList();

  @Test
  void thePerformanceSchemaDescribesEveryMetricAsAnOptionalNumber() {
    JsonNode schema = RecordSchemasTest.read(RecordSchema.PERFORMANCE.resource());
    for (String id : IDS) {
      JsonNode property = schema.get("properties").get(id);
      assertThat(property).as("performance schema property " + id).isNotNull();
      assertThat(property.get("type").asText()).as(id).isEqualTo("number");
      assertThat(property.path("description").asText()).as(id).isNotBlank();
    }
    List<String> required = new ArrayList<>();
    schema.get("required").forEach(r -> required.add(r.asText()));
    assertThat(required).as("a window may lack a metric").doesNotContainAnyElementsOf(IDS);
  }

  private static final EstimatedMetric SOME = new EstimatedMetric(0.5, 0.4, 0.6);
  /** A binary and a multiclass estimate with every metric: what the registry reads from each says where it is written. */
  private static final PerformanceEstimate BINARY = new PerformanceEstimate("isotonic", "r", 1, 0.5, 0.95, true, 0.5, SOME,
      SOME, SOME, SOME, SOME);
  private static final MulticlassPerformanceEstimate MULTICLASS = new MulticlassPerformanceEstimate("isotonic", "r", 1,
      0.95, true, SOME, SOME);

  @Test
  void theEstimateAndItsErrorDescribeEveryEstimatedMetric() {
    JsonNode schema = RecordSchemasTest.read(RecordSchema.PERFORMANCE.resource());
    for (PerformanceMetric m : PerformanceMetric.values()) {
      assertThat(m.isEstimated()).as(m.id()).isEqualTo(m.estimate(BINARY) != null || m.estimate(MULTICLASS) != null);
      assertThat(schema.get("$defs").get("estimate").get("properties").has(m.id()))
          .as("estimate." + m.id()).isEqualTo(m.estimate(BINARY) != null);
      assertThat(schema.get("$defs").get("multiclass_estimate").get("properties").has(m.id()))
          .as("multiclass_estimate." + m.id()).isEqualTo(m.estimate(MULTICLASS) != null);
      assertThat(schema.get("properties").get("estimation_error").get("properties").has(m.id()))
          .as("estimation_error." + m.id()).isEqualTo(m.isEstimated());
    }
  }

  @Test
  void theElasticsearchTemplateMapsEveryMetricAsADouble() throws IOException {
    JsonNode template = RecordSchemasTest.MAPPER.readTree(
        Path.of("src/main/resources/templates/driftline-performance.json").toFile());
    JsonNode properties = template.get("template").get("mappings").get("properties");
    for (PerformanceMetric m : PerformanceMetric.values()) {
      assertThat(properties.path(m.id()).path("type").asText()).as(m.id()).isEqualTo("double");
      assertThat(properties.path("estimate").path("properties").has(m.id())).as("estimate." + m.id())
          .isEqualTo(m.estimate(BINARY) != null);
      assertThat(properties.path("multiclass_estimate").path("properties").has(m.id())).as("multiclass_estimate." + m.id())
          .isEqualTo(m.estimate(MULTICLASS) != null);
      assertThat(properties.path("estimation_error").path("properties").has(m.id())).as("estimation_error." + m.id())
          .isEqualTo(m.isEstimated());
    }
  }

  @Test
  void theEvidenceOfTriggersAndAlertsNamesEveryMetric() {
    for (RecordSchema s : List.of(RecordSchema.RETRAIN_TRIGGER, RecordSchema.ALERT)) {
      String description = RecordSchemasTest.read(s.resource()).get("$defs").get("evidence")
          .get("properties").get("metric").get("description").asText();
      assertThat(description).as(s.resource()).contains("(" + String.join(", ", IDS) + ")");
    }
  }

  @Test
  void theDocsTableListsEveryMetricInTheRegistrysOrder() throws IOException {
    String doc = Files.readString(Path.of("../docs/drift-job.md"));
    Matcher row = Pattern.compile("^\\| `([a-z0-9_]+)` \\| ([a-z ,]+) \\| (higher|lower) \\| (yes|no) \\|$", Pattern.MULTILINE)
        .matcher(doc);
    List<String> rows = new ArrayList<>();
    while (row.find()) {
      rows.add(String.join(" ", row.group(1), row.group(2), row.group(3), row.group(4)));
    }
    assertThat(rows).containsExactlyElementsOf(Arrays.stream(PerformanceMetric.values()).map(m -> String.join(" ", m.id(),
        String.join(", ", Arrays.stream(Task.values()).filter(m::appliesTo).map(t -> t.id().replace('_', ' ')).toList()),
        m.higherIsBetter() ? "higher" : "lower", m.isEstimated() ? "yes" : "no")).toList());
  }
}
