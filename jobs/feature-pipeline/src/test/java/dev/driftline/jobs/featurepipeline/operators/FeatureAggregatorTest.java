package dev.driftline.jobs.featurepipeline.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.features.FeatureEvent;
import dev.driftline.core.features.FeatureRecord;
import dev.driftline.core.features.FeatureView;
import dev.driftline.core.features.FeatureViewParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The feature operator on Flink's harness with RocksDB state: events wait for the watermark in the
 * heap and in operator state; a checkpoint taken while they wait restores, also into twice the
 * subtasks, to the records of an uninterrupted run; an entity quiet for longer than its
 * {@code entity_ttl} starts afresh and its state is cleared by its expiry timer.
 */
class FeatureAggregatorTest {
  static final FeatureView VIEW = FeatureViewParser.parse("test.yaml", """
      view: t
      source: {topic: t, entity_key: id, timestamp: ts, max_out_of_orderness: 30s}
      entity_ttl: 1h
      features:
        - {name: n_10m, aggregation: count, window: 10m}
        - {name: sum_1h, aggregation: sum, field: v, window: 1h}
        - {name: last_v, aggregation: last, field: v}
        - {name: since, aggregation: time_since_last}
      """);
  static final int MAX_PARALLELISM = 128;

  static KeyedOneInputStreamOperatorTestHarness<String, FeatureEvent, FeatureRecord> harness(int parallelism, int subtask)
      throws Exception {
    return harness(parallelism, subtask, FeatureAggregator.CACHED_ENTITIES);
  }

  /** With room for {@code cached} decoded entities in memory: fewer than the traffic has makes it evict. */
  static KeyedOneInputStreamOperatorTestHarness<String, FeatureEvent, FeatureRecord> harness(int parallelism, int subtask,
      int cached) throws Exception {
    var h = new KeyedOneInputStreamOperatorTestHarness<>(new FeatureAggregator(VIEW, cached), FeatureEvent::entity,
        Types.STRING, MAX_PARALLELISM, parallelism, subtask);
    h.setStateBackend(new EmbeddedRocksDBStateBackend());
    return h;
  }

  /** On the heap backend, which can count its entries. */
  static KeyedOneInputStreamOperatorTestHarness<String, FeatureEvent, FeatureRecord> heapHarness(int parallelism, int subtask)
      throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(new FeatureAggregator(VIEW), FeatureEvent::entity, Types.STRING,
        MAX_PARALLELISM, parallelism, subtask);
  }

  static FeatureEvent event(String entity, long ts, double v) {
    return new FeatureEvent(entity, ts, new double[] {v}, new String[0]);
  }

  /** 12 entities, 600 events a few seconds apart, up to 20 s out of order, a watermark every 10 events. */
  static List<Object> traffic() {
    Random random = new Random(5);
    List<Object> out = new ArrayList<>();
    long t = 1_000_000_000L;
    long newest = Long.MIN_VALUE;
    for (int i = 0; i < 600; i++) {
      t += random.nextInt(8_000);
      long ts = t - random.nextInt(20_000);
      newest = Math.max(newest, ts);
      out.add(event("e" + random.nextInt(12), ts, Math.round(random.nextDouble() * 1000) / 10.0));
      if (i % 10 == 9) {
        out.add(new Watermark(newest - 30_000 - 1));
      }
    }
    out.add(new Watermark(Long.MAX_VALUE));
    return out;
  }

  static void feed(KeyedOneInputStreamOperatorTestHarness<String, FeatureEvent, FeatureRecord> h, Object o) throws Exception {
    if (o instanceof Watermark w) {
      h.processWatermark(w);
    } else {
      FeatureEvent e = (FeatureEvent) o;
      h.processElement(new StreamRecord<>(e, e.timestamp()));
    }
  }

  static void records(KeyedOneInputStreamOperatorTestHarness<String, FeatureEvent, FeatureRecord> h, Map<String, String> out) {
    for (Object o : h.getOutput()) {
      if (o instanceof StreamRecord<?> r && r.getValue() instanceof FeatureRecord f) {
        assertThat(out.put(f.entity() + "@" + f.asOf(), new TreeMap<>(f.features()).toString())).as("one record per update").isNull();
        assertThat(r.getTimestamp()).isEqualTo(f.asOf());
      }
    }
  }

  @ParameterizedTest(name = "{0} entities in memory")
  @ValueSource(ints = {FeatureAggregator.CACHED_ENTITIES, 3})
  void aCheckpointWhileEventsWaitRestoresIntoTwiceTheSubtasksWithTheRecordsOfAnUninterruptedRun(int cached) throws Exception {
    List<Object> traffic = traffic();
    Map<String, String> uninterrupted = new TreeMap<>();
    try (var h = harness(1, 0, cached)) {
      h.open();
      for (Object o : traffic) {
        feed(h, o);
      }
      records(h, uninterrupted);
      assertThat(h.getSideOutput(FeatureAggregator.LATE)).isNull();
    }
    assertThat(uninterrupted).hasSizeGreaterThan(550);

    int cut = traffic.size() / 2;
    Map<String, String> restored = new TreeMap<>();
    OperatorSubtaskState snapshot;
    try (var h = harness(1, 0, cached)) {
      h.open();
      for (Object o : traffic.subList(0, cut)) {
        feed(h, o);
      }
      snapshot = h.snapshot(1, 1);
      records(h, restored);
    }
    int before = restored.size();
    List<KeyedOneInputStreamOperatorTestHarness<String, FeatureEvent, FeatureRecord>> halves = new ArrayList<>();
    for (int subtask = 0; subtask < 2; subtask++) {
      var h = harness(2, subtask, cached);
      h.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(snapshot, MAX_PARALLELISM, 1, 2, subtask));
      h.open();
      halves.add(h);
    }
    for (Object o : traffic.subList(cut, traffic.size())) {
      if (o instanceof FeatureEvent e) {
        feed(halves.get(KeyGroupRangeAssignment.assignKeyToParallelOperator(e.entity(), MAX_PARALLELISM, 2)), e);
      } else {
        for (var h : halves) {
          feed(h, o);
        }
      }
    }
    for (var h : halves) {
      records(h, restored);
      h.close();
    }
    assertThat(restored).isEqualTo(uninterrupted);
    // Events waited at the checkpoint: records after the restore as of times before its watermark.
    assertThat(restored.size() - before).isLessThan(uninterrupted.size());
    assertThat(before).isLessThan(uninterrupted.size() / 2 + 40);
  }

  @Test
  void anEntityQuietForLongerThanItsTtlStartsAfreshAndItsStateIsCleared() throws Exception {
    long t0 = 1_000_000_000L;
    long ttl = 3_600_000;
    try (var h = heapHarness(1, 0)) {
      h.open();
      feed(h, event("a", t0, 5));
      feed(h, event("b", t0, 7));
      feed(h, event("a", t0 + ttl, 1)); // exactly entity_ttl later: still known
      feed(h, event("b", t0 + ttl + 1, 2)); // just beyond: forgotten, starts afresh
      feed(h, new Watermark(t0 + ttl + 1));
      Map<String, String> out = new TreeMap<>();
      records(h, out);
      assertThat(out.get("a@" + (t0 + ttl))).isEqualTo("{last_v=1.0, n_10m=1.0, since=3600.0, sum_1h=1.0}");
      assertThat(out.get("b@" + (t0 + ttl + 1))).isEqualTo("{last_v=2.0, n_10m=1.0, since=null, sum_1h=2.0}");
      assertThat(h.numKeyedStateEntries()).isZero(); // decoded in memory until a checkpoint
      h.snapshot(1, 1);
      assertThat(h.numKeyedStateEntries()).isEqualTo(2);

      long expiry = FeatureAggregator.expiryTimer(t0 + ttl + 1, ttl);
      assertThat(expiry).isGreaterThanOrEqualTo(t0 + 2 * ttl + 1).isLessThan(t0 + 2 * ttl + 1 + FeatureAggregator.expiryBucket(ttl));
      h.processWatermark(new Watermark(expiry - 1));
      assertThat(h.numKeyedStateEntries()).isEqualTo(2);
      h.processWatermark(new Watermark(expiry));
      assertThat(h.numKeyedStateEntries()).isZero();
      assertThat(h.numEventTimeTimers()).isZero();
    }
  }

  @Test
  void anEventAtOrBehindTheWatermarkIsALateDeadLetter() throws Exception {
    try (var h = harness(1, 0)) {
      h.open();
      h.processWatermark(new Watermark(2_000_000));
      feed(h, event("a", 2_000_000, 1));
      feed(h, event("a", 2_000_001, 1));
      h.processWatermark(new Watermark(Long.MAX_VALUE));
      assertThat(h.getSideOutput(FeatureAggregator.LATE)).singleElement()
          .satisfies(r -> assertThat(r.getValue().reason()).startsWith("late event: ts 1970-01-01T00:33:20Z is at or behind the watermark"));
      Map<String, String> out = new TreeMap<>();
      records(h, out);
      assertThat(out).containsOnlyKeys("a@2000001");
    }
  }
}
