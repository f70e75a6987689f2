package dev.driftline.jobs.retraintrigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.connectors.deadletter.DeadLetters;
import dev.driftline.connectors.flink.NamedSink;
import dev.driftline.connectors.kafka.KafkaConfig;
import dev.driftline.connectors.kafka.KafkaSinks;
import dev.driftline.connectors.kafka.KafkaSources;
import dev.driftline.connectors.kafka.RawRecord;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Json;
import dev.driftline.core.schema.RecordSchema;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.trigger.Alert;
import dev.driftline.core.trigger.PolicyEngine;
import dev.driftline.core.trigger.PolicyState;
import dev.driftline.core.trigger.RetrainTrigger;
import dev.driftline.core.trigger.WindowDriftSummary;
import dev.driftline.core.window.DriftResult;
import dev.driftline.core.window.PerformanceResult;
import dev.driftline.jobs.retraintrigger.operators.PolicyFunction;
import dev.driftline.testing.FlinkTestCluster;
import dev.driftline.testing.KafkaBroker;
import dev.driftline.testing.KafkaExtension;
import dev.driftline.testing.TopicReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Same results, same decisions, however a parallel drift job interleaves a model's segments: the
 * drift job writes one model's segments from several subtasks into one partition, so one segment's
 * window W+1 can come before another segment's W. The trigger job reads the same drift results and
 * performance updates of three segments twice: once with every segment in step (all written up
 * front; parallelism 2, checkpoints every 200 ms), once with segment {@code x} one window ahead of
 * the others in both topics and the drift results written while the job runs, pausing after
 * {@code x}'s next window so the watermark moves on before the other segments' window comes
 * (parallelism 1, checkpoints every 5 s). Both runs must write exactly the alerts and triggers of
 * the policy applied per segment in event-time order, apart from {@code created_at}. A fourth
 * segment, {@code z}, has drift results only (no performance updates), so its own results never
 * settle its order and it waits for the watermark. A third run reads the second interleaving with
 * unbounded sources (parallelism 1, checkpoints every 500 ms), where the watermark trails the
 * newest result by one slide, and must write the same decisions once a result far ahead moves the
 * watermark past all of them.
 */
@ExtendWith(KafkaExtension.class)
class InterleavedSegmentsSameDecisionsTest {
  @RegisterExtension static final MiniClusterExtension FLINK = FlinkTestCluster.extension();

  static final int WINDOWS = 48;
  static final Duration SLIDE = Duration.ofHours(1);
  /** The segment that runs one window ahead in the second interleaving. */
  static final String AHEAD = "x";
  static final List<String> SEGMENTS = List.of(DriftResult.ALL_SEGMENTS, AHEAD, "y");
  /** A segment with drift results only: the watermark alone settles when its windows are taken. */
  static final String DRIFT_ONLY = "z";
  static MonitorSpec spec;
  static final List<DriftResult> drift = new ArrayList<>();
  static final List<PerformanceResult> performance = new ArrayList<>();
  static final Map<String, List<String>> inStep = new HashMap<>();
  static final Map<String, List<String>> ahead = new HashMap<>();
  static final Map<String, List<String>> live = new HashMap<>();

  @BeforeAll
  static void runBothInterleavings() throws Exception {
    spec = MonitorSpecParser.parse("m.yaml", SameResultsSameDecisionsTest.YAML);
    for (int s = 0; s < SEGMENTS.size(); s++) {
      drift.addAll(ScriptedDrift.results(WINDOWS, SEGMENTS.get(s), 11 + s));
      performance.addAll(SameResultsSameDecisionsTest.updates(WINDOWS, SEGMENTS.get(s), 5 + s));
    }
    drift.addAll(ScriptedDrift.results(WINDOWS, DRIFT_ONLY, 21));
    KafkaBroker broker = KafkaExtension.broker();
    broker.createTopics(1, "seg-step-drift", "seg-step-performance", "seg-ahead-drift", "seg-ahead-performance",
        "seg-live-drift", "seg-live-performance");

    try (KafkaProducer<String, String> producer = broker.stringProducer()) {
      for (List<DriftResult> window : windowsInOrder(Duration.ZERO)) {
        window.forEach(r -> send(producer, "seg-step-drift", r));
      }
      performanceInOrder(Duration.ZERO).forEach(r -> send(producer, "seg-step-performance", r));
    }
    inStep.putAll(run("step", 2, 200, KafkaSources.rawBounded(config(), List.of("seg-step-drift"), "seg-step"),
        KafkaSources.rawBounded(config(), List.of("seg-step-performance"), "seg-step"), () -> {}));

    try (KafkaProducer<String, String> producer = broker.stringProducer()) {
      performanceInOrder(SLIDE).forEach(r -> send(producer, "seg-ahead-performance", r));
    }
    List<List<DriftResult>> windows = windowsInOrder(SLIDE);
    ahead.putAll(run("ahead", 1, 5_000,
        KafkaSources.rawUntil(config(), List.of("seg-ahead-drift"), "seg-ahead",
            Map.of(new TopicPartition("seg-ahead-drift", 0), (long) drift.size())),
        KafkaSources.rawUntil(config(), List.of("seg-ahead-performance"), "seg-ahead",
            Map.of(new TopicPartition("seg-ahead-performance", 0), (long) performance.size())),
        () -> produceWithPauses(windows, "seg-ahead-drift")));

    // Unbounded: the same interleaving, then one result of each input far ahead, which moves the
    // watermark past every result above (and is itself never taken).
    try (KafkaProducer<String, String> producer = broker.stringProducer()) {
      performanceInOrder(SLIDE).forEach(r -> send(producer, "seg-live-performance", r));
    }
    live.putAll(runUnbounded(() -> {
      produceWithPauses(windows, "seg-live-drift");
      try (KafkaProducer<String, String> producer = broker.stringProducer()) {
        List<DriftResult> far = ScriptedDrift.results(1000, AHEAD, 31);
        send(producer, "seg-live-drift", far.get(far.size() - 1));
        List<PerformanceResult> farUpdates = SameResultsSameDecisionsTest.updates(1000, AHEAD, 41);
        send(producer, "seg-live-performance", farUpdates.get(farUpdates.size() - 1));
      }
    }));
  }

  /** Writes {@code windows} to {@code topic}, pausing after the leading segment's window i+1 every third window. */
  static void produceWithPauses(List<List<DriftResult>> windows, String topic) {
    try (KafkaProducer<String, String> producer = KafkaExtension.broker().stringProducer()) {
      for (List<DriftResult> window : windows) {
        window.forEach(r -> send(producer, topic, r));
        int index = (int) (Instant.parse(window.get(0).windowStart()).getEpochSecond() - ScriptedDrift.T0.getEpochSecond())
            / (int) SLIDE.toSeconds();
        // After the leading segment's window i+1 (every third window): the job reads it, and
        // its watermark moves on, before the other segments' window i comes.
        if (window.get(0).segment().equals(AHEAD) && index % 3 == 1) {
          producer.flush();
          Thread.sleep(600);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static KafkaConfig config() {
    return KafkaConfig.of(KafkaExtension.broker().bootstrapServers());
  }

  static void send(KafkaProducer<String, String> producer, String topic, Object record) {
    String key = record instanceof DriftResult r ? r.modelId() : ((PerformanceResult) record).modelId();
    producer.send(new ProducerRecord<>(topic, 0, null, key, new String(Json.bytes(record))));
  }

  /** Each (segment, window)'s results together, by window end, {@link #AHEAD} shifted {@code lead} earlier. */
  static List<List<DriftResult>> windowsInOrder(Duration lead) {
    Map<String, List<DriftResult>> windows = new LinkedHashMap<>();
    for (DriftResult r : drift) {
      windows.computeIfAbsent(r.segment() + "|" + r.windowEnd(), k -> new ArrayList<>()).add(r);
    }
    List<List<DriftResult>> out = new ArrayList<>(windows.values());
    out.sort(Comparator.<List<DriftResult>>comparingLong(w -> sendAt(w.get(0).segment(), Instant.parse(w.get(0).windowEnd()).toEpochMilli(), lead))
        .thenComparing(w -> !w.get(0).segment().equals(AHEAD))
        .thenComparing(w -> w.get(0).segment()));
    return out;
  }

  /** The updates by point, {@link #AHEAD}'s shifted {@code lead} earlier. */
  static List<PerformanceResult> performanceInOrder(Duration lead) {
    List<PerformanceResult> out = new ArrayList<>(performance);
    out.sort(Comparator.<PerformanceResult>comparingLong(p -> sendAt(p.segment(), PolicyFunction.point(p), lead))
        .thenComparing(p -> !p.segment().equals(AHEAD))
        .thenComparing(PerformanceResult::segment).thenComparing(PerformanceResult::windowStart));
    return out;
  }

  static long sendAt(String segment, long time, Duration lead) {
    return segment.equals(AHEAD) ? time - lead.toMillis() : time;
  }

  static Map<String, List<String>> run(String name, int parallelism, long checkpointMillis, Source<RawRecord, ?, ?> driftSource,
      Source<RawRecord, ?, ?> performanceSource, Runnable whileRunning) throws Exception {
    KafkaBroker broker = KafkaExtension.broker();
    KafkaConfig kafka = config();
    String prefix = "seg-" + name;
    broker.createTopics(2, prefix + "-triggers", prefix + "-alerts", prefix + "-dead");
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(parallelism);
    env.enableCheckpointing(checkpointMillis);
    new RetrainTriggerJob(driftSource, performanceSource,
        new RetrainTriggerJob.Outputs(
            List.of(NamedSink.of("kafka", KafkaSinks.<RetrainTrigger>json(kafka, prefix + "-triggers", RecordSchema.RETRAIN_TRIGGER,
                t -> t.modelId(), t -> Json.bytes(t), DeliveryGuarantee.AT_LEAST_ONCE, null))),
            List.of(NamedSink.of("kafka", KafkaSinks.<Alert>json(kafka, prefix + "-alerts", RecordSchema.ALERT, a -> a.modelId(),
                a -> Json.bytes(a), DeliveryGuarantee.AT_LEAST_ONCE, null))),
            DeadLetters.kafkaSink(kafka, prefix + "-dead")),
        new ModelRegistry(List.of(spec)), Duration.ofMinutes(1)).build(env);
    JobClient job = env.executeAsync("interleaved segments, same decisions: run " + name);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (job.getJobStatus().get() != JobStatus.RUNNING && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    // The sources are reading before the input that is written while the job runs begins.
    Thread.sleep(3_000);
    whileRunning.run();
    job.getJobExecutionResult().get(3, TimeUnit.MINUTES);
    Map<String, List<String>> out = new HashMap<>();
    for (String output : List.of("triggers", "alerts", "dead")) {
      List<String> records = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(broker.bootstrapServers(), prefix + "-" + output, 1)) {
        records.add(SameResultsSameDecisionsTest.withoutCreatedAt(Json.mapper().readTree(r.value())));
      }
      records.sort(null);
      out.put(output, records);
    }
    return out;
  }

  /** The unbounded run: waits until the expected decisions are written (and a little longer, for extras), then cancels. */
  static Map<String, List<String>> runUnbounded(Runnable whileRunning) throws Exception {
    KafkaBroker broker = KafkaExtension.broker();
    KafkaConfig kafka = config();
    String prefix = "seg-live";
    broker.createTopics(2, prefix + "-triggers", prefix + "-alerts", prefix + "-dead");
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    // One subtask per input: a source subtask without a partition would hold the watermark back
    // until the idle timeout.
    env.setParallelism(1);
    env.enableCheckpointing(500);
    new RetrainTriggerJob(KafkaSources.raw(kafka, List.of(prefix + "-drift"), prefix),
        KafkaSources.raw(kafka, List.of(prefix + "-performance"), prefix),
        new RetrainTriggerJob.Outputs(
            List.of(NamedSink.of("kafka", KafkaSinks.<RetrainTrigger>json(kafka, prefix + "-triggers", RecordSchema.RETRAIN_TRIGGER,
                t -> t.modelId(), t -> Json.bytes(t), DeliveryGuarantee.AT_LEAST_ONCE, null))),
            List.of(NamedSink.of("kafka", KafkaSinks.<Alert>json(kafka, prefix + "-alerts", RecordSchema.ALERT, a -> a.modelId(),
                a -> Json.bytes(a), DeliveryGuarantee.AT_LEAST_ONCE, null))),
            DeadLetters.kafkaSink(kafka, prefix + "-dead")),
        new ModelRegistry(List.of(spec)), Duration.ofMinutes(1)).build(env);
    JobClient job = env.executeAsync("interleaved segments, same decisions: unbounded run");
    Map<String, List<String>> out = new HashMap<>();
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      while (job.getJobStatus().get() != JobStatus.RUNNING && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      Thread.sleep(3_000);
      whileRunning.run();
      PolicyEngine.Decision[] expected = decisions(false);
      Map<String, Integer> counts = Map.of("triggers", triggers(expected).size(), "alerts", alerts(expected).size(), "dead", 0);
      for (String output : List.of("triggers", "alerts", "dead")) {
        List<String> records = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(broker.bootstrapServers(), prefix + "-" + output, counts.get(output))) {
          records.add(SameResultsSameDecisionsTest.withoutCreatedAt(Json.mapper().readTree(r.value())));
        }
        records.sort(null);
        out.put(output, records);
      }
    } finally {
      job.cancel().get(1, TimeUnit.MINUTES);
    }
    return out;
  }

  /**
   * The policy applied per segment in event-time order: at each time the segment's drift window
   * ending then (its results by feature and test), then its performance updates due then by window
   * start; with {@code performanceFirst}, the updates go before the drift window of the same time.
   */
  static PolicyEngine.Decision[] decisions(boolean performanceFirst) {
    record Step(String segment, long time, int order, String window, Object input) {}
    Map<String, List<DriftResult>> windows = new TreeMap<>();
    for (DriftResult r : drift) {
      windows.computeIfAbsent(r.segment() + "|" + r.windowEnd(), k -> new ArrayList<>()).add(r);
    }
    List<Step> steps = new ArrayList<>();
    for (List<DriftResult> w : windows.values()) {
      w.sort(Comparator.comparing(DriftResult::feature).thenComparing(DriftResult::test));
      steps.add(new Step(w.get(0).segment(), Instant.parse(w.get(0).windowEnd()).toEpochMilli(), performanceFirst ? 1 : 0,
          w.get(0).windowStart(), w));
    }
    for (PerformanceResult p : performance) {
      steps.add(new Step(p.segment(), PolicyFunction.point(p), performanceFirst ? 0 : 1, p.windowStart(), p));
    }
    steps.sort(Comparator.comparing(Step::segment).thenComparingLong(Step::time).thenComparingInt(Step::order)
        .thenComparing(Step::window));
    Map<String, PolicyState> states = new HashMap<>();
    List<PolicyEngine.Decision> out = new ArrayList<>();
    for (Step s : steps) {
      PolicyState state = states.computeIfAbsent(s.segment(), k -> new PolicyState());
      if (s.input() instanceof PerformanceResult p) {
        out.add(PolicyEngine.onPerformance(spec, s.segment(), state, p, 0));
      } else {
        @SuppressWarnings("unchecked")
        List<DriftResult> w = (List<DriftResult>) s.input();
        WindowDriftSummary summary = new WindowDriftSummary(w.get(0).windowStart(), w.get(0).windowEnd());
        w.forEach(summary::add);
        out.add(PolicyEngine.onDriftWindow(spec, s.segment(), state, summary, 0));
      }
    }
    return out.toArray(PolicyEngine.Decision[]::new);
  }

  static List<String> alerts(PolicyEngine.Decision[] decisions) {
    List<Object> alerts = new ArrayList<>();
    for (PolicyEngine.Decision d : decisions) {
      alerts.addAll(d.alerts());
    }
    return json(alerts);
  }

  static List<String> triggers(PolicyEngine.Decision[] decisions) {
    List<Object> triggers = new ArrayList<>();
    for (PolicyEngine.Decision d : decisions) {
      if (d.trigger() != null) {
        triggers.add(d.trigger());
      }
    }
    return json(triggers);
  }

  static List<String> json(List<Object> records) {
    List<String> out = new ArrayList<>();
    for (Object r : records) {
      try {
        out.add(SameResultsSameDecisionsTest.withoutCreatedAt(Json.mapper().readTree(Json.bytes(r))));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    out.sort(null);
    return out;
  }

  @Test
  void everySegmentDecidesOnDriftAndPerformanceAndTheOrderAtOneTimeMatters() {
    PolicyEngine.Decision[] ordered = decisions(false);
    List<String> triggers = triggers(ordered);
    for (String segment : SEGMENTS) {
      assertThat(triggers.stream().filter(t -> t.contains("\"segment\":\"" + segment + "\""))).as("triggers of " + segment).isNotEmpty();
    }
    assertThat(alerts(ordered).stream().filter(a -> a.contains("accuracy below"))).as("performance reasons").isNotEmpty();
    assertThat(alerts(ordered).stream().filter(a -> a.contains("dataset drift") || a.contains("PSI"))).as("drift reasons").isNotEmpty();
    // A drift window taken after the performance updates due at its end (as when it comes after the
    // watermark passed it) changes decisions: the runs below would notice.
    PolicyEngine.Decision[] swapped = decisions(true);
    assertThat(alerts(swapped)).isNotEqualTo(alerts(ordered));
  }

  @Test
  void bothInterleavingsWriteTheDecisionsOfThePolicyInEventTimeOrder() {
    PolicyEngine.Decision[] ordered = decisions(false);
    assertThat(inStep.get("alerts")).as("segments in step: alerts").containsExactlyElementsOf(alerts(ordered));
    assertThat(inStep.get("triggers")).as("segments in step: triggers").containsExactlyElementsOf(triggers(ordered));
    assertThat(ahead.get("alerts")).as("segment x a window ahead: alerts").containsExactlyElementsOf(alerts(ordered));
    assertThat(ahead.get("triggers")).as("segment x a window ahead: triggers").containsExactlyElementsOf(triggers(ordered));
    assertThat(inStep.get("dead")).as("dead letters").isEmpty();
    assertThat(ahead.get("dead")).as("dead letters").isEmpty();
    assertThat(triggers(ordered).stream().filter(t -> t.contains("\"segment\":\"" + DRIFT_ONLY + "\""))).as("triggers of z").isNotEmpty();
  }

  @Test
  void anUnboundedRunWritesTheSameDecisionsOnceTheWatermarkPassesThem() {
    PolicyEngine.Decision[] ordered = decisions(false);
    assertThat(live.get("alerts")).as("unbounded: alerts").containsExactlyElementsOf(alerts(ordered));
    assertThat(live.get("triggers")).as("unbounded: triggers").containsExactlyElementsOf(triggers(ordered));
    assertThat(live.get("dead")).as("dead letters").isEmpty();
  }
}
