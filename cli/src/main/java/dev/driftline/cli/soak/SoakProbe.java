package dev.driftline.cli.soak;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.io.Json;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.services.CommittedRecords;
import dev.driftline.services.FlinkStandaloneCluster;
import dev.driftline.services.PrometheusMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Measures a running drift-detection job on a standalone cluster. Heap: {@code jcmd <pid> GC.run}
 * on the TaskManager (a full collection: the cluster runs the serial collector), then the
 * TaskManager's {@code Status.JVM.Memory.Heap.Used} from its Prometheus reporter, which reads the
 * JVM when scraped. State and checkpoints: the REST checkpoint statistics. Lag: the end offsets of
 * the input topics minus the offsets the job's consumer group committed (Flink's Kafka source
 * commits them when a checkpoint completes). Latency: a read-committed consumer of the drift results,
 * on a thread of its own, notes when each result becomes visible; what it read is {@link #results()}.
 */
final class SoakProbe implements AutoCloseable {
  static final String HEAP_USED = "flink_taskmanager_Status_JVM_Memory_Heap_Used";

  private final FlinkStandaloneCluster cluster;
  private final String jobId;
  private final GroupLag lag;
  private final CommittedRecords results;
  /** Results whose latency the samples so far took. */
  private int measured;

  SoakProbe(FlinkStandaloneCluster cluster, String jobId, KafkaConfig kafka, String group, List<String> inputs,
      String resultsTopic) {
    this.cluster = cluster;
    this.jobId = jobId;
    this.lag = new GroupLag(kafka, group, inputs);
    this.results = CommittedRecords.follow(kafka.bootstrapServers(), resultsTopic);
  }

  /** One sample, {@code minute} minutes into the traffic, of which {@code produced} predictions were written. */
  SoakSample sample(double minute, long produced) throws IOException, InterruptedException {
    long heap = heapAfterGc();
    FlinkStandaloneCluster.CheckpointStats c = cluster.checkpointStats(jobId);
    Long latency = latency();
    return new SoakSample(minute, heap, known(c.stateBytes()), known(c.checkpointedBytes()), known(c.durationMillis()),
        c.completed(), latency, measured, lag.records(), produced);
  }

  /** The drift results read committed so far, from the topic's beginning. */
  CommittedRecords results() {
    return results;
  }

  /** Records of the inputs not yet committed by the job's consumer group. */
  long lag() {
    return lag.records();
  }

  /**
   * The longest time, over the results read since the last sample, from the end of a result's window
   * (event time, which is wall-clock time here) to its arrival; null when none arrived.
   */
  private Long latency() throws IOException {
    List<CommittedRecords.Arrival> arrivals = results.arrivals();
    long nowMillis = System.currentTimeMillis();
    long nowNanos = System.nanoTime();
    long max = -1;
    for (CommittedRecords.Arrival a : arrivals.subList(measured, arrivals.size())) {
      JsonNode n = Json.mapper().readTree(a.record().value());
      long seen = nowMillis - (nowNanos - a.nanoTime()) / 1_000_000;
      max = Math.max(max, seen - Instant.parse(n.path("window_end").asText()).toEpochMilli());
    }
    measured = arrivals.size();
    return max < 0 ? null : max;
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

  @Override
  public void close() {
    results.close();
    lag.close();
  }
}
