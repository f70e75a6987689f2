package dev.driftline.jobs.driftdetection.poison;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Json;
import dev.driftline.core.schema.RecordSchema;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.jobs.driftdetection.DriftDetectionJob;
import dev.driftline.jobs.driftdetection.operators.LabelledJson;
import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.runtime.deadletter.DeadLetterJson;
import dev.driftline.runtime.deadletter.DeadLetters;
import dev.driftline.runtime.flink.NamedSink;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSinks;
import dev.driftline.runtime.kafka.KafkaSources;
import dev.driftline.services.FlinkTestCluster;
import dev.driftline.services.KafkaBroker;
import dev.driftline.services.KafkaExtension;
import dev.driftline.services.PoisonCorpus;
import dev.driftline.services.ReliabilityLog;
import dev.driftline.services.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift job on the real broker twice: once with valid traffic (an hour of predictions and
 * labels, three publications of the baseline), once with the same traffic and the whole poison
 * corpus of its three topics interleaved in the same partitions. Every poison record must come out
 * as exactly one dead letter whose reason names its field, the valid results must be the same, and
 * the job must finish without a restart (restarts are off: any failure fails the run).
 */
@ExtendWith(KafkaExtension.class)
class DriftDetectionPoisonTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();
  @TempDir static Path dir;
  static final int MAX_MESSAGE_BYTES = 12 << 20;
  static final String KEY = "credit-default";

  static MonitorSpec spec;
  static ModelRegistry models;
  static BaselineFile profile;
  static List<TrafficEvent> events;
  static Map<String, List<PoisonCorpus.Entry>> corpus = new HashMap<>();
  static Run clean;
  static Run poisoned;

  /** What one run read and wrote; {@code sent} maps "topic/partition@offset" and duplicate prediction ids to corpus entries. */
  record Run(int records, Map<String, PoisonCorpus.Entry> sent, List<JsonNode> drift, List<JsonNode> performance,
      List<JsonNode> labelled, List<DeadLetter> deadLetters, int largestDeadLetterBytes, long jobMillis) {}

  @BeforeAll
  static void runCleanAndPoisoned() throws Exception {
    spec = PoisonTraffic.spec();
    models = new ModelRegistry(List.of(spec));
    profile = PoisonTraffic.profile(spec, dir);
    events = PoisonTraffic.events(spec, profile, Duration.ofHours(1));
    for (String topic : List.of("predictions", "labels", "baselines")) {
      corpus.put(topic, PoisonCorpus.load(topic));
    }
    clean = run("pc", false);
    poisoned = run("pp", true);
    System.out.printf("drift poison test: clean %d records in %d ms, poisoned %d records (%d bad) in %d ms, %d dead letters,"
        + " %d drift, %d performance, %d labelled%n", clean.records(), clean.jobMillis(), poisoned.records(),
        poisoned.sent().size(), poisoned.jobMillis(), poisoned.deadLetters().size(), poisoned.drift().size(),
        poisoned.performance().size(), poisoned.labelled().size());
  }

  static Run run(String prefix, boolean poison) throws Exception {
    KafkaBroker broker = KafkaExtension.broker();
    String predictions = prefix + "-predictions";
    String labels = prefix + "-labels";
    String baselines = prefix + "-baselines";
    broker.createLargeMessageTopics(2, MAX_MESSAGE_BYTES, predictions, labels, baselines);
    broker.createTopics(2, prefix + "-drift", prefix + "-performance", prefix + "-labelled", prefix + "-dead-letters");
    Map<String, PoisonCorpus.Entry> sent = new HashMap<>();
    int records = produce(broker, predictions, labels, baselines, poison, sent);

    KafkaConfig kafka = KafkaConfig.of(broker.bootstrapServers());
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.enableCheckpointing(5_000);
    ModelRegistry m = models;
    new DriftDetectionJob(
        KafkaSources.rawBounded(kafka, List.of(predictions), prefix + "-job"),
        KafkaSources.rawBounded(kafka, List.of(labels), prefix + "-job"),
        KafkaSources.rawBounded(kafka, List.of(baselines), prefix + "-job"),
        new DriftDetectionJob.Outputs(
            List.of(NamedSink.of("kafka", KafkaSinks.json(kafka, prefix + "-drift", RecordSchema.DRIFT_RESULT, r -> r.modelId(),
                r -> Json.bytes(r), DeliveryGuarantee.AT_LEAST_ONCE, null))),
            List.of(NamedSink.of("kafka", KafkaSinks.json(kafka, prefix + "-performance", RecordSchema.PERFORMANCE, r -> r.modelId(),
                r -> Json.bytes(r), DeliveryGuarantee.AT_LEAST_ONCE, null))),
            List.of(NamedSink.of("kafka", KafkaSinks.json(kafka, prefix + "-labelled", RecordSchema.LABELLED_PREDICTION,
                lp -> lp.prediction().modelId(), lp -> LabelledJson.toJson(lp, m), DeliveryGuarantee.AT_LEAST_ONCE, null))),
            DeadLetters.kafkaSink(kafka, prefix + "-dead-letters")),
        models, Map.of(spec.modelId(), Baseline.fromProfile(profile, spec))).build(env);
    long t0 = System.nanoTime();
    JobExecutionResult result = env.execute("drift detection poison test " + prefix);
    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(result.getNetRuntime()).isPositive();

    List<ConsumerRecord<byte[], byte[]>> deadLetters =
        TopicReader.readAll(broker.bootstrapServers(), prefix + "-dead-letters", poison ? sent.size() : 0);
    return new Run(records, sent, read(broker, prefix + "-drift", 1), read(broker, prefix + "-performance", 1),
        read(broker, prefix + "-labelled", 1), deadLetters.stream().map(r -> DeadLetterJson.fromJson(r.value())).toList(),
        deadLetters.stream().mapToInt(r -> r.value().length).max().orElse(0), millis);
  }

  /**
   * Valid events in their order; each topic's decode-stage poison spread evenly between its valid
   * records, a duplicate prediction right after the prediction it copies. Returns the record count.
   */
  static int produce(KafkaBroker broker, String predictions, String labels, String baselines, boolean poison,
      Map<String, PoisonCorpus.Entry> sent) throws Exception {
    JsonNode profileJson = Json.mapper().readTree(Json.bytes(profile));
    List<TrafficEvent> preds = events.stream().filter(e -> e.type() == TrafficEvent.Type.PREDICTION).toList();
    int nLabels = events.size() - preds.size();
    Map<Integer, List<PoisonCorpus.Entry>> afterPrediction = spread(poison ? corpus.get("predictions") : List.of(), preds.size());
    Map<Integer, List<PoisonCorpus.Entry>> afterLabel = spread(poison ? corpus.get("labels") : List.of(), nLabels);
    Map<Integer, List<PoisonCorpus.Entry>> afterBaseline = spread(poison ? corpus.get("baselines") : List.of(), 3);
    List<Object[]> pending = new ArrayList<>(); // {future, entry}
    int records = 0;
    try (KafkaProducer<byte[], byte[]> producer = broker.bytesProducer(MAX_MESSAGE_BYTES)) {
      Function<PoisonCorpus.Entry, Void> none = e -> null;
      for (int b = 0; b < 3; b++) {
        producer.send(record(baselines, Json.bytes(profile)));
        records++;
        for (PoisonCorpus.Entry e : afterBaseline.getOrDefault(b, List.of())) {
          pending.add(new Object[] {producer.send(record(baselines, e.bytes(Map.of(), profileJson))), e, baselines});
          records++;
        }
      }
      int p = 0;
      int l = 0;
      for (TrafficEvent event : events) {
        boolean isPrediction = event.type() == TrafficEvent.Type.PREDICTION;
        producer.send(record(isPrediction ? predictions : labels, event.json().getBytes(StandardCharsets.UTF_8)));
        records++;
        List<PoisonCorpus.Entry> after = isPrediction ? afterPrediction.getOrDefault(p, List.of()) : afterLabel.getOrDefault(l, List.of());
        for (PoisonCorpus.Entry e : after) {
          pending.add(new Object[] {producer.send(record(isPrediction ? predictions : labels, e.bytes())), e,
              isPrediction ? predictions : labels});
          records++;
        }
        if (isPrediction && poison) {
          for (PoisonCorpus.Entry e : corpus.get("predictions")) {
            if (e.duplicateOf() == p) {
              String id = event.body().get("prediction_id").asText();
              producer.send(record(predictions, e.bytes(Map.of("prediction_id", id, "ts", Long.toString(event.ts())), null)));
              records++;
              sent.put("dedup:predictions/" + id, e);
            }
          }
        }
        if (isPrediction) {
          p++;
        } else {
          l++;
        }
      }
      producer.flush();
      for (Object[] x : pending) {
        @SuppressWarnings("unchecked")
        RecordMetadata md = ((Future<RecordMetadata>) x[0]).get();
        // Decode failures and labels refused by the join alike: their dead letters keep the source position.
        sent.put(x[2] + "/" + md.partition() + "@" + md.offset(), (PoisonCorpus.Entry) x[1]);
      }
    }
    return records;
  }

  /** Decode-stage entries after valid record i (0-based), evenly over {@code valid} records. */
  static Map<Integer, List<PoisonCorpus.Entry>> spread(List<PoisonCorpus.Entry> entries, int valid) {
    List<PoisonCorpus.Entry> spread = entries.stream().filter(e -> e.duplicateOf() < 0).toList();
    Map<Integer, List<PoisonCorpus.Entry>> out = new HashMap<>();
    for (int i = 0; i < spread.size(); i++) {
      out.computeIfAbsent((int) ((long) (i + 1) * valid / (spread.size() + 1)), k -> new ArrayList<>()).add(spread.get(i));
    }
    return out;
  }

  static ProducerRecord<byte[], byte[]> record(String topic, byte[] value) {
    return new ProducerRecord<>(topic, KEY.getBytes(StandardCharsets.UTF_8), value);
  }

  static List<JsonNode> read(KafkaBroker broker, String topic, int expected) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(broker.bootstrapServers(), topic, expected)) {
      ObjectNode n = (ObjectNode) Json.mapper().readTree(r.value());
      n.remove("computed_at"); // wall-clock time of the computation, the one field that differs between runs
      out.add(n);
    }
    return out;
  }

  @Test
  void everyPoisonRecordIsOneDeadLetterNamingItsField() {
    int expected = corpus.values().stream().mapToInt(List::size).sum();
    assertThat(poisoned.sent()).hasSize(expected);
    assertThat(clean.deadLetters()).isEmpty();
    assertThat(poisoned.deadLetters()).hasSize(expected);
    Map<String, String> unmatched = new TreeMap<>();
    Map<String, PoisonCorpus.Entry> left = new HashMap<>(poisoned.sent());
    for (DeadLetter d : poisoned.deadLetters()) {
      String where = d.topic() != null
          ? d.topic() + "/" + d.partition() + "@" + d.offset()
          : d.stage() + "/" + new String(d.key(), StandardCharsets.UTF_8);
      PoisonCorpus.Entry e = left.remove(where);
      if (e == null) {
        unmatched.put(where, d.reason());
        continue;
      }
      assertThat(d.reason()).as(e.id() + " (" + e.category() + ")").contains(e.expect()).doesNotContain("\n");
      // Decode-stage entries are refused by a decoder; the others after decoding (duplicate id, label join).
      assertThat(d.stage().startsWith("decode:")).as(e.id() + " " + d.stage()).isEqualTo(e.stage().equals("decode"));
    }
    assertThat(unmatched).as("dead letters of no poison record").isEmpty();
    assertThat(left).as("poison records without a dead letter").isEmpty();
  }

  /** A label the join refuses (no prediction within labels.max_delay) keeps its record's bytes and position. */
  @Test
  void labelsTheJoinRefusesKeepTheirBytesAndPosition() {
    List<DeadLetter> join = poisoned.deadLetters().stream().filter(d -> d.stage().equals("join:labels")).toList();
    assertThat(join).hasSize((int) corpus.get("labels").stream().filter(e -> e.stage().equals("join")).count()).isNotEmpty();
    for (DeadLetter d : join) {
      String where = d.topic() + "/" + d.partition() + "@" + d.offset();
      PoisonCorpus.Entry e = poisoned.sent().get(where);
      assertThat(e).as(where).isNotNull();
      assertThat(d.topic()).isEqualTo("pp-labels");
      assertThat(e.stage()).as(where).isEqualTo("join");
      assertThat(d.value()).as(e.id()).isEqualTo(e.bytes());
      assertThat(d.valueLength()).as(e.id()).isEqualTo(e.bytes().length);
      assertThat(d.key()).as(e.id()).isEqualTo(KEY.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void oversizedRecordsKeepOnlyTheirFirstBytes() {
    List<DeadLetter> large = poisoned.deadLetters().stream().filter(d -> d.reason().startsWith("record too large")).toList();
    assertThat(large).hasSize(12);
    assertThat(large).allSatisfy(d -> assertThat(d.value()).hasSize(4096));
    assertThat(large).allSatisfy(d -> assertThat(d.valueLength()).isIn(10_485_760L, 1_048_577L));
    assertThat(large.stream().map(DeadLetter::reason)).contains(
        "record too large: 10485760 bytes > limit 1048576 (dead letter keeps the first 4096 bytes)");
  }

  /**
   * The corpus's escape-heavy records just under the decoder's limit (whole, their JSON escaped
   * nearly twice as large as Kafka's default limit) and just over it: each a dead letter that fits
   * the dead-letter topic, which has the broker's default limits, with its original length and a
   * prefix of its bytes.
   */
  @Test
  void nearLimitRecordsBecomeDeadLettersThatFitTheDefaultTopic() throws Exception {
    JsonNode profileJson = Json.mapper().readTree(Json.bytes(profile));
    Map<String, Integer> cutPerTopic = new TreeMap<>();
    for (DeadLetter d : poisoned.deadLetters()) {
      PoisonCorpus.Entry e = poisoned.sent().get(d.topic() + "/" + d.partition() + "@" + d.offset());
      if (e == null || !e.body().path("generate").has("fill")) {
        continue;
      }
      byte[] sentBytes = e.bytes(Map.of(), profileJson);
      assertThat(d.valueLength()).as(e.id()).isEqualTo(sentBytes.length);
      assertThat(d.value()).as(e.id()).isEqualTo(java.util.Arrays.copyOf(sentBytes, d.value().length));
      if (e.expect().equals("invalid JSON")) {
        // The padding takes 17 escaped bytes per 9: at least 1 MiB × 9 / 17 of the record fits, not all of it.
        assertThat(d.value().length).as(e.id()).isGreaterThan(540_000).isLessThan(sentBytes.length);
        cutPerTopic.merge(d.topic().substring(3), 1, Integer::sum);
      } else {
        assertThat(d.value().length).as(e.id()).isEqualTo(4096);
      }
    }
    assertThat(cutPerTopic).containsOnly(Map.entry("predictions", 1), Map.entry("labels", 1), Map.entry("baselines", 1));
    assertThat(poisoned.largestDeadLetterBytes()).isBetween(1_048_576 - 1024 - 20, 1_048_576 - 1024);
  }

  @Test
  void validResultsAreTheSameWithAndWithoutPoison() {
    assertThat(clean.drift()).isNotEmpty();
    assertThat(byId(poisoned.drift(), DriftDetectionPoisonTest::driftId))
        .isEqualTo(byId(clean.drift(), DriftDetectionPoisonTest::driftId));
    assertThat(poisoned.drift()).hasSameSizeAs(clean.drift());
    Map<String, JsonNode> lastPerformance = byId(clean.performance(), DriftDetectionPoisonTest::performanceId);
    assertThat(lastPerformance).hasSizeGreaterThanOrEqualTo(6);
    Map<String, JsonNode> poisonedPerformance = byId(poisoned.performance(), DriftDetectionPoisonTest::performanceId);
    assertThat(poisonedPerformance.keySet()).isEqualTo(lastPerformance.keySet());
    // Partial sums merge in whichever order the subtasks' bundles arrive, in either run; the sums
    // are exact, so every field, log loss and Brier included, is the same bit for bit.
    lastPerformance.forEach((id, expected) -> expected.fields().forEachRemaining(f -> {
      JsonNode actual = poisonedPerformance.get(id).get(f.getKey());
      assertThat(actual).as(id + " " + f.getKey()).isEqualTo(f.getValue());
      if (f.getValue().isFloatingPointNumber()) {
        assertThat(Double.doubleToRawLongBits(actual.asDouble())).as(id + " " + f.getKey())
            .isEqualTo(Double.doubleToRawLongBits(f.getValue().asDouble()));
      }
    }));
    Map<String, JsonNode> labelled = byId(clean.labelled(), r -> r.get("prediction_id").asText());
    assertThat(labelled).hasSize(clean.labelled().size()).hasSizeGreaterThan(3000);
    assertThat(byId(poisoned.labelled(), r -> r.get("prediction_id").asText())).isEqualTo(labelled);
    assertThat(poisoned.labelled()).hasSameSizeAs(clean.labelled());

    ReliabilityLog.row("Poison input (drift job: predictions, labels, baselines)",
        "the committed corpus (" + corpus.get("predictions").size() + " + " + corpus.get("labels").size() + " + "
            + corpus.get("baselines").size() + " bad records, among them escape-heavy ones just under and just over the"
            + " decoder's 1 MiB limit) interleaved with an hour of valid traffic; dead-letter topic with the broker's"
            + " default limits; restarts off",
        "one dead letter per bad record naming its field, each fitting the topic; valid results equal a clean run; no restart",
        String.format("records in %d (%d bad); dead letters %d (clean run 0), largest %d bytes; drift results %d = clean,"
            + " performance windows %d = clean, labelled %d = clean; restarts 0", poisoned.records(), poisoned.sent().size(),
            poisoned.deadLetters().size(), poisoned.largestDeadLetterBytes(), poisoned.drift().size(),
            poisonedPerformance.size(), labelled.size()),
        "DriftDetectionPoisonTest");
  }

  /** The last record per id, in topic order (one model: one partition, so order is emission order). */
  static Map<String, JsonNode> byId(List<JsonNode> records, Function<JsonNode, String> id) {
    Map<String, JsonNode> out = new TreeMap<>();
    records.forEach(r -> out.put(id.apply(r), r));
    return out;
  }

  static String driftId(JsonNode r) {
    return String.join("|", r.get("segment").asText(), r.get("feature").asText(), r.get("test").asText(),
        r.get("window_start").asText());
  }

  static String performanceId(JsonNode r) {
    return r.get("segment").asText() + "|" + r.get("window_start").asText();
  }
}
