package dev.driftline.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The JSON Schemas of Driftline's topics ({@code schemas/<name>.v<major>.schema.json} at the
 * repository root, on the classpath as {@code schemas/...}), and the check every record a test
 * reads from a topic goes through ({@link TopicReader}, {@link CommittedRecords}).
 *
 * <p>A record's schema is named by its {@value #HEADER} header ({@code drift-result/1}), which
 * everything Driftline writes carries; a record on a topic named like one of Driftline's outputs
 * ({@code drift-results}, or a test's {@code <prefix>-drift}, ...) must carry the header of that
 * schema. Inputs produced by tests without the header are checked by their topic's name
 * ({@code predictions}, {@code labels}, {@code baselines}, with any prefix) when it names one, and
 * not at all otherwise. Beyond the schema, every field of a record Driftline writes must be
 * declared by it (the published schemas are open to fields added later; the records of this
 * revision must not hold an undocumented one). A record that fails is an {@link AssertionError} with the record, the schema
 * and the errors. Thread-safe; keeps the first record of each schema under
 * {@code target/record-samples/} and counts what it validated per schema, appended to
 * {@code target/validated-records.txt} (one line per schema and JVM) when the JVM exits.
 */
public final class TopicSchemas {
  /** The Kafka header naming a record's schema, e.g. {@code drift-result/1}. */
  public static final String HEADER = "driftline-schema";

  /** Schemas of the records Driftline writes: on their topics a record without the header is an error. */
  static final Set<String> WRITTEN = Set.of("drift-result", "performance", "labelled-prediction", "retrain-trigger",
      "alert", "dead-letter", "feature-record");

  private static final Pattern HEADER_VALUE = Pattern.compile("([a-z][a-z-]*)/([1-9][0-9]*)");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();
  private static final Map<String, AtomicLong> VALIDATED = new ConcurrentHashMap<>();

  /** Topic names as the jobs' defaults and the tests (with a prefix) name them, and their schema. */
  private static final List<Map.Entry<Pattern, String>> TOPICS = List.of(
      Map.entry(Pattern.compile("(^|.*[-.])dead(-letters)?"), "dead-letter"),
      Map.entry(Pattern.compile("features\\..+"), "feature-record"),
      Map.entry(Pattern.compile("(^|.*-)drift(-results)?"), "drift-result"),
      Map.entry(Pattern.compile("(^|.*-)performance"), "performance"),
      Map.entry(Pattern.compile("(^|.*-)labelled(-predictions)?"), "labelled-prediction"),
      Map.entry(Pattern.compile("(^|.*-)(retrain-)?triggers(-[a-z0-9]+)?"), "retrain-trigger"),
      Map.entry(Pattern.compile("(^|.*-)alerts(-[a-z0-9]+)?"), "alert"),
      Map.entry(Pattern.compile("(^|.*-)baselines"), "baseline"),
      Map.entry(Pattern.compile("(^|.*-)predictions"), "prediction"),
      Map.entry(Pattern.compile("(^|.*-)labels"), "label"));

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(TopicSchemas::writeCounts, "topic-schemas-counts"));
  }

  private TopicSchemas() {}

  /** The schema name of records on {@code topic} by its name, or null when the name says nothing. */
  public static String schemaOfTopic(String topic) {
    for (Map.Entry<Pattern, String> e : TOPICS) {
      if (e.getKey().matcher(topic).matches()) {
        return e.getValue();
      }
    }
    return null;
  }

  /** The value of the record's {@value #HEADER} header (the last one), or null. */
  public static String header(ConsumerRecord<byte[], byte[]> record) {
    Header h = record.headers().lastHeader(HEADER);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /**
   * Checks {@code record} against its schema (see the class comment).
   *
   * @throws AssertionError naming the topic, partition, offset, schema, the errors and the record
   */
  public static void check(ConsumerRecord<byte[], byte[]> record) {
    String header = header(record);
    String byTopic = schemaOfTopic(record.topic());
    String schemaId;
    if (header != null) {
      Matcher m = HEADER_VALUE.matcher(header);
      if (!m.matches()) {
        throw fail(record, header, List.of(HEADER + " header: expected <name>/<major>, got \"" + header + "\""));
      }
      if (byTopic != null && !byTopic.equals(m.group(1))) {
        throw fail(record, header, List.of("topic " + record.topic() + " holds " + byTopic + " records, header says " + header));
      }
      schemaId = header;
    } else if (byTopic != null && WRITTEN.contains(byTopic)) {
      throw fail(record, byTopic, List.of("no " + HEADER + " header: Driftline writes one on every " + byTopic + " record"));
    } else if (byTopic != null) {
      schemaId = byTopic + "/1";
    } else {
      return;
    }
    if (record.value() == null) {
      throw fail(record, schemaId, List.of("no value (a tombstone): Driftline writes none"));
    }
    JsonNode json;
    try {
      json = MAPPER.readTree(record.value());
    } catch (IOException e) {
      throw fail(record, schemaId, List.of("not JSON: " + e.getMessage().lines().findFirst().orElse("")));
    }
    List<String> errors = errors(schemaId, json);
    if (!errors.isEmpty()) {
      throw fail(record, schemaId, errors);
    }
    if (VALIDATED.computeIfAbsent(schemaId, k -> new AtomicLong()).incrementAndGet() == 1) {
      writeSample(schemaId, record);
    }
  }

  /**
   * Keeps the first record of each schema a JVM validated under {@code target/record-samples/}
   * (e.g. {@code drift-result.v1.json}), the source of the schemas' examples.
   */
  private static void writeSample(String schemaId, ConsumerRecord<byte[], byte[]> record) {
    Path dir = Path.of("target", "record-samples");
    if (!Files.isDirectory(dir.getParent())) {
      return;
    }
    try {
      Files.createDirectories(dir);
      Files.write(dir.resolve(schemaId.replace("/", ".v") + ".json"), record.value());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@link #check} of each record; returns them. */
  public static List<ConsumerRecord<byte[], byte[]>> checkAll(List<ConsumerRecord<byte[], byte[]>> records) {
    records.forEach(TopicSchemas::check);
    return records;
  }

  /**
   * Why {@code json} is not a valid record of {@code schemaId} ({@code drift-result/1}): the
   * validator's errors, then, for the records Driftline writes, every field the schema does not
   * declare (inputs may carry fields of their producers). Empty when it is valid.
   */
  public static List<String> errors(String schemaId, JsonNode json) {
    Schema schema = schema(schemaId);
    List<String> out = new ArrayList<>();
    for (Error e : schema.validate(json, ctx -> ctx.executionConfig(c -> c.formatAssertionsEnabled(true).locale(Locale.ROOT)))) {
      out.add(e.getInstanceLocation() + ": " + e.getMessage());
    }
    if (out.isEmpty() && WRITTEN.contains(schemaId.substring(0, schemaId.indexOf('/')))) {
      undeclared(schema.getSchemaNode(), schema.getSchemaNode(), json, "$", out);
    }
    return out;
  }

  /** The parsed schema file of {@code schemaId} ({@code drift-result/1}). */
  public static Schema schema(String schemaId) {
    return SCHEMAS.computeIfAbsent(schemaId, id -> {
      String resource = resource(id);
      try (InputStream in = TopicSchemas.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new AssertionError("no schema " + id + ": " + resource + " is not on the classpath");
        }
        return REGISTRY.getSchema(SchemaLocation.of("classpath:" + resource),
            new String(in.readAllBytes(), StandardCharsets.UTF_8), InputFormat.JSON);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** {@code schemas/drift-result.v1.schema.json} for {@code drift-result/1}. */
  public static String resource(String schemaId) {
    Matcher m = HEADER_VALUE.matcher(schemaId);
    if (!m.matches()) {
      throw new IllegalArgumentException("schema id: expected <name>/<major>, got \"" + schemaId + "\"");
    }
    return "schemas/" + m.group(1) + ".v" + m.group(2) + ".schema.json";
  }

  /** Records validated in this JVM, per schema id. */
  public static Map<String, Long> validated() {
    Map<String, Long> out = new TreeMap<>();
    VALIDATED.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /**
   * Adds to {@code out} each field of {@code json} that {@code schema} does not name in its
   * {@code properties}, where the schema lists properties and allows others without saying what
   * they are (objects whose {@code additionalProperties} is a schema are maps: their keys are data).
   */
  private static void undeclared(JsonNode root, JsonNode schema, JsonNode json, String path, List<String> out) {
    schema = resolve(root, schema);
    if (schema == null || json == null) {
      return;
    }
    if (json.isArray() && schema.has("items")) {
      for (int i = 0; i < json.size(); i++) {
        undeclared(root, schema.get("items"), json.get(i), path + "[" + i + "]", out);
      }
      return;
    }
    if (!json.isObject()) {
      return;
    }
    JsonNode properties = schema.get("properties");
    JsonNode additional = schema.get("additionalProperties");
    Iterator<Map.Entry<String, JsonNode>> fields = json.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      JsonNode declared = properties == null ? null : properties.get(f.getKey());
      if (declared != null) {
        undeclared(root, declared, f.getValue(), path + "." + f.getKey(), out);
      } else if (additional != null && additional.isObject()) {
        undeclared(root, additional, f.getValue(), path + "." + f.getKey(), out);
      } else if (properties != null) {
        out.add(path + "." + f.getKey() + ": a field the schema does not declare (document it in " + schemaFile(root) + ")");
      }
    }
  }

  /** {@code schema} with a local {@code $ref} ({@code #/$defs/x}) followed. */
  private static JsonNode resolve(JsonNode root, JsonNode schema) {
    while (schema != null && schema.has("$ref") && schema.get("$ref").asText().startsWith("#/")) {
      schema = root.at(schema.get("$ref").asText().substring(1));
      if (schema.isMissingNode()) {
        return null;
      }
    }
    return schema;
  }

  private static String schemaFile(JsonNode root) {
    String id = root.path("$id").asText();
    return id.isEmpty() ? "its schema" : "schemas/" + id.substring(id.lastIndexOf('/') + 1);
  }

  private static AssertionError fail(ConsumerRecord<byte[], byte[]> record, String schemaId, List<String> errors) {
    String value = record.value() == null ? "null" : new String(record.value(), StandardCharsets.UTF_8);
    if (value.length() > 4000) {
      value = value.substring(0, 4000) + "...";
    }
    return new AssertionError("record " + record.topic() + "/" + record.partition() + "@" + record.offset()
        + " does not match schema " + schemaId + ":\n  " + String.join("\n  ", errors) + "\nrecord: " + value);
  }

  private static void writeCounts() {
    Map<String, Long> counts = validated();
    if (counts.isEmpty() || !Files.isDirectory(Path.of("target"))) {
      return;
    }
    StringBuilder text = new StringBuilder();
    counts.forEach((k, v) -> text.append(k).append(' ').append(v).append('\n'));
    try {
      Files.writeString(Path.of("target", "validated-records.txt"), text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      // The JVM is exiting: nobody to tell but the console.
      System.err.println("TopicSchemas: cannot write target/validated-records.txt: " + e.getMessage());
    }
  }
}
