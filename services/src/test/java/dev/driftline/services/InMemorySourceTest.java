package dev.driftline.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.services.CollectingSink.Output;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The in-memory source reads as a Kafka source does: each partition once, in order, by one subtask;
 * a bounded one ends, an unbounded one pauses between batches and then waits until cancelled.
 */
class InMemorySourceTest {
  @RegisterExtension static final MiniClusterExtension FLINK = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  /** Records "p:i" of partitions p = 0..partitions-1, i = 0..perPartition-1. */
  static List<List<String>> partitions(int partitions, int perPartition) {
    List<List<String>> out = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      List<String> records = new ArrayList<>();
      for (int i = 0; i < perPartition; i++) {
        records.add(p + ":" + i);
      }
      out.add(records);
    }
    return out;
  }

  static StreamExecutionEnvironment env(int parallelism) {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(parallelism);
    env.enableCheckpointing(100);
    return env;
  }

  /** What each partition's records were collected as, in the order they came. */
  static Map<String, List<String>> byPartition(List<Output> outputs) {
    Map<String, List<String>> out = new TreeMap<>();
    for (Output o : outputs) {
      out.computeIfAbsent(o.value().substring(0, o.value().indexOf(':')), k -> new ArrayList<>()).add(o.value());
    }
    return out;
  }

  @Test
  void aBoundedSourceReadsEveryPartitionOnceInOrderAndEnds() throws Exception {
    StreamExecutionEnvironment env = env(2);
    env.fromSource(InMemorySource.bounded("bounded", String.class, partitions(3, 500)), WatermarkStrategy.noWatermarks(), "in memory")
        .sinkTo(CollectingSink.<String>of("bounded", r -> new Output(r, r)));
    env.execute("in-memory source, bounded");

    Map<String, List<String>> read = byPartition(CollectingSink.outputs("bounded"));
    assertThat(read).isEqualTo(byPartition(partitions(3, 500).stream().flatMap(List::stream).map(r -> new Output(r, r)).toList()));
  }

  @Test
  void anUnboundedSourcePausesBetweenBatchesAndWaitsForMoreAtTheEnd() throws Exception {
    List<List<String>> batches = List.of(List.of("0:0", "0:1"), List.of("0:2"), List.of("0:3", "0:4"));
    StreamExecutionEnvironment env = env(1);
    env.fromSource(InMemorySource.of("unbounded", String.class, Boundedness.CONTINUOUS_UNBOUNDED, List.of(batches),
            Duration.ofMillis(400)), WatermarkStrategy.noWatermarks(), "in memory")
        .map(r -> r + "@" + System.currentTimeMillis()).returns(Types.STRING)
        .sinkTo(CollectingSink.<String>of("unbounded", r -> new Output(r.substring(0, r.indexOf('@')), r)));
    JobClient job = env.executeAsync("in-memory source, unbounded");
    try {
      Waits.until("five records", Duration.ofMinutes(1), () -> CollectingSink.outputs("unbounded").size() == 5,
          () -> CollectingSink.outputs("unbounded").size() + " so far");
      Thread.sleep(500);
      assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    } finally {
      job.cancel().get(1, TimeUnit.MINUTES);
    }
    List<Output> read = CollectingSink.outputs("unbounded");
    assertThat(read).extracting(Output::id).containsExactly("0:0", "0:1", "0:2", "0:3", "0:4");
    long[] at = read.stream().mapToLong(o -> Long.parseLong(o.value().substring(o.value().indexOf('@') + 1))).toArray();
    assertThat(at[2] - at[1]).as("pause after the first batch").isGreaterThanOrEqualTo(400);
    assertThat(at[3] - at[2]).as("pause after the second batch").isGreaterThanOrEqualTo(400);
    assertThat(at[1] - at[0]).as("no pause within a batch").isLessThan(400);
  }
}
