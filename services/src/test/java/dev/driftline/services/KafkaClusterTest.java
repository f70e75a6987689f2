package dev.driftline.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KafkaClusterTest {
  static KafkaCluster cluster;

  @BeforeAll
  static void start() {
    // A killed leader is fenced after 4 s instead of 9: what is checked is that it is replaced, not how soon.
    cluster = KafkaCluster.start(Duration.ofSeconds(4));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void topicsAndTheTransactionLogHaveThreeReplicasAndNeedTwoInSync() throws Exception {
    cluster.createTopics(2, "rf-default");
    // A transaction, so that the transaction log exists; its record auto-creates a second topic.
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "rf-test");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("rf-auto-created", "k", "v"));
      producer.commitTransaction();
    }

    try (Admin admin = cluster.admin()) {
      Map<String, TopicDescription> topics = admin.describeTopics(List.of("rf-default", "rf-auto-created", "__transaction_state"))
          .allTopicNames().get(30, TimeUnit.SECONDS);
      assertThat(topics.get("rf-default").partitions()).hasSize(2);
      topics.forEach((name, d) -> assertThat(d.partitions()).as(name).allSatisfy(partition -> {
        assertThat(partition.replicas()).as(name + " replicas").hasSize(3);
        assertThat(partition.isr()).as(name + " in sync").hasSize(3);
      }));
      for (String name : List.of("rf-default", "rf-auto-created", "__transaction_state")) {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, name);
        assertThat(admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r).get("min.insync.replicas").value())
            .as(name + " min.insync.replicas").isEqualTo("2");
      }
    }
  }

  @Test
  void aKilledLeaderIsReplacedWritesGoOnAndTheRestartedNodeCatchesUp() {
    cluster.createTopicsLedBy(2, 1, "led-by-2");
    assertThat(cluster.leaderOf("led-by-2", 0)).isEqualTo(2);
    send("led-by-2", 0, 100);

    long kill = System.nanoTime();
    cluster.kill9(2);
    assertThat(cluster.isAlive(2)).isFalse();
    Waits.until("a new leader of led-by-2/0", Duration.ofSeconds(60),
        () -> cluster.leaderOf("led-by-2", 0) > 0 && cluster.leaderOf("led-by-2", 0) != 2, () -> "logs in " + cluster.workDir());
    System.out.printf("new leader %d of led-by-2/0 %.1f s after the kill%n", cluster.leaderOf("led-by-2", 0),
        FaultNumbers.seconds(kill, System.nanoTime()));
    // Two of three in sync: acks=all writes are taken.
    send("led-by-2", 100, 100);
    assertThat(cluster.inSyncReplicas("led-by-2", 0)).hasSize(2).doesNotContain(2);

    cluster.restart(2);
    Waits.until("node 2 in sync again", Duration.ofSeconds(60), () -> cluster.inSyncReplicas("led-by-2", 0).contains(2),
        () -> "in sync: " + cluster.inSyncReplicas("led-by-2", 0));
    List<String> values = TopicReader.readAllUnchecked(cluster.bootstrapServers(), "led-by-2", 200).stream()
        .map(r -> new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)).toList();
    assertThat(values).hasSize(200).doesNotHaveDuplicates();
    assertThat(values).first().isEqualTo("v0");
    assertThat(values).last().isEqualTo("v199");
  }

  /** Sends {@code v<from>} to {@code v<from+n-1>} and waits for every acknowledgement. */
  private static void send(String topic, int from, int n) {
    try (KafkaProducer<String, String> producer = cluster.stringProducer()) {
      List<java.util.concurrent.Future<?>> acks = new java.util.ArrayList<>();
      for (int i = from; i < from + n; i++) {
        acks.add(producer.send(new ProducerRecord<>(topic, "k", "v" + i)));
      }
      for (var ack : acks) {
        ack.get(3, TimeUnit.MINUTES);
      }
    } catch (Exception e) {
      throw new AssertionError("sending to " + topic + ": " + e, e);
    }
  }

  @Test
  void aNodeOutsideTheClusterIsRefusedByName() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> cluster.kill9(4))
        .hasMessage("Kafka node 4: expected one of [1, 2, 3]");
  }
}
