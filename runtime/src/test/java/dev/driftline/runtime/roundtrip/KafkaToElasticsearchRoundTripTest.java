package dev.driftline.runtime.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.Decoded;
import dev.driftline.core.io.Json;
import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.runtime.deadletter.DeadLetterJson;
import dev.driftline.runtime.deadletter.DeadLetters;
import dev.driftline.runtime.deadletter.KafkaDeadLetterSink;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.elasticsearch.ElasticsearchSink;
import dev.driftline.runtime.elasticsearch.EsOperation;
import dev.driftline.runtime.kafka.DecodeFunction;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSources;
import dev.driftline.services.ElasticsearchExtension;
import dev.driftline.services.FlinkTestCluster;
import dev.driftline.services.KafkaBroker;
import dev.driftline.services.KafkaExtension;
import dev.driftline.services.TopicReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Kafka → Flink (MiniCluster, RocksDB, checkpoints) → Elasticsearch, on the real services. */
@ExtendWith({KafkaExtension.class, ElasticsearchExtension.class})
class KafkaToElasticsearchRoundTripTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

  private static final int RECORDS = 2_000;
  static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();
  static final AtomicInteger CHECKPOINTS = new AtomicInteger();

  public record Reading(String id, double value) {}

  static Decoded<Reading> decode(byte[] bytes) {
    try {
      JsonNode n = Json.mapper().readTree(bytes);
      if (n != null && n.path("id").isTextual() && n.path("value").isNumber()) {
        return Decoded.ok(new Reading(n.get("id").asText(), n.get("value").asDouble()));
      }
      return Decoded.error("expected {id, value}");
    } catch (Exception e) {
      return Decoded.error("invalid JSON");
    }
  }

  /** Fails the job once, after a checkpoint has completed and part of the input went through. */
  static final class FailOnceAfterCheckpoint extends RichMapFunction<Reading, Reading> implements CheckpointListener {
    private int seen;

    @Override
    public Reading map(Reading r) {
      seen++;
      if (seen > 300 && CHECKPOINTS.get() > 0 && FAILED_ONCE.compareAndSet(false, true)) {
        throw new IllegalStateException("injected failure: the job must restore from its checkpoint");
      }
      return r;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      CHECKPOINTS.incrementAndGet();
    }
  }

  @Test
  void everyRecordReachesTheIndexExactlyOnceAcrossARestoreAndRejectsBecomeDeadLetters() throws Exception {
    KafkaBroker broker = KafkaExtension.broker();
    broker.createTopics(2, "rt-input", "rt-dead-letters");
    ElasticsearchClient es = ElasticsearchConfig.of(ElasticsearchExtension.url()).newClient();
    es.indices().create(c -> c.index("rt-readings").withJson(new StringReader(
        "{\"mappings\":{\"dynamic\":\"strict\",\"properties\":{\"id\":{\"type\":\"keyword\"},\"value\":{\"type\":\"double\"}}}}")));

    try (KafkaProducer<String, String> producer = broker.stringProducer()) {
      for (int i = 0; i < RECORDS; i++) {
        producer.send(new ProducerRecord<>("rt-input", "r-" + i, "{\"id\":\"r-" + i + "\",\"value\":" + (i * 0.25) + "}"));
      }
    }

    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.enableCheckpointing(200);
    KafkaConfig kafka = KafkaConfig.of(broker.bootstrapServers());
    SingleOutputStreamOperator<Reading> readings = env
        .fromSource(KafkaSources.rawBounded(kafka, List.of("rt-input"), "rt-test"), WatermarkStrategy.noWatermarks(), "input")
        .process(new DecodeFunction<>("decode:readings", KafkaToElasticsearchRoundTripTest::decode))
        .returns(Reading.class);
    readings.map(new FailOnceAfterCheckpoint()).returns(Reading.class)
        .sinkTo(ElasticsearchSink.<Reading>builder()
            .setConfig(ElasticsearchConfig.of(ElasticsearchExtension.url()))
            .setConverter(KafkaToElasticsearchRoundTripTest::toDocument)
            .setMaxBatchSize(100)
            .setDeadLetterSink(new KafkaDeadLetterSink(kafka, "rt-dead-letters"))
            .build());
    readings.getSideOutput(DeadLetters.TAG).sinkTo(DeadLetters.kafkaSink(kafka, "rt-dead-letters"));
    env.execute("kafka to elasticsearch round trip");

    assertThat(FAILED_ONCE).as("the job failed once and restored").isTrue();
    es.indices().refresh(r -> r.index("rt-readings"));
    Map<String, Double> indexed = new HashMap<>();
    var response = es.search(s -> s.index("rt-readings").size(10_000), ObjectNode.class);
    for (Hit<ObjectNode> hit : response.hits().hits()) {
      assertThat(hit.id()).isEqualTo(hit.source().get("id").asText());
      indexed.put(hit.id(), hit.source().get("value").asDouble());
    }
    assertThat(es.count(c -> c.index("rt-readings")).count()).isEqualTo(RECORDS - 1);
    for (int i = 0; i < RECORDS; i++) {
      if (i != 13) {
        assertThat(indexed.get("r-" + i)).as("r-" + i).isEqualTo(i * 0.25);
      }
    }
    assertThat(indexed).doesNotContainKey("r-13");

    List<DeadLetter> dead = TopicReader.readAll(broker.bootstrapServers(), "rt-dead-letters", 1).stream()
        .map(r -> DeadLetterJson.fromJson(r.value())).toList();
    assertThat(dead).isNotEmpty();
    assertThat(dead).allSatisfy(d -> {
      assertThat(d.stage()).isEqualTo("elasticsearch:rt-readings");
      assertThat(d.reason()).contains("strict_dynamic_mapping_exception");
      assertThat(new String(d.value(), StandardCharsets.UTF_8)).contains("\"extra\"").contains("\"r-13\"");
    });
    es.close();
  }

  /** r-13 carries a field the strict mapping refuses. */
  static EsOperation toDocument(Reading r) {
    ObjectNode doc = Json.mapper().createObjectNode().put("id", r.id()).put("value", r.value());
    if (r.id().equals("r-13")) {
      doc.put("extra", "not in the mapping");
    }
    return EsOperation.index("rt-readings", r.id(), Json.bytes(doc));
  }
}
