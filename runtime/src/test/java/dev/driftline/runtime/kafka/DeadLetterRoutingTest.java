package dev.driftline.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import dev.driftline.services.TopicReader;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.io.Decoded;
import dev.driftline.core.io.Json;
import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.runtime.deadletter.DeadLetterJson;
import dev.driftline.runtime.deadletter.DeadLetters;
import dev.driftline.services.FlinkTestCluster;
import dev.driftline.services.KafkaBroker;
import dev.driftline.services.KafkaExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(KafkaExtension.class)
class DeadLetterRoutingTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

  /** A tiny event type: {"id": string, "value": finite number}. */
  public record Reading(String id, double value) {}

  static Decoded<Reading> decode(byte[] bytes) {
    JsonNode n;
    try {
      n = Json.mapper().readTree(bytes);
    } catch (Exception e) {
      return Decoded.error("invalid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (n == null || !n.isObject()) {
      return Decoded.error("expected a JSON object");
    }
    if (!n.path("id").isTextual()) {
      return Decoded.error("id: expected a string");
    }
    if (!n.path("value").isNumber()) {
      return Decoded.error("value: expected a number, got " + n.path("value"));
    }
    return Decoded.ok(new Reading(n.get("id").asText(), n.get("value").asDouble()));
  }

  @Test
  void poisonRecordsLandOnDeadLettersWithReasonAndOffsetsAndTheRestArrives() throws Exception {
    KafkaBroker broker = KafkaExtension.broker();
    broker.createTopics(2, "dl-input", "dl-output", "dl-dead-letters");
    Map<String, byte[]> poison = new TreeMap<>();
    poison.put("p-invalid-json", "{not json".getBytes(StandardCharsets.UTF_8));
    poison.put("p-truncated", "{\"id\":\"r-x\",\"val".getBytes(StandardCharsets.UTF_8));
    poison.put("p-wrong-type", "{\"id\":\"r-y\",\"value\":\"abc\"}".getBytes(StandardCharsets.UTF_8));
    poison.put("p-not-utf8", new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x41});
    poison.put("p-array", "[1,2,3]".getBytes(StandardCharsets.UTF_8));
    poison.put("p-tombstone", null);

    Map<String, RecordMetadata> poisonAt = new HashMap<>();
    List<String> validIds = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = broker.bytesProducer(1 << 20)) {
      var poisonKeys = new ArrayList<>(poison.keySet());
      for (int i = 0; i < 300; i++) {
        if (i % 50 == 25) {
          String key = poisonKeys.remove(0);
          poisonAt.put(key, producer.send(new ProducerRecord<>("dl-input", key.getBytes(StandardCharsets.UTF_8), poison.get(key))).get());
        }
        String id = "r-" + i;
        validIds.add(id);
        producer.send(new ProducerRecord<>("dl-input", id.getBytes(StandardCharsets.UTF_8),
            ("{\"id\":\"" + id + "\",\"value\":" + i * 0.5 + "}").getBytes(StandardCharsets.UTF_8)));
      }
    }
    assertThat(poisonAt).hasSize(6);

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.enableCheckpointing(500);
    KafkaConfig kafka = KafkaConfig.of(broker.bootstrapServers());
    SingleOutputStreamOperator<Reading> readings = env
        .fromSource(KafkaSources.rawBounded(kafka, List.of("dl-input"), "dl-test"), WatermarkStrategy.noWatermarks(), "input")
        .process(new DecodeFunction<>("decode:readings", DeadLetterRoutingTest::decode))
        .returns(Reading.class);
    readings.sinkTo(KafkaSinks.json(kafka, "dl-output", null, Reading::id,
        Json::bytes, DeliveryGuarantee.AT_LEAST_ONCE, null));
    readings.getSideOutput(DeadLetters.TAG).sinkTo(DeadLetters.kafkaSink(kafka, "dl-dead-letters"));
    env.execute("dead-letter routing");

    List<ConsumerRecord<byte[], byte[]>> out = TopicReader.readAll(broker.bootstrapServers(), "dl-output", 300);
    List<String> outIds = out.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).sorted().toList();
    assertThat(outIds).containsExactlyInAnyOrderElementsOf(validIds);
    JsonNode r7 = Json.mapper().readTree(out.stream().filter(r -> new String(r.key()).equals("r-7")).findFirst().orElseThrow().value());
    assertThat(r7.get("value").asDouble()).isEqualTo(3.5);

    List<DeadLetter> dead = TopicReader.readAll(broker.bootstrapServers(), "dl-dead-letters", 6).stream()
        .map(r -> DeadLetterJson.fromJson(r.value())).toList();
    assertThat(dead).hasSize(6);
    assertThat(out.size() + dead.size()).as("count in = count out").isEqualTo(306);
    Map<String, DeadLetter> byKey = new HashMap<>();
    dead.forEach(d -> byKey.put(new String(d.key(), StandardCharsets.UTF_8), d));
    for (var e : poisonAt.entrySet()) {
      DeadLetter d = byKey.get(e.getKey());
      assertThat(d).as(e.getKey()).isNotNull();
      assertThat(d.topic()).isEqualTo("dl-input");
      assertThat(d.partition()).isEqualTo(e.getValue().partition());
      assertThat(d.offset()).isEqualTo(e.getValue().offset());
      assertThat(d.stage()).isEqualTo("decode:readings");
      assertThat(d.value()).isEqualTo(poison.get(e.getKey()));
    }
    assertThat(byKey.get("p-wrong-type").reason()).isEqualTo("value: expected a number, got \"abc\"");
    assertThat(byKey.get("p-array").reason()).isEqualTo("expected a JSON object");
    assertThat(byKey.get("p-tombstone").reason()).isEqualTo("empty record (no value)");
    assertThat(byKey.get("p-invalid-json").reason()).startsWith("invalid JSON: ");
    assertThat(byKey.get("p-truncated").reason()).startsWith("invalid JSON: ");
    assertThat(byKey.get("p-not-utf8").reason()).startsWith("invalid JSON: ");
  }
}
