package dev.driftline.jobs.featurepipeline.poison;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.features.FeatureEventDecoder;
import dev.driftline.core.features.FeatureRecord;
import dev.driftline.core.features.FeatureView;
import dev.driftline.core.features.FeatureViewParser;
import dev.driftline.core.io.Decoded;
import dev.driftline.core.schema.RecordSchema;
import dev.driftline.jobs.featurepipeline.FeaturePipelineJob;
import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.runtime.deadletter.DeadLetterJson;
import dev.driftline.runtime.deadletter.DeadLetters;
import dev.driftline.runtime.flink.NamedSink;
import dev.driftline.runtime.kafka.DecodeFunction;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The feature pipeline on the real broker twice: generated card transactions alone, then the same
 * transactions with the raw-event poison corpus interleaved in the same partitions. Every poison
 * record must be exactly one dead letter naming its field, the feature log must be the same, and
 * the job must finish without a restart (restarts are off: any failure fails the run).
 */
@ExtendWith(KafkaExtension.class)
class FeaturePipelinePoisonTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();
  static final long START = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
  static final int MAX_MESSAGE_BYTES = 12 << 20;
  static final int CARDS = 100;

  static List<PoisonCorpus.Entry> corpus;
  static Run clean;
  static Run poisoned;

  record Run(int records, Map<String, PoisonCorpus.Entry> sent, Map<String, Map<String, Double>> log,
      int logRecords, List<DeadLetter> deadLetters, int largestDeadLetterBytes, long jobMillis) {}

  static FeatureView view(String name) {
    return FeatureViewParser.parse(name + ".yaml", """
        view: %s
        source: {topic: %s-txns, entity_key: card_id, timestamp: ts, max_out_of_orderness: 30s, idle_timeout: 10m}
        entity_ttl: 8d
        features:
          - {name: txn_count_1h, aggregation: count, window: 1h}
          - {name: amount_sum_24h, aggregation: sum, field: amount, window: 24h}
          - {name: amount_max_24h, aggregation: max, field: amount, window: 24h}
          - {name: merchant_distinct_24h, aggregation: distinct_count, field: merchant_id, window: 24h}
          - {name: last_amount, aggregation: last, field: amount}
          - {name: seconds_since_last_txn, aggregation: time_since_last}
        """.formatted(name, name));
  }

  @BeforeAll
  static void runCleanAndPoisoned() throws Exception {
    corpus = PoisonCorpus.load("features");
    List<String[]> txns = generate(new Random(42));
    clean = run(view("poisonclean"), txns, List.of());
    poisoned = run(view("poisonmixed"), txns, corpus);
    System.out.printf("feature poison test: clean %d records in %d ms, poisoned %d records (%d bad) in %d ms,"
        + " %d dead letters, %d feature records%n", clean.records(), clean.jobMillis(), poisoned.records(),
        poisoned.sent().size(), poisoned.jobMillis(), poisoned.deadLetters().size(), poisoned.logRecords());
  }

  /** {card, ts, amount, merchant} in arrival order: event time plus up to 20 s, below max_out_of_orderness. */
  static List<String[]> generate(Random random) {
    List<long[]> order = new ArrayList<>();
    List<String[]> txns = new ArrayList<>();
    for (int c = 0; c < CARDS; c++) {
      long ts = START + (long) (random.nextDouble() * 3_600_000);
      for (int i = 0, n = 10 + random.nextInt(30); i < n; i++) {
        ts += (long) (-Math.log(random.nextDouble()) * 1_800_000);
        txns.add(new String[] {String.format("card-%04d", c), Long.toString(ts),
            Double.toString(Math.round(Math.exp(3 + random.nextGaussian()) * 100) / 100.0), "m" + random.nextInt(50)});
        order.add(new long[] {ts + (long) (random.nextDouble() * 20_000), txns.size() - 1});
      }
    }
    order.sort((a, b) -> Long.compare(a[0], b[0]));
    return order.stream().map(o -> txns.get((int) o[1])).toList();
  }

  static Run run(FeatureView view, List<String[]> txns, List<PoisonCorpus.Entry> poison) throws Exception {
    KafkaBroker broker = KafkaExtension.broker();
    String deadLetterTopic = view.name() + "-dead-letters";
    broker.createLargeMessageTopics(3, MAX_MESSAGE_BYTES, view.topic());
    broker.createTopics(3, view.logTopic(), deadLetterTopic);
    Map<String, PoisonCorpus.Entry> sent = new HashMap<>();
    int records = 0;
    List<Object[]> pending = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = broker.bytesProducer(MAX_MESSAGE_BYTES)) {
      int next = 0;
      for (int i = 0; i < txns.size(); i++) {
        String[] t = txns.get(i);
        byte[] key = t[0].getBytes(StandardCharsets.UTF_8);
        String json = "{\"card_id\":\"" + t[0] + "\",\"ts\":" + t[1] + ",\"amount\":" + t[2] + ",\"merchant_id\":\"" + t[3] + "\"}";
        producer.send(new ProducerRecord<>(view.topic(), key, json.getBytes(StandardCharsets.UTF_8)));
        records++;
        // Poison evenly between valid records, with the key of the one before it: the same partition.
        while (next < poison.size() && (long) (next + 1) * txns.size() / (poison.size() + 1) == i) {
          pending.add(new Object[] {producer.send(new ProducerRecord<>(view.topic(), key, poison.get(next).bytes())), poison.get(next)});
          records++;
          next++;
        }
      }
      producer.flush();
      for (Object[] x : pending) {
        @SuppressWarnings("unchecked")
        RecordMetadata md = ((Future<RecordMetadata>) x[0]).get();
        sent.put(view.topic() + "/" + md.partition() + "@" + md.offset(), (PoisonCorpus.Entry) x[1]);
      }
      assertThat(sent).hasSize(poison.size());
    }

    KafkaConfig kafka = KafkaConfig.of(broker.bootstrapServers());
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.enableCheckpointing(5_000);
    new FeaturePipelineJob(List.of(view),
        v -> KafkaSources.rawBounded(kafka, List.of(v.topic()), v.name() + "-job"),
        new FeaturePipelineJob.Outputs(
            v -> List.of(NamedSink.of("kafka", KafkaSinks.<FeatureRecord>json(kafka, v.logTopic(), RecordSchema.FEATURE_RECORD,
                r -> r.entity(), r -> r.toJson(), DeliveryGuarantee.AT_LEAST_ONCE, null))),
            DeadLetters.kafkaSink(kafka, deadLetterTopic))).build(env);
    long t0 = System.nanoTime();
    JobExecutionResult result = env.execute("feature pipeline poison test " + view.name());
    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(result.getNetRuntime()).isPositive();

    Map<String, Map<String, Double>> log = new TreeMap<>();
    List<ConsumerRecord<byte[], byte[]>> logRecords = TopicReader.readAll(broker.bootstrapServers(), view.logTopic(), txns.size());
    for (ConsumerRecord<byte[], byte[]> r : logRecords) {
      FeatureRecord f = FeatureRecord.fromJson(r.value());
      log.put(f.entity() + "@" + f.asOf(), f.features());
    }
    List<ConsumerRecord<byte[], byte[]>> deadLetters = TopicReader.readAll(broker.bootstrapServers(), deadLetterTopic, poison.size());
    return new Run(records, sent, log, logRecords.size(),
        deadLetters.stream().map(r -> DeadLetterJson.fromJson(r.value())).toList(),
        deadLetters.stream().mapToInt(r -> r.value().length).max().orElse(0), millis);
  }

  /**
   * The corpus's escape-heavy raw events just under the decoder's limit and just over it: each a dead
   * letter that fits the dead-letter topic (the broker's default limits), with its original length
   * and a prefix of its bytes.
   */
  @Test
  void nearLimitEventsBecomeDeadLettersThatFitTheDefaultTopic() {
    int cut = 0;
    for (DeadLetter d : poisoned.deadLetters()) {
      PoisonCorpus.Entry e = poisoned.sent().get(d.topic() + "/" + d.partition() + "@" + d.offset());
      if (e == null || !e.body().path("generate").has("fill")) {
        continue;
      }
      byte[] sentBytes = e.bytes();
      assertThat(d.valueLength()).as(e.id()).isEqualTo(sentBytes.length);
      assertThat(d.value()).as(e.id()).isEqualTo(java.util.Arrays.copyOf(sentBytes, d.value().length));
      if (e.expect().equals("invalid JSON")) {
        assertThat(d.value().length).as(e.id()).isBetween(540_000, 556_000); // 17 escaped bytes per 9 of the padding
        cut++;
      } else {
        assertThat(d.value().length).as(e.id()).isEqualTo(4096);
      }
    }
    assertThat(cut).isEqualTo(1);
    assertThat(poisoned.largestDeadLetterBytes()).isBetween(1_048_576 - 1024 - 20, 1_048_576 - 1024);
  }

  @Test
  void everyCorpusEntryIsRefusedByTheDecoderNamingItsField() {
    FeatureEventDecoder decoder = new FeatureEventDecoder(view("poisonclean"));
    SoftAssertions softly = new SoftAssertions();
    for (PoisonCorpus.Entry e : corpus) {
      byte[] bytes = e.bytes();
      String tooLarge = DecodeFunction.tooLarge(bytes.length, DecodeFunction.DEFAULT_MAX_RECORD_BYTES);
      Decoded<?> d = tooLarge != null ? Decoded.error(tooLarge) : decoder.decode(bytes);
      if (d.isOk()) {
        softly.fail(e.id() + " (" + e.category() + ") decoded: " + new String(bytes, 0, Math.min(300, bytes.length), StandardCharsets.UTF_8));
      } else {
        softly.assertThat(d.error()).as(e.id() + " (" + e.category() + ")").contains(e.expect()).doesNotContain("\n");
      }
    }
    softly.assertAll();
    assertThat(corpus).hasSizeGreaterThanOrEqualTo(200);
  }

  @Test
  void everyPoisonRecordIsOneDeadLetterNamingItsField() {
    assertThat(clean.deadLetters()).isEmpty();
    assertThat(poisoned.deadLetters()).hasSize(corpus.size());
    Map<String, PoisonCorpus.Entry> left = new HashMap<>(poisoned.sent());
    List<String> unmatched = new ArrayList<>();
    for (DeadLetter d : poisoned.deadLetters()) {
      PoisonCorpus.Entry e = left.remove(d.topic() + "/" + d.partition() + "@" + d.offset());
      if (e == null) {
        unmatched.add(d.toString());
        continue;
      }
      assertThat(d.stage()).isEqualTo("decode:poisonmixed");
      assertThat(d.reason()).as(e.id() + " (" + e.category() + ")").contains(e.expect()).doesNotContain("\n");
    }
    assertThat(unmatched).as("dead letters of no poison record").isEmpty();
    assertThat(left).as("poison records without a dead letter").isEmpty();
  }

  @Test
  void theFeatureLogIsTheSameWithAndWithoutPoison() {
    assertThat(clean.log()).hasSizeGreaterThan(1000);
    assertThat(clean.logRecords()).isEqualTo(clean.log().size());
    assertThat(poisoned.logRecords()).isEqualTo(clean.logRecords());
    assertThat(poisoned.log()).isEqualTo(clean.log());
    assertThat(poisoned.deadLetters()).hasSize(corpus.size());

    ReliabilityLog.row("Poison input (feature pipeline: raw events)",
        "the committed corpus (" + corpus.size() + " bad records, among them escape-heavy ones just under and just over the"
            + " decoder's 1 MiB limit) interleaved with card transactions; dead-letter topic with the broker's default limits;"
            + " restarts off",
        "one dead letter per bad record naming its field, each fitting the topic; the feature log equals a clean run; no restart",
        String.format("records in %d (%d bad); dead letters %d (clean run 0), largest %d bytes; feature-log records %d = clean;"
            + " restarts 0", poisoned.records(), poisoned.sent().size(), poisoned.deadLetters().size(),
            poisoned.largestDeadLetterBytes(), poisoned.logRecords()),
        "FeaturePipelinePoisonTest");
  }
}
