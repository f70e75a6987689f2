package dev.driftline.core.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.drift.DriftTest;
import dev.driftline.core.drift.DriftTests;
import dev.driftline.core.drift.methods.AutoDriftTest;
import dev.driftline.core.drift.methods.SizeAware;
import dev.driftline.core.quality.QualityCheck;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.PerformanceMetric;
import dev.driftline.core.spec.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of committed files that are generated from the registries ({@link PerformanceMetric},
 * {@link DriftTests}), so that adding a metric or a drift test is its class (or constant), its
 * registration and {@code bin/driftline registry write}:
 *
 * <ul>
 *   <li>{@code schemas/performance.v1.schema.json}: one property per metric (type, range, description);
 *   <li>{@code runtime/.../templates/driftline-performance.json}: one {@code double} field per metric;
 *   <li>{@code schemas/retrain-trigger.v1.schema.json}, {@code schemas/alert.v1.schema.json}: the
 *       metric names the evidence's {@code metric} lists;
 *   <li>{@code schemas/drift-result.v1.schema.json}: the {@code test} enum and the test names in the
 *       descriptions of {@code test} and {@code p_value};
 *   <li>{@code docs/drift-job.md}: the metric table; {@code docs/statistics.md}: the drift-test table.
 * </ul>
 *
 * Everything else in those files is written by hand and kept as it is. A metric the template or
 * schema lacks goes right after the metric registered before it. Paths are relative to the
 * repository root. Stateless, thread-safe.
 */
public final class RegistryFiles {
  /** The command that rewrites the files. */
  public static final String COMMAND = "bin/driftline registry write";
  public static final String PERFORMANCE_TEMPLATE = "runtime/src/main/resources/templates/driftline-performance.json";
  public static final String METRICS_DOC = "docs/drift-job.md";
  public static final String DRIFT_TESTS_DOC = "docs/statistics.md";
  static final String METRICS_TABLE = "performance metrics";
  static final String DRIFT_TESTS_TABLE = "drift tests";

  private static final Pattern EVIDENCE_METRICS = Pattern.compile("the metric \\([a-z0-9_, ]+\\)");
  private static final Pattern QUALITY_CHECKS = Pattern.compile("A data-quality check \\([a-z0-9_, ]+\\)");

  private RegistryFiles() {}

  /** What a metric's generated parts say about it. */
  public record MetricRow(String id, List<String> tasks, boolean higherIsBetter, boolean estimated, boolean unitInterval,
      String description) {
    static MetricRow of(PerformanceMetric m) {
      return new MetricRow(m.id(), Arrays.stream(Task.values()).filter(m::appliesTo).map(Task::id).toList(),
          m.higherIsBetter(), m.isEstimated(), m.unitInterval(), m.description());
    }
  }

  /** The registered metrics, in registration order. */
  public static List<MetricRow> metrics() {
    return Arrays.stream(PerformanceMetric.values()).map(MetricRow::of).toList();
  }

  /** Each generated file's path and how its committed text becomes the generated one, for these registries. */
  static Map<String, UnaryOperator<String>> generators(List<MetricRow> metrics, List<DriftTest> tests) {
    Map<String, UnaryOperator<String>> out = new LinkedHashMap<>();
    out.put(RecordSchema.PERFORMANCE.resource(), text -> performanceSchema(text, metrics));
    out.put(PERFORMANCE_TEMPLATE, text -> performanceTemplate(text, metrics));
    for (RecordSchema s : List.of(RecordSchema.RETRAIN_TRIGGER, RecordSchema.ALERT)) {
      out.put(s.resource(), text -> evidenceMetrics(s.resource(), text, metrics));
    }
    out.put(RecordSchema.DRIFT_RESULT.resource(), text -> driftResultSchema(text, tests));
    out.put(METRICS_DOC, text -> splice(METRICS_DOC, text, METRICS_TABLE, metricsTable(metrics)));
    out.put(DRIFT_TESTS_DOC, text -> splice(DRIFT_TESTS_DOC, text, DRIFT_TESTS_TABLE, driftTestsTable(tests)));
    return out;
  }

  /** The generated files' paths, relative to the repository root. */
  public static List<String> paths() {
    return List.copyOf(generators(metrics(), DriftTests.all()).keySet());
  }

  /** Rewrites the generated files under {@code root} that differ; returns their paths. */
  public static List<String> write(Path root) {
    List<String> changed = new ArrayList<>();
    for (Map.Entry<String, UnaryOperator<String>> g : generators(metrics(), DriftTests.all()).entrySet()) {
      Path file = root.resolve(g.getKey());
      String committed = read(file);
      String generated = g.getValue().apply(committed);
      if (!generated.equals(committed)) {
        try {
          Files.writeString(file, generated, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        }
        changed.add(g.getKey());
      }
    }
    return changed;
  }

  /** One line per generated file under {@code root} that is not what the registries generate: where, and the first difference. */
  public static List<String> differences(Path root) {
    return differences(root, metrics(), DriftTests.all());
  }

  static List<String> differences(Path root, List<MetricRow> metrics, List<DriftTest> tests) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, UnaryOperator<String>> g : generators(metrics, tests).entrySet()) {
      String committed = read(root.resolve(g.getKey()));
      String generated = g.getValue().apply(committed);
      if (!generated.equals(committed)) {
        List<String> want = generated.lines().toList();
        List<String> have = committed.lines().toList();
        int line = 0;
        while (line < want.size() && line < have.size() && want.get(line).equals(have.get(line))) {
          line++;
        }
        out.add(g.getKey() + ":" + (line + 1) + ": expected " + excerpt(want, line) + ", found " + excerpt(have, line)
            + "; regenerate with " + COMMAND);
      }
    }
    return out;
  }

  private static String excerpt(List<String> lines, int i) {
    if (i >= lines.size()) {
      return "the end of the file";
    }
    String l = lines.get(i).strip();
    return "\"" + (l.length() > 100 ? l.substring(0, 100) + "…" : l) + "\"";
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read (is it the repository root?): " + e.getMessage(), e);
    }
  }

  /** The performance schema with one property per metric: a number in [0, 1] or [0, ∞) and its description. */
  static String performanceSchema(String text, List<MetricRow> metrics) {
    ObjectNode schema = SchemaJson.read(RecordSchema.PERFORMANCE.resource(), text);
    ObjectNode properties = (ObjectNode) schema.get("properties");
    Map<String, JsonNode> generated = new LinkedHashMap<>();
    for (MetricRow m : metrics) {
      ObjectNode p = JsonNodeFactory.instance.objectNode().put("type", "number").put("minimum", 0);
      if (m.unitInterval()) {
        p.put("maximum", 1);
      }
      generated.put(m.id(), p.put("description", m.description()));
    }
    List<String> keys = new ArrayList<>();
    properties.fieldNames().forEachRemaining(keys::add);
    insertMissing(keys, metrics.stream().map(MetricRow::id).toList(), RecordSchema.PERFORMANCE.resource() + " properties");
    ObjectNode rebuilt = JsonNodeFactory.instance.objectNode();
    for (String k : keys) {
      rebuilt.set(k, generated.containsKey(k) ? generated.get(k) : properties.get(k));
    }
    schema.set("properties", rebuilt);
    return SchemaJson.write(schema);
  }

  /** {@code keys} with each of {@code ids} it lacks inserted after the id registered before it. */
  private static void insertMissing(List<String> keys, List<String> ids, String where) {
    for (int i = 0; i < ids.size(); i++) {
      if (!keys.contains(ids.get(i))) {
        if (i == 0) {
          throw new IllegalArgumentException(where + ": expected the first metric " + ids.get(0) + " to be there");
        }
        keys.add(keys.indexOf(ids.get(i - 1)) + 1, ids.get(i));
      }
    }
  }

  /** The Elasticsearch template with a {@code double} mapping per metric (a missing one after its predecessor's line). */
  static String performanceTemplate(String text, List<MetricRow> metrics) {
    List<String> lines = new ArrayList<>(text.lines().toList());
    Matcher first = Pattern.compile("(?m)^( *)\"" + Pattern.quote(metrics.get(0).id()) + "\": \\{\"type\": \"double\"},?$")
        .matcher(text);
    if (!first.find()) {
      throw new IllegalArgumentException(PERFORMANCE_TEMPLATE + ": expected a line \"" + metrics.get(0).id()
          + "\": {\"type\": \"double\"} among the mapped fields");
    }
    String indent = first.group(1);
    List<String> keys = new ArrayList<>();
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher field = Pattern.compile("^" + indent + "\"([a-z0-9_]+)\": ").matcher(lines.get(i));
      if (field.find()) {
        keys.add(field.group(1));
        at.add(i);
      }
    }
    for (int i = 1; i < metrics.size(); i++) {
      String id = metrics.get(i).id();
      if (!keys.contains(id)) {
        int after = at.get(keys.indexOf(metrics.get(i - 1).id()));
        String previous = lines.get(after);
        boolean last = !previous.endsWith(",");
        if (last) {
          lines.set(after, previous + ",");
        }
        lines.add(after + 1, indent + "\"" + id + "\": {\"type\": \"double\"}" + (last ? "" : ","));
        int k = keys.indexOf(metrics.get(i - 1).id()) + 1;
        keys.add(k, id);
        at.add(k, after + 1);
        for (int j = k + 1; j < at.size(); j++) {
          at.set(j, at.get(j) + 1);
        }
      }
    }
    return String.join("\n", lines) + "\n";
  }

  /** A trigger or alert schema whose evidence {@code metric} lists the metrics. */
  static String evidenceMetrics(String where, String text, List<MetricRow> metrics) {
    ObjectNode schema = SchemaJson.read(where, text);
    ObjectNode metric = (ObjectNode) schema.path("$defs").path("evidence").path("properties").path("metric");
    String replacement = "the metric (" + String.join(", ", metrics.stream().map(MetricRow::id).toList()) + ")";
    metric.put("description", replaceOnce(where + " $defs.evidence.properties.metric.description",
        metric.path("description").asText(), EVIDENCE_METRICS, replacement));
    return SchemaJson.write(schema);
  }

  /** The drift-result schema naming every test that writes results under its own id. */
  static String driftResultSchema(String text, List<DriftTest> tests) {
    String where = RecordSchema.DRIFT_RESULT.resource();
    ObjectNode schema = SchemaJson.read(where, text);
    ObjectNode properties = (ObjectNode) schema.get("properties");
    ObjectNode test = (ObjectNode) properties.get("test");
    ArrayNode ids = JsonNodeFactory.instance.arrayNode();
    tests.stream().filter(t -> !isAuto(t)).forEach(t -> ids.add(t.id()));
    test.set("enum", ids);
    List<String> checks = tests.stream().filter(t -> t instanceof QualityCheck).map(DriftTest::id).toList();
    test.put("description", replaceOnce(where + " properties.test.description", test.path("description").asText(),
        QUALITY_CHECKS, "A data-quality check (" + String.join(", ", checks) + ")"));
    List<DriftTest> comparisons = tests.stream()
        .filter(t -> !(t instanceof QualityCheck) && !t.multivariate() && !isAuto(t)).toList();
    ((ObjectNode) properties.get("p_value")).put("description", "p-value of the tests that have one ("
        + String.join(", ", comparisons.stream().filter(DriftTest::isPValueTest).map(DriftTest::id).toList())
        + "); absent for distances ("
        + String.join(", ", comparisons.stream().filter(t -> !t.isPValueTest()).map(DriftTest::id).toList()) + ").");
    return SchemaJson.write(schema);
  }

  private static boolean isAuto(DriftTest t) {
    return t.id().equals(AutoDriftTest.INSTANCE.id()); // auto writes the id of the test it chose
  }

  private static String replaceOnce(String where, String text, Pattern pattern, String replacement) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      throw new IllegalArgumentException(where + ": expected the pattern " + pattern + " to replace");
    }
    return text.substring(0, m.start()) + replacement + text.substring(m.end());
  }

  /** The table of docs/drift-job.md: metric, tasks, which way is better, estimated before labels. */
  static String metricsTable(List<MetricRow> metrics) {
    StringBuilder s = new StringBuilder("| metric | task | better | estimated before labels |\n|---|---|---|---|\n");
    for (MetricRow m : metrics) {
      s.append("| `").append(m.id()).append("` | ")
          .append(String.join(", ", m.tasks().stream().map(t -> t.replace('_', ' ')).toList()))
          .append(" | ").append(m.higherIsBetter() ? "higher" : "lower")
          .append(" | ").append(m.estimated() ? "yes" : "no").append(" |\n");
    }
    return s.toString();
  }

  /** The table of docs/statistics.md: every test a spec's {@code tests} offers, with its default reading. */
  static String driftTestsTable(List<DriftTest> tests) {
    StringBuilder s = new StringBuilder("| test | feature types | what | drift when (default) |\n|---|---|---|---|\n");
    for (DriftTest t : tests) {
      if (t instanceof QualityCheck || t.multivariate()) {
        continue;
      }
      s.append("| `").append(t.id()).append('`');
      t.aliases().forEach(a -> s.append(" (`").append(a).append("`)"));
      s.append(" | ").append(String.join(", ", t.featureTypes().stream().map(FeatureType::id).toList()))
          .append(" | ").append(t.description())
          .append(" | ").append(driftWhen(t)).append(" |\n");
    }
    return s.toString();
  }

  private static String driftWhen(DriftTest t) {
    if (Double.isNaN(t.defaultThreshold())) {
      return "as the test it chooses";
    }
    String threshold = BigDecimal.valueOf(t.defaultThreshold()).stripTrailingZeros().toPlainString();
    if (t.isPValueTest()) {
      return "p < " + threshold;
    }
    boolean sizeAware = t.featureTypes().stream().anyMatch(type -> t.extraOptions(type).containsKey(SizeAware.KEY));
    return "> " + threshold + (sizeAware ? ", [size-aware](#size-aware-thresholds-the-default)" : "");
  }

  /** {@code text} with the lines between its BEGIN and END markers of {@code name} replaced by {@code content}. */
  static String splice(String where, String text, String name, String content) {
    String beginMarker = "<!-- BEGIN " + name + ":";
    String endMarker = "<!-- END " + name + " -->";
    int marker = text.indexOf(beginMarker);
    int end = text.indexOf(endMarker);
    if (marker < 0 || end < marker) {
      throw new IllegalArgumentException(where + ": expected the markers \"" + beginMarker + " ...-->\" and \"" + endMarker
          + "\" around the generated " + name + " table");
    }
    int begin = text.indexOf('\n', marker) + 1;
    return text.substring(0, begin) + content + text.substring(end);
  }
}
