package dev.driftline.jobs.featurepipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.features.FeatureRecord;
import dev.driftline.core.features.FeatureView;
import dev.driftline.core.features.FeatureViewParser;
import dev.driftline.core.io.Json;
import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.runtime.flink.NamedSink;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSources;
import dev.driftline.services.CollectingSink.Output;
import dev.driftline.services.CollectingSink;
import dev.driftline.services.FlinkTestCluster;
import dev.driftline.services.KafkaExtension;
import dev.driftline.services.RestoresCommittedSavepoints;
import dev.driftline.services.SavepointFixture.Line;
import dev.driftline.services.SavepointFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Upgrades keep the feature pipeline's state: every committed savepoint fixture of an earlier
 * version (src/test/resources/savepoints/feature-pipeline/VERSION, taken with rings and pending
 * events of every card partly filled) restores with the current code, reads the rest of its input
 * and emits exactly the records an uninterrupted run emits after that point, by entity, as_of and
 * feature values. The fixture is the production pipeline ({@link FeaturePipelineJob}, its Kafka
 * source, RocksDB) with collecting sinks in place of Kafka and Elasticsearch, so it covers the
 * source's and the aggregator's state, not the sinks' transactions.
 *
 * <p>Record a new fixture (see docs/upgrade.md): {@code -Ddriftline.fixtures.record=true
 * -Ddriftline.fixtures.version=X.Y.Z} on this test.
 */
@ExtendWith(KafkaExtension.class)
class FeaturePipelineSavepointCompatibilityTest {
  @org.junit.jupiter.api.extension.RegisterExtension
  static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

  static final String JOB = "feature-pipeline";
  static final long START = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
  static final int CARDS = 24;
  static final int PARTITIONS = 3;
  static final long JITTER_MS = 20_000; // below max_out_of_orderness: no event is late in any run

  @RestoresCommittedSavepoints(JOB)
  void restoredSavepointFinishesWithTheOutputsOfAnUninterruptedRun(Path fixture) throws Exception {
    FeatureView view = FeatureViewParser.parse("view.yaml", Files.readString(fixture.resolve("view.yaml")));
    SavepointFixture.verify(fixture, KafkaExtension.broker(), deployment(view));
  }

  @Test
  @EnabledIfSystemProperty(named = SavepointFixture.RECORD_PROPERTY, matches = "true")
  void recordFixture() throws Exception {
    Path dir = SavepointFixture.toRecord(JOB);
    // The example view, with a long idle timeout: on a loaded machine a partition idle for a minute
    // would let the watermark pass the events of a stalled one, and the runs would differ by chance.
    String yaml = Files.readString(Path.of("../../examples/feature-views/card-transactions.yaml"))
        .replace("idle_timeout: 1m ", "idle_timeout: 1h ");
    FeatureView view = FeatureViewParser.parse("view.yaml", yaml);
    List<Line> input = generate(new Random(24));
    SavepointFixture.record(dir, KafkaExtension.broker(), PARTITIONS, input, input.size() * 3 / 5, deployment(view));
    Files.writeString(dir.resolve("view.yaml"), yaml);
  }

  /** The pipeline as production builds it, reading the run's topic, with collecting sinks. */
  static SavepointFixture.Deployment deployment(FeatureView view) {
    return (conf, run) -> {
      Configuration c = new Configuration(conf);
      c.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
      // A checkpoint a subtask declines because its input ended ("task is closing") is no failure
      // of the job; restarts are off, so without this it would end the run.
      c.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, Integer.MAX_VALUE);
      c.set(PipelineOptions.GENERIC_TYPES, false);
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
      env.enableCheckpointing(500);
      KafkaConfig kafka = KafkaConfig.of(KafkaExtension.broker().bootstrapServers());
      CollectingSink<FeatureRecord> features = CollectingSink.of(run.name(), FeaturePipelineSavepointCompatibilityTest::describe);
      CollectingSink<DeadLetter> deadLetters = CollectingSink.of(run.name() + "-dead-letters",
          d -> new Output(d.topic() + "/" + d.partition() + "/" + d.offset(), d.reason()));
      new FeaturePipelineJob(List.of(view), v -> KafkaSources.rawUntil(kafka, List.of(run.topic()), run.name(), run.stoppingOffsets()),
          new FeaturePipelineJob.Outputs(v -> List.of(NamedSink.of("collected", features)), deadLetters)).build(env);
      return env.executeAsync("feature pipeline " + run.name());
    };
  }

  /** A record's id is its entity and as_of; its value the view and every feature (computed_at is wall clock). */
  static Output describe(FeatureRecord r) {
    return new Output(r.entity() + "@" + Instant.ofEpochMilli(r.asOf()), r.view() + " " + new TreeMap<>(r.features()));
  }

  /** Card transactions over four days in bursts and quiet spells, in arrival order (up to {@link #JITTER_MS} late). */
  static List<Line> generate(Random random) {
    record Txn(int card, long ts, long arrival, String json) {}
    List<Txn> txns = new ArrayList<>();
    for (int c = 0; c < CARDS; c++) {
      String card = String.format("card-%03d", c);
      long ts = START + (long) (random.nextDouble() * 6 * 3_600_000);
      int home = random.nextInt(400);
      for (int i = 0, n = 15 + random.nextInt(25); i < n; i++) {
        double u = random.nextDouble();
        ts += u < 0.03 ? 0 : u < 0.4 ? (long) (random.nextDouble() * 300_000) : (long) (-Math.log(random.nextDouble()) * 7_200_000);
        double amount = Math.round(Math.exp(3 + random.nextGaussian()) * 100) / 100.0;
        ObjectNode json = Json.mapper().createObjectNode()
            .put("card_id", card).put("ts", ts).put("amount", amount).put("merchant_id", "m" + (home + random.nextInt(35)));
        txns.add(new Txn(c, ts, ts + (long) (random.nextDouble() * JITTER_MS), json.toString()));
      }
    }
    txns.sort(Comparator.comparingLong(Txn::arrival));
    return txns.stream().map(t -> new Line(t.card() % PARTITIONS, String.format("card-%03d", t.card()), t.json())).toList();
  }
}
