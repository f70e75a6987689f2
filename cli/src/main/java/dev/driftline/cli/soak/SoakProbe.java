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
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
  private final GroupLag lag;
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
    this.lag = new GroupLag(kafka, group, inputs);
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
        c.completed(), latency < 0 ? null : latency, results.get(), lag.records(), produced);
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
    lag.close();
  }
}
