package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.runtime.deadletter.DeadLetterJson;
import dev.driftline.runtime.flink.NamedSink;
import dev.driftline.runtime.kafka.RawRecord;
import dev.driftline.services.CollectingSink.Output;
import dev.driftline.services.CollectingSink;
import dev.driftline.services.FlinkTestCluster;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.functions.FromElementsGeneratorFunction;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every way a label becomes a dead letter in the drift job keeps the label's record as it was
 * read: its key and value bytes (not the decoded label written again), its topic, partition,
 * offset and timestamp, exactly as a decode failure's dead letter does. The production pipeline
 * ({@link DriftDetectionJob}) runs on in-memory sources of Kafka records (each with its own
 * partition and offset) and writes its dead letters, in their topic form ({@link DeadLetterJson}),
 * to a collecting sink. The label values carry spaces, field order and an extra field that
 * re-encoding the decoded label would lose.
 */
class LabelDeadLettersKeepTheirSourceTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

  static final long T0 = 1_772_409_600_000L;
  static final long MINUTE = 60_000;
  static final String RUN = "label-dead-letters";
  static final MonitorSpec LABELLED = spec("m", "labels: {max_delay: 10m}");
  static final MonitorSpec UNLABELLED = spec("u", "labels: none");
  static final List<RawRecord> PREDICTIONS = new ArrayList<>();
  static final List<RawRecord> LABELS = new ArrayList<>();
  /** The labels that must come out as dead letters, by position: the reason each must give. */
  static final Map<String, String> EXPECTED = new TreeMap<>();
  static final Map<String, RawRecord> SENT = new TreeMap<>();
  static Map<String, DeadLetter> deadLetters;

  static MonitorSpec spec(String model, String labels) {
    return MonitorSpecParser.parse(model + ".yaml", String.join("\n", "model_id: " + model, "task: binary_classification",
        labels, "features:", "  - {name: x, type: numeric}", "reference: {source: previous_window}",
        "window: {size: 1h}", ""));
  }

  @BeforeAll
  static void runTheJob() throws Exception {
    predict("m", "p-1", T0, 0);
    predict("m", "p-2", T0 + MINUTE, 1);
    predict("u", "u-1", T0 + 2 * MINUTE, 2);
    label(0, 10, "{\"model_id\":\"m\",\"prediction_id\":\"p-1\",\"ts\":" + (T0 + MINUTE) + ",\"label\":1}", null);
    label(0, 11, "{ \"label\": 0, \"ts\": " + (T0 + 2 * MINUTE) + ", \"prediction_id\": \"p-1\", \"model_id\": \"m\", \"note\": \"zweite Meinung ✓\" }",
        "duplicate label for prediction \"p-1\", which is already labelled");
    label(1, 7, "{\"model_id\": \"m\", \"prediction_id\": \"ghost\", \"ts\": " + (T0 + 3 * MINUTE) + ", \"label\": true}",
        "no prediction \"ghost\" within labels.max_delay (PT10M) of this label");
    // Later than labels.max_delay after its prediction: it never joins, and expires unmatched.
    label(1, 8, "{\"model_id\":\"m\",\"prediction_id\":\"p-2\",\"ts\":" + (T0 + 12 * MINUTE) + ",\"label\":\"1\"}",
        "no prediction \"p-2\" within labels.max_delay (PT10M) of this label");
    label(0, 12, "{\"model_id\":\"u\" , \"prediction_id\":\"u-1\",\"ts\":" + (T0 + 3 * MINUTE) + ",\"label\":0}",
        "model \"u\" has labels: none in its monitor spec; label for prediction \"u-1\" not joined");
    // Decoded neither: not UTF-8 (kept as base64), and a label that is not 0 or 1.
    LABELS.add(record("labels", 1, 9, T0, "k".getBytes(StandardCharsets.UTF_8), new byte[] {'{', (byte) 0xc3, (byte) 0x28, 0, '}'}));
    expect(LABELS.get(LABELS.size() - 1), "invalid JSON");
    label(0, 13, "{\"model_id\":\"m\",\"prediction_id\":\"p-2\",\"ts\":" + (T0 + 2 * MINUTE) + ",\"label\":2}",
        "label: expected 0 or 1 (or true/false), got 2");

    // An in-memory source cannot be empty: the baselines input holds one record that is no profile.
    List<RawRecord> baselines = List.of(record("baselines", 0, 0, T0, null, "[]".getBytes(StandardCharsets.UTF_8)));
    expect(baselines.get(0), "baseline: not a Driftline profile");

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
        new Configuration().set(RestartStrategyOptions.RESTART_STRATEGY, "none"));
    env.setParallelism(1);
    CollectingSink<DeadLetter> sink = CollectingSink.of(RUN, d -> new Output(d.topic() + "/" + d.partition() + "@" + d.offset(),
        Base64.getEncoder().encodeToString(DeadLetterJson.toJson(d))));
    new DriftDetectionJob(source(PREDICTIONS), source(LABELS), source(baselines),
        new DriftDetectionJob.Outputs(List.of(), List.of(), List.of(), sink),
        new ModelRegistry(List.of(LABELLED, UNLABELLED)), Map.of()).build(env);
    env.execute("label dead letters");
    deadLetters = new TreeMap<>();
    for (Output o : CollectingSink.outputs(RUN)) {
      assertThat(deadLetters.put(o.id(), DeadLetterJson.fromJson(Base64.getDecoder().decode(o.value())))).as(o.id()).isNull();
    }
  }

  static void predict(String model, String id, long ts, int offset) {
    String json = "{\"model_id\":\"" + model + "\",\"prediction_id\":\"" + id + "\",\"ts\":" + ts
        + ",\"features\":{\"x\":1.5},\"score\":0.7}";
    PREDICTIONS.add(record("predictions", 0, offset, ts, id.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8)));
  }

  /** A label record; {@code reason} null when it must not become a dead letter. */
  static void label(int partition, long offset, String json, String reason) {
    RawRecord r = record("labels", partition, offset, T0 + offset, ("key-" + offset).getBytes(StandardCharsets.UTF_8),
        json.getBytes(StandardCharsets.UTF_8));
    LABELS.add(r);
    if (reason != null) {
      expect(r, reason);
    }
  }

  static void expect(RawRecord r, String reason) {
    String where = r.topic() + "/" + r.partition() + "@" + r.offset();
    EXPECTED.put(where, reason);
    SENT.put(where, r);
  }

  static RawRecord record(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
    return new RawRecord(topic, partition, offset, timestamp, key, value, null);
  }

  static Source<RawRecord, ?, ?> source(List<RawRecord> records) {
    TypeInformation<RawRecord> type = TypeInformation.of(RawRecord.class);
    return new DataGeneratorSource<>(new FromElementsGeneratorFunction<>(type, records.toArray(new RawRecord[0])),
        records.size(), type);
  }

  @Test
  void everyRefusedRecordIsOneDeadLetterAtItsSourcePosition() {
    assertThat(deadLetters.keySet()).containsExactlyElementsOf(EXPECTED.keySet());
    EXPECTED.forEach((where, reason) -> assertThat(deadLetters.get(where).reason()).as(where).contains(reason));
    assertThat(deadLetters.values()).extracting(DeadLetter::stage).containsOnly("decode:labels", "join:labels", "decode:baselines");
    assertThat(deadLetters.values()).filteredOn(d -> d.stage().equals("join:labels")).hasSize(4);
  }

  @Test
  void eachKeepsTheLabelsOriginalBytesAndTimestamp() {
    SENT.forEach((where, sent) -> {
      DeadLetter d = deadLetters.get(where);
      assertThat(d).as(where).isNotNull();
      assertThat(d.value()).as(where + " value").isEqualTo(sent.value());
      assertThat(d.valueLength()).as(where + " value length").isEqualTo(sent.value().length);
      assertThat(d.key()).as(where + " key").isEqualTo(sent.key());
      assertThat(List.of(d.topic(), d.partition(), d.offset(), d.recordTimestamp()))
          .as(where).containsExactly(sent.topic(), sent.partition(), sent.offset(), sent.timestamp());
    });
  }
}
