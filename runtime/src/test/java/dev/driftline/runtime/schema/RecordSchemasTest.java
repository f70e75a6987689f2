package dev.driftline.runtime.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.drift.DriftTest;
import dev.driftline.core.drift.DriftTests;
import dev.driftline.core.drift.methods.AutoDriftTest;
import dev.driftline.core.schema.RecordSchema;
import dev.driftline.services.TopicSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The schema files in {@code schemas/}: one per {@link RecordSchema}, each complete (versioned
 * {@code $id}, title, a description of every property, examples that validate), and each
 * compatible with its released revision frozen under {@code src/test/resources/released-schemas/}
 * (schemas/README.md: within a major version fields are only added, as optional fields).
 */
class RecordSchemasTest {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final Path SCHEMAS = Path.of("../schemas");

  static JsonNode read(String resource) {
    try (InputStream in = RecordSchemasTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource + " on the classpath").isNotNull();
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A drift test registered in the core writes results under its id: the schema names each, in the registry's order. */
  @Test
  void theDriftResultSchemaNamesEveryRegisteredTest() {
    List<String> named = new ArrayList<>();
    read(RecordSchema.DRIFT_RESULT.resource()).get("properties").get("test").get("enum").forEach(n -> named.add(n.asText()));
    assertThat(named).containsExactlyElementsOf(DriftTests.all().stream()
        .filter(t -> t != AutoDriftTest.INSTANCE) // auto writes the id of the test it chose
        .map(DriftTest::id).toList());
  }

  @Test
  void everyRecordSchemaHasItsFileAndEveryFileItsRecordSchema() throws IOException {
    Set<String> files = new TreeSet<>();
    try (Stream<Path> list = Files.list(SCHEMAS)) {
      list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".schema.json")).forEach(files::add);
    }
    assertThat(files).containsExactlyInAnyOrderElementsOf(
        Arrays.stream(RecordSchema.values()).map(s -> s.resource().substring("schemas/".length())).toList());
    for (RecordSchema s : RecordSchema.values()) {
      // The classpath copy is the repository's file itself (a resource directory, not a copy).
      assertThat(read(s.resource())).as(s.resource()).isEqualTo(MAPPER.readTree(SCHEMAS.resolve(s.resource().substring(8)).toFile()));
      assertThat(TopicSchemas.resource(s.headerValue())).isEqualTo(s.resource());
      assertThat(RecordSchema.ofHeader(s.headerValue())).isSameAs(s);
    }
    assertThat(RecordSchema.ofHeader("drift-result/2")).isNull();
    assertThat(RecordSchema.HEADER).isEqualTo(TopicSchemas.HEADER);
  }

  @Test
  void everySchemaIsVersionedDescribedAndHasValidExamples() {
    for (RecordSchema s : RecordSchema.values()) {
      JsonNode schema = read(s.resource());
      String file = s.resource();
      assertThat(schema.path("$schema").asText()).as(file).isEqualTo("https://json-schema.org/draft/2020-12/schema");
      assertThat(schema.path("$id").asText()).as(file).endsWith("/" + s.schemaName() + ".v" + s.major() + ".schema.json");
      assertThat(schema.path("title").asText()).as(file).contains("version " + s.major());
      assertThat(schema.path("description").asText()).as(file).contains("driftline-schema: " + s.headerValue());
      assertThat(schema.has("additionalProperties")).as(file + ": an explicit additionalProperties policy").isTrue();
      List<String> undescribed = new ArrayList<>();
      undescribedProperties(schema, "", undescribed);
      assertThat(undescribed).as(file + ": properties without a description").isEmpty();
      assertThat(schema.path("examples").size()).as(file + ": examples").isPositive();
      for (JsonNode example : schema.get("examples")) {
        assertThat(TopicSchemas.errors(s.headerValue(), example)).as(file + " example " + example).isEmpty();
      }
    }
  }

  static void undescribedProperties(JsonNode schema, String path, List<String> out) {
    if (schema.has("properties")) {
      Iterator<Map.Entry<String, JsonNode>> it = schema.get("properties").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> p = it.next();
        JsonNode def = p.getValue();
        boolean inherited = def.has("$ref") && !def.has("description");
        if (!def.has("description") && !inherited && !path.contains("estimation_error") && !path.contains("interval")) {
          out.add(path + "." + p.getKey());
        }
        undescribedProperties(def, path + "." + p.getKey(), out);
      }
    }
    for (String nested : List.of("items", "additionalProperties")) {
      if (schema.path(nested).isObject()) {
        undescribedProperties(schema.get(nested), path + "[]", out);
      }
    }
    if (schema.has("$defs")) {
      schema.get("$defs").fields().forEachRemaining(d -> undescribedProperties(d.getValue(), "$defs." + d.getKey(), out));
    }
  }

  @Test
  void everySchemaKeepsEveryFieldOfItsReleasedRevision() {
    for (RecordSchema s : RecordSchema.values()) {
      String name = s.resource().substring("schemas/".length());
      JsonNode released = read("released-schemas/" + name);
      assertThat(incompatibilities(released, read(s.resource()))).as(name + " against its released revision").isEmpty();
    }
  }

  @Test
  void theCheckFindsEveryKindOfBreakingChange() {
    JsonNode released = read("released-schemas/drift-result.v1.schema.json");
    assertThat(incompatibilities(released, released)).isEmpty();

    ObjectNode added = released.deepCopy();
    ((ObjectNode) added.get("properties")).putObject("bins").put("type", "array").put("description", "per-bin counts");
    assertThat(incompatibilities(released, added)).as("an optional field added").isEmpty();

    ObjectNode removed = released.deepCopy();
    ((ObjectNode) removed.get("properties")).remove("p_value");
    assertThat(incompatibilities(released, removed)).containsExactly("$.p_value: removed");

    ObjectNode retyped = released.deepCopy();
    ((ObjectNode) retyped.get("properties").get("n_current")).put("type", "string");
    assertThat(incompatibilities(released, retyped)).containsExactly("$.n_current: type [integer] became [string]");

    ObjectNode required = released.deepCopy();
    ((ArrayNode) required.get("required")).add("label_coverage");
    assertThat(incompatibilities(released, required)).containsExactly("$: required fields [label_coverage] added");

    ObjectNode optional = released.deepCopy();
    ArrayNode req = (ArrayNode) optional.get("required");
    for (int i = 0; i < req.size(); i++) {
      if (req.get(i).asText().equals("reference_id")) {
        req.remove(i);
      }
    }
    assertThat(incompatibilities(released, optional)).containsExactly("$: required fields [reference_id] made optional");

    ObjectNode narrowed = released.deepCopy();
    ArrayNode levels = (ArrayNode) narrowed.get("properties").get("level").get("enum");
    levels.remove(0);
    assertThat(incompatibilities(released, narrowed)).containsExactly("$.level: enum values [stable] removed");

    ObjectNode closed = released.deepCopy();
    closed.put("additionalProperties", false);
    assertThat(incompatibilities(released, closed)).containsExactly("$: closed to added fields (additionalProperties false)");

    JsonNode performance = read("released-schemas/performance.v1.schema.json");
    ObjectNode nested = performance.deepCopy();
    ((ObjectNode) nested.get("$defs").get("interval").get("properties")).remove("upper");
    assertThat(incompatibilities(performance, nested)).containsExactly("$.estimate.accuracy.upper: removed",
        "$.estimate.precision.upper: removed", "$.estimate.recall.upper: removed", "$.estimate.f1.upper: removed",
        "$.estimate.auc.upper: removed");
  }

  /** What {@code current} breaks of {@code released} (schemas/README.md's rule), as {@code $.path: what}. */
  static List<String> incompatibilities(JsonNode released, JsonNode current) {
    List<String> out = new ArrayList<>();
    compare(released, released, current, current, "$", out);
    return out;
  }

  private static void compare(JsonNode oldRoot, JsonNode old, JsonNode newRoot, JsonNode now, String path, List<String> out) {
    old = resolve(oldRoot, old);
    now = resolve(newRoot, now);
    if (!old.path("type").equals(now.path("type"))) {
      out.add(path + ": type " + types(old) + " became " + types(now));
    }
    if (!old.path("const").equals(now.path("const"))) {
      out.add(path + ": const " + old.path("const") + " became " + now.path("const"));
    }
    if (old.has("enum")) {
      Set<JsonNode> removed = new java.util.LinkedHashSet<>();
      old.get("enum").forEach(removed::add);
      now.path("enum").forEach(removed::remove);
      if (!removed.isEmpty()) {
        out.add(path + ": enum values " + removed.stream().map(JsonNode::asText).toList() + " removed");
      }
    }
    for (String combinator : List.of("oneOf", "anyOf", "allOf")) {
      if (old.has(combinator)) {
        if (now.path(combinator).size() != old.get(combinator).size()) {
          out.add(path + ": " + combinator + " changed");
        } else {
          for (int i = 0; i < old.get(combinator).size(); i++) {
            compare(oldRoot, old.get(combinator).get(i), newRoot, now.get(combinator).get(i), path + "/" + combinator + i, out);
          }
        }
      }
    }
    Set<String> oldRequired = strings(old.path("required"));
    Set<String> newRequired = strings(now.path("required"));
    Set<String> added = new TreeSet<>(newRequired);
    added.removeAll(oldRequired);
    Set<String> dropped = new TreeSet<>(oldRequired);
    dropped.removeAll(newRequired);
    if (!added.isEmpty()) {
      out.add(path + ": required fields " + added + " added");
    }
    if (!dropped.isEmpty()) {
      out.add(path + ": required fields " + dropped + " made optional");
    }
    if (old.has("properties")) {
      Iterator<Map.Entry<String, JsonNode>> it = old.get("properties").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> p = it.next();
        JsonNode counterpart = now.path("properties").get(p.getKey());
        if (counterpart == null) {
          out.add(path + "." + p.getKey() + ": removed");
        } else {
          compare(oldRoot, p.getValue(), newRoot, counterpart, path + "." + p.getKey(), out);
        }
      }
    }
    JsonNode oldAdditional = old.path("additionalProperties");
    JsonNode newAdditional = now.path("additionalProperties");
    if (!(oldAdditional.isBoolean() && !oldAdditional.asBoolean()) && newAdditional.isBoolean() && !newAdditional.asBoolean()) {
      out.add(path + ": closed to added fields (additionalProperties false)");
    } else if (oldAdditional.isObject()) {
      compare(oldRoot, oldAdditional, newRoot, newAdditional.isObject() ? newAdditional : MAPPER.createObjectNode(), path + "[*]", out);
    }
    if (old.has("items")) {
      compare(oldRoot, old.get("items"), newRoot, now.path("items").isObject() ? now.get("items") : MAPPER.createObjectNode(),
          path + "[]", out);
    }
  }

  private static JsonNode resolve(JsonNode root, JsonNode schema) {
    while (schema.has("$ref")) {
      schema = root.at(schema.get("$ref").asText().substring(1));
    }
    return schema;
  }

  private static String types(JsonNode schema) {
    JsonNode t = schema.path("type");
    return (t.isArray() ? strings(t) : t.isMissingNode() ? Set.of() : Set.of(t.asText())).toString();
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> out = new TreeSet<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }
}
