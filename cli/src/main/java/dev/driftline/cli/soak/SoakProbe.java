package dev.driftline.cli.soak;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.connectors.kafka.KafkaConfig;
import dev.driftline.core.io.Json;
import dev.driftline.testing.FlinkStandaloneCluster;
import dev.driftline.testing.PrometheusMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Measures a running drift-detection job on a standalone cluster. Heap: {@code jcmd <pid> GC.run}
 * on the TaskManager (a full collection: the cluster runs the serial collector), then the
 * TaskManager's {@code Status.JVM.Memory.Heap.Used} from its Prometheus reporter, which reads the
 * JVM when scraped. State and checkpoints: the REST checkpoint statistics. Lag: the end offsets of
 * the input topics minus the offsets the job's consumer group committed (Flink's Kafka source
 * commits them when a checkpoint completes). Latency: a read-committed consumer of the drift results,
 * on a thread of its own, notes when each result becomes visible.
 */
final class SoakProbe implements AutoCloseable {
  static final String HEAP_USED = "flink_taskmanager_Status_JVM_Memory_Heap_Used";

  private final FlinkStandaloneCluster cluster;
  private final String jobId;
  private final KafkaConfig kafka;
  private final String group;
  private final List<String> inputs;
  private final Admin admin;
  private final Thread reader;
  private final AtomicLong results = new AtomicLong();
  private final AtomicLong maxLatency = new AtomicLong(-1);
  private final AtomicReference<String> failure = new AtomicReference<>();
  private volatile boolean stop;

  SoakProbe(FlinkStandaloneCluster cluster, String jobId, KafkaConfig kafka, String group, List<String> inputs,
      String resultsTopic) {
    this.cluster = cluster;
    this.jobId = jobId;
    this.kafka = kafka;
    this.group = group;
    this.inputs = List.copyOf(inputs);
    this.admin = Admin.create(kafka.clientProperties());
    this.reader = new Thread(() -> readResults(resultsTopic), "soak-results");
    reader.setDaemon(true);
    reader.start();
  }

  /** One sample, {@code minute} minutes into the traffic, of which {@code produced} predictions were written. */
  SoakSample sample(double minute, long produced) throws IOException, InterruptedException {
    if (failure.get() != null) {
      throw new IllegalStateException(failure.get());
    }
    long heap = heapAfterGc();
    FlinkStandaloneCluster.CheckpointStats c = cluster.checkpointStats(jobId);
    long latency = maxLatency.getAndSet(-1);
    return new SoakSample(minute, heap, known(c.stateBytes()), known(c.checkpointedBytes()), known(c.durationMillis()),
        c.completed(), latency < 0 ? null : latency, results.get(), lag(), produced);
  }

  private static Long known(long v) {
    return v < 0 ? null : v;
  }

  private long heapAfterGc() throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    long pid = cluster.taskManagerPid();
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(jcmd + " " + pid + " GC.run: expected exit code 0, got "
          + (p.isAlive() ? "no answer in 60 s" : p.exitValue()) + ": " + out.strip());
    }
    List<PrometheusMetrics.Sample> metrics = PrometheusMetrics.scrape(cluster.taskManagerMetricsUrl());
    if (metrics.stream().noneMatch(s -> s.name().equals(HEAP_USED))) {
      throw new IllegalStateException(cluster.taskManagerMetricsUrl() + ": expected the metric " + HEAP_USED + ", found none");
    }
    return Math.round(PrometheusMetrics.sum(metrics, HEAP_USED, s -> true));
  }

  private long lag() {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> ends = new java.util.HashMap<>();
      admin.describeTopics(inputs).allTopicNames().get(30, TimeUnit.SECONDS).forEach((topic, d) ->
          d.partitions().forEach(pi -> ends.put(new TopicPartition(topic, pi.partition()), OffsetSpec.latest())));
      long lag = 0;
      for (var e : admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS).entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        lag += e.getValue().offset() - (c == null ? 0 : c.offset());
      }
      return lag;
    } catch (Exception e) {
      throw new IllegalStateException("lag of consumer group " + group + " on " + inputs + ": " + e, e);
    }
  }

  private void readResults(String topic) {
    Properties p = kafka.clientProperties();
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(topic).forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (!stop) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          long seen = System.currentTimeMillis();
          JsonNode n = Json.mapper().readTree(r.value());
          long windowEnd = Instant.parse(n.path("window_end").asText()).toEpochMilli();
          maxLatency.accumulateAndGet(seen - windowEnd, Math::max);
          results.incrementAndGet();
        }
      }
    } catch (Exception e) {
      failure.compareAndSet(null, "reading " + topic + ": " + e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    reader.join(10_000);
    admin.close();
  }
}
