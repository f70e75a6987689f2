package dev.driftline.jobs.featurepipeline.operators;

import dev.driftline.connectors.deadletter.DeadLetter;
import dev.driftline.core.features.EntityFeatures;
import dev.driftline.core.features.FeatureEvent;
import dev.driftline.core.features.FeatureRecord;
import dev.driftline.core.features.FeatureView;
import dev.driftline.core.io.Json;
import dev.driftline.jobs.featurepipeline.state.FeatureTypes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import dev.driftline.connectors.metrics.DriftlineMetric;
import dev.driftline.connectors.metrics.EventTimeLag;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The features of one view, keyed by entity. Events wait in keyed state until the watermark passes
 * their event time, then are applied to the entity's {@link EntityFeatures} in event-time order and
 * one {@link FeatureRecord} is emitted per distinct event time (as_of = that time). So a record as
 * of {@code t} includes every event of the entity with timestamp up to {@code t} that arrived within
 * the view's {@code max_out_of_orderness}, and none after {@code t}. An event at or behind the
 * watermark when it arrives cannot be placed any more: it goes to {@link #LATE} as a dead letter.
 *
 * <p>State per entity: the serialized {@link EntityFeatures} (bounded by buckets × features), the
 * events not yet due, and the newest event time. An event-time timer at newest + {@code entity_ttl}
 * clears all of it for an entity that went quiet. Metrics, labelled with the view
 * ({@link DriftlineMetric}): {@code feature_updates}, {@code entities_forgotten}, and
 * {@code freshness_ms} (histogram, and the {@code last_freshness_ms} gauge, of computed_at − as_of,
 * wall clock minus event time); late events are counted with the dead letters.
 */
public final class FeatureAggregator extends KeyedProcessFunction<String, FeatureEvent, FeatureRecord> {
  private static final long serialVersionUID = 1L;
  public static final OutputTag<DeadLetter> LATE = new OutputTag<>("late-events", TypeInformation.of(DeadLetter.class));

  private final FeatureView view;
  private transient ValueState<byte[]> features;
  private transient ValueState<Long> newest;
  private transient ListState<FeatureEvent> pending;
  private transient Counter updates;
  private transient Counter forgotten;
  private transient Histogram freshness;
  private transient volatile long lastFreshness;
  private transient EventTimeLag lag;

  public FeatureAggregator(FeatureView view) {
    this.view = view;
  }

  @Override
  public void open(OpenContext context) {
    features = getRuntimeContext().getState(new ValueStateDescriptor<>("features", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    newest = getRuntimeContext().getState(new ValueStateDescriptor<>("newest", Types.LONG));
    pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending", FeatureTypes.events()));
    var metrics = getRuntimeContext().getMetricGroup();
    updates = DriftlineMetric.FEATURE_UPDATES.group(metrics, view.name()).counter(DriftlineMetric.FEATURE_UPDATES.metricName());
    forgotten = DriftlineMetric.ENTITIES_FORGOTTEN.group(metrics, view.name())
        .counter(DriftlineMetric.ENTITIES_FORGOTTEN.metricName());
    freshness = DriftlineMetric.FRESHNESS.group(metrics, view.name())
        .histogram(DriftlineMetric.FRESHNESS.metricName(), new DescriptiveStatisticsHistogram(10_000));
    DriftlineMetric.LAST_FRESHNESS.group(metrics, view.name()).gauge(DriftlineMetric.LAST_FRESHNESS.metricName(), () -> lastFreshness);
    lag = EventTimeLag.register(metrics);
  }

  @Override
  public void processElement(FeatureEvent e, Context ctx, Collector<FeatureRecord> out) throws Exception {
    long watermark = ctx.timerService().currentWatermark();
    lag.watermark(watermark);
    if (e.timestamp() <= watermark) {
      ctx.output(LATE, late(e, watermark));
      return;
    }
    pending.add(e);
    ctx.timerService().registerEventTimeTimer(e.timestamp());
  }

  @Override
  public void onTimer(long t, OnTimerContext ctx, Collector<FeatureRecord> out) throws Exception {
    lag.watermark(ctx.timerService().currentWatermark());
    List<FeatureEvent> due = new ArrayList<>();
    List<FeatureEvent> later = new ArrayList<>();
    Iterable<FeatureEvent> waiting = pending.get();
    if (waiting != null) {
      for (FeatureEvent e : waiting) {
        (e.timestamp() <= t ? due : later).add(e);
      }
    }
    if (!due.isEmpty()) {
      pending.update(later);
      due.sort(Comparator.comparingLong(FeatureEvent::timestamp)); // stable: arrival order within an instant
      byte[] bytes = features.value();
      EntityFeatures state = bytes == null ? new EntityFeatures(view) : EntityFeatures.fromBytes(view, bytes);
      for (int i = 0; i < due.size(); i++) {
        state.apply(due.get(i));
        if (i + 1 == due.size() || due.get(i + 1).timestamp() != due.get(i).timestamp()) {
          emit(state.record(ctx.getCurrentKey(), System.currentTimeMillis()), out);
        }
      }
      features.update(state.toBytes());
      newest.update(state.newest());
      ctx.timerService().registerEventTimeTimer(state.newest() + view.entityTtl().toMillis());
      return;
    }
    Long last = newest.value();
    if (last != null && later.isEmpty() && last + view.entityTtl().toMillis() <= t) {
      features.clear();
      newest.clear();
      pending.clear();
      forgotten.inc();
    }
  }

  private void emit(FeatureRecord r, Collector<FeatureRecord> out) {
    updates.inc();
    lastFreshness = r.freshnessMs();
    freshness.update(r.freshnessMs());
    out.collect(r);
  }

  private DeadLetter late(FeatureEvent e, long watermark) {
    String reason = "late event: " + view.timestampField() + " " + Instant.ofEpochMilli(e.timestamp())
        + " is at or behind the watermark " + Instant.ofEpochMilli(watermark) + " of view " + view.name()
        + " (max_out_of_orderness " + view.maxOutOfOrderness() + ")";
    var body = Json.mapper().createObjectNode();
    body.put(view.entityField(), e.entity());
    body.put(view.timestampField(), e.timestamp());
    for (int i = 0; i < e.numbers().length; i++) {
      body.put(view.numericFields().get(i), e.numbers()[i]);
    }
    for (int i = 0; i < e.texts().length; i++) {
      body.put(view.textFields().get(i), e.texts()[i]);
    }
    return new DeadLetter("features:" + view.name(), reason, null, -1, -1,
        e.entity().getBytes(StandardCharsets.UTF_8), Json.bytes(body), e.timestamp(), System.currentTimeMillis());
  }
}
