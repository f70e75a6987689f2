package dev.driftline.jobs.featurepipeline.operators;

import dev.driftline.core.features.EntityFeatures;
import dev.driftline.core.features.FeatureEvent;
import dev.driftline.core.features.FeatureRecord;
import dev.driftline.core.features.FeatureView;
import dev.driftline.core.io.Json;
import dev.driftline.jobs.featurepipeline.state.FeatureTypes;
import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.runtime.metrics.DriftlineMetric;
import dev.driftline.runtime.metrics.EventTimeLag;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * The features of one view, keyed by entity. Events wait in memory, in event-time order, until the
 * watermark passes their time; then each entity's due events are applied to its
 * {@link EntityFeatures} together, read from keyed state once and written back once, and one
 * {@link FeatureRecord} is emitted per distinct event time (as_of = that time). So a record as of
 * {@code t} includes every event of the entity with timestamp up to {@code t} that arrived within
 * the view's {@code max_out_of_orderness}, and none after {@code t}. An event at or behind the
 * watermark when it arrives cannot be placed any more: it goes to {@link #LATE} as a dead letter.
 * An event costs no state access and no timer of its own. Decoded entity states stay in memory
 * (the {@link #CACHED_ENTITIES} most recently updated per subtask) and reach keyed state when they
 * leave it and before every checkpoint: a busy entity is read and written once per checkpoint.
 *
 * <p>State per entity: the serialized {@link EntityFeatures} (bounded by buckets × features). An
 * entity whose newest event is more than {@code entity_ttl} older than its next one starts afresh,
 * as if it had never been seen; an event-time timer per entity and {@link #expiryBucket} of event
 * time clears the state of an entity that went quiet. The events waiting for the watermark are
 * operator state (a union list, split by key group on restore, so a rescaled job keeps them);
 * the heap holds about rate × {@code max_out_of_orderness} of them. A savepoint of the earlier
 * layout (events waiting in keyed list state {@code pending}, a timer each) restores: its waiting
 * events move to the heap when the job starts, and its timers find nothing to do.
 *
 * <p>Metrics, labelled with the view ({@link DriftlineMetric}): {@code feature_updates},
 * {@code entities_forgotten}, and {@code freshness_ms} (histogram, and the
 * {@code last_freshness_ms} gauge, of computed_at − as_of, wall clock minus event time); late
 * events are counted with the dead letters.
 */
public final class FeatureAggregator extends AbstractStreamOperator<FeatureRecord>
    implements OneInputStreamOperator<FeatureEvent, FeatureRecord>, Triggerable<String, VoidNamespace> {
  private static final long serialVersionUID = 1L;
  public static final OutputTag<DeadLetter> LATE = new OutputTag<>("late-events", TypeInformation.of(DeadLetter.class));
  /** The timer service of the earlier layout's KeyedProcessFunction, kept so its timers restore. */
  static final String TIMERS = "user-timers";

  private final FeatureView view;
  private final long ttl;
  private final int cachedEntities;
  private transient ValueState<byte[]> features;
  /** Written by the earlier layout only; cleared with the entity. */
  private transient ValueState<Long> newest;
  /** Events waiting in the earlier layout; moved to the heap on start. */
  private transient ListState<FeatureEvent> pending;
  private transient ListState<FeatureEvent> waitingState;
  private transient PriorityQueue<Waiting> waiting;
  private transient long arrivals;
  private transient boolean restored;
  private transient InternalTimerService<VoidNamespace> timers;
  /**
   * Decoded entity states, most recently used last; changes reach keyed state when an entry is
   * evicted and before every checkpoint, so a busy entity is decoded and encoded once per checkpoint
   * instead of once per update. It mirrors keyed state exactly: a restored job starts without it.
   */
  private transient LinkedHashMap<String, Cached> cache;
  private transient Counter updates;
  private transient Counter forgotten;
  private transient Histogram freshness;
  private transient volatile long lastFreshness;
  private transient EventTimeLag lag;

  /** How many decoded entity states a subtask keeps in memory. */
  static final int CACHED_ENTITIES = 20_000;

  /** An entity's decoded state; {@code dirty} until written to keyed state. */
  private static final class Cached {
    final EntityFeatures state;
    boolean dirty;

    Cached(EntityFeatures state, boolean dirty) {
      this.state = state;
      this.dirty = dirty;
    }
  }

  /** An event and its arrival number: events of one instant are applied in arrival order. */
  private record Waiting(FeatureEvent event, long arrival) {}

  private static final Comparator<Waiting> ORDER =
      Comparator.comparingLong((Waiting w) -> w.event().timestamp()).thenComparingLong(Waiting::arrival);

  public FeatureAggregator(FeatureView view) {
    this(view, CACHED_ENTITIES);
  }

  FeatureAggregator(FeatureView view, int cachedEntities) {
    if (cachedEntities < 1) {
      throw new IllegalArgumentException("cached entities: expected at least 1, got " + cachedEntities);
    }
    this.view = view;
    this.ttl = view.entityTtl().toMillis();
    this.cachedEntities = cachedEntities;
  }

  /**
   * The granularity of the expiry timers: an entity's timer is at the first multiple of it at or
   * after its newest event + {@code entity_ttl}, so the timer moves (one registration) at most once
   * per bucket of event time however busy the entity is.
   */
  static long expiryBucket(long ttlMillis) {
    return Math.max(1_000, ttlMillis / 16);
  }

  static long expiryTimer(long newestEvent, long ttlMillis) {
    long bucket = expiryBucket(ttlMillis);
    long due = newestEvent > Long.MAX_VALUE - ttlMillis - bucket ? Long.MAX_VALUE - bucket : newestEvent + ttlMillis;
    return Math.floorDiv(due + bucket - 1, bucket) * bucket;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    features = context.getKeyedStateStore().getState(
        new ValueStateDescriptor<>("features", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    newest = context.getKeyedStateStore().getState(new ValueStateDescriptor<>("newest", Types.LONG));
    pending = context.getKeyedStateStore().getListState(new ListStateDescriptor<>("pending", FeatureTypes.events()));
    waitingState = context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>("waiting-events", FeatureTypes.events()));
    waiting = new PriorityQueue<>(ORDER);
    cache = new LinkedHashMap<>(1024, 0.75f, true);
    restored = context.isRestored();
    if (restored) {
      // Every subtask reads every subtask's waiting events and keeps those of its own keys.
      var task = getRuntimeContext().getTaskInfo();
      for (FeatureEvent e : waitingState.get()) {
        if (KeyGroupRangeAssignment.assignKeyToParallelOperator(e.entity(), task.getMaxNumberOfParallelSubtasks(),
            task.getNumberOfParallelSubtasks()) == task.getIndexOfThisSubtask()) {
          wait(e);
        }
      }
    }
  }

  @Override
  public void open() throws Exception {
    super.open();
    timers = getInternalTimerService(TIMERS, VoidNamespaceSerializer.INSTANCE, this);
    var metrics = getMetricGroup();
    updates = DriftlineMetric.FEATURE_UPDATES.group(metrics, view.name()).counter(DriftlineMetric.FEATURE_UPDATES.metricName());
    forgotten = DriftlineMetric.ENTITIES_FORGOTTEN.group(metrics, view.name())
        .counter(DriftlineMetric.ENTITIES_FORGOTTEN.metricName());
    freshness = DriftlineMetric.FRESHNESS.group(metrics, view.name())
        .histogram(DriftlineMetric.FRESHNESS.metricName(), new DescriptiveStatisticsHistogram(10_000));
    DriftlineMetric.LAST_FRESHNESS.group(metrics, view.name()).gauge(DriftlineMetric.LAST_FRESHNESS.metricName(), () -> lastFreshness);
    lag = EventTimeLag.register(metrics);
    if (restored) {
      movePendingOfTheEarlierLayout();
    }
  }

  /** Events a savepoint of the earlier layout kept waiting in keyed state join the heap. */
  private void movePendingOfTheEarlierLayout() throws Exception {
    List<String> keys;
    try (Stream<String> s = this.<String>getKeyedStateBackend().getKeys("pending", VoidNamespace.INSTANCE)) {
      keys = s.toList();
    }
    for (String key : keys) {
      setCurrentKey(key);
      Iterable<FeatureEvent> events = pending.get();
      if (events != null) {
        events.forEach(this::wait);
      }
      pending.clear();
    }
  }

  private void wait(FeatureEvent e) {
    waiting.add(new Waiting(e, arrivals++));
  }

  @Override
  public void processElement(StreamRecord<FeatureEvent> element) {
    FeatureEvent e = element.getValue();
    long watermark = timers.currentWatermark();
    if (e.timestamp() <= watermark) {
      output.collect(LATE, new StreamRecord<>(late(e, watermark)));
      return;
    }
    wait(e);
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    lag.watermark(mark.getTimestamp());
    applyDue(mark.getTimestamp());
    super.processWatermark(mark); // expiry timers, then the watermark goes on
  }

  /** Applies the events at or before {@code watermark}: per entity, one state read and one write. */
  private void applyDue(long watermark) throws Exception {
    if (waiting.isEmpty() || waiting.peek().event().timestamp() > watermark) {
      return;
    }
    Map<String, List<FeatureEvent>> due = new LinkedHashMap<>();
    while (!waiting.isEmpty() && waiting.peek().event().timestamp() <= watermark) {
      FeatureEvent e = waiting.poll().event();
      due.computeIfAbsent(e.entity(), k -> new ArrayList<>(2)).add(e);
    }
    for (Map.Entry<String, List<FeatureEvent>> entity : due.entrySet()) {
      apply(entity.getKey(), entity.getValue());
    }
    evict();
  }

  private void apply(String entity, List<FeatureEvent> events) throws Exception {
    setCurrentKey(entity);
    Cached cached = cache.get(entity);
    EntityFeatures state;
    if (cached != null) {
      state = cached.state;
    } else {
      byte[] bytes = features.value();
      state = bytes == null ? null : EntityFeatures.fromBytes(view, bytes);
    }
    long before = state == null ? Long.MIN_VALUE : state.newest();
    for (int i = 0; i < events.size(); i++) {
      FeatureEvent e = events.get(i);
      if (state != null && state.newest() + ttl < e.timestamp()) {
        forgotten.inc(); // quiet for longer than entity_ttl: starts afresh, as its expiry would have left it
        state = null;
      }
      if (state == null) {
        state = new EntityFeatures(view);
        before = Long.MIN_VALUE;
      }
      state.apply(e);
      if (i + 1 == events.size() || events.get(i + 1).timestamp() != events.get(i).timestamp()) {
        emit(state.record(entity, System.currentTimeMillis()));
      }
    }
    if (cached != null && cached.state == state) {
      cached.dirty = true;
    } else {
      cache.put(entity, new Cached(state, true));
    }
    long expiry = expiryTimer(state.newest(), ttl);
    if (before == Long.MIN_VALUE || expiryTimer(before, ttl) != expiry) {
      timers.registerEventTimeTimer(VoidNamespace.INSTANCE, expiry);
    }
  }

  /** Writes the least recently used states beyond the cache's size to keyed state and drops them. */
  private void evict() throws Exception {
    if (cache.size() <= cachedEntities) {
      return;
    }
    Object current = getCurrentKey();
    var eldest = cache.entrySet().iterator();
    while (cache.size() > cachedEntities) {
      Map.Entry<String, Cached> e = eldest.next();
      if (e.getValue().dirty) {
        setCurrentKey(e.getKey());
        features.update(e.getValue().state.toBytes());
      }
      eldest.remove();
    }
    if (current != null) {
      setCurrentKey(current);
    }
  }

  /** An expiry timer: clears the entity if it has been quiet for {@code entity_ttl} (else a later timer exists). */
  @Override
  public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
    Cached cached = cache.get(timer.getKey());
    long last;
    if (cached != null) {
      last = cached.state.newest();
    } else {
      byte[] bytes = features.value();
      if (bytes == null) {
        return;
      }
      last = EntityFeatures.newestOf(bytes);
    }
    if (last + ttl <= timer.getTimestamp()) {
      cache.remove(timer.getKey());
      features.clear();
      newest.clear();
      forgotten.inc();
    }
  }

  @Override
  public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
    // No processing-time timers.
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    Object current = getCurrentKey();
    for (Map.Entry<String, Cached> e : cache.entrySet()) {
      if (e.getValue().dirty) {
        setCurrentKey(e.getKey());
        features.update(e.getValue().state.toBytes());
        e.getValue().dirty = false;
      }
    }
    if (current != null) {
      setCurrentKey(current);
    }
    List<Waiting> inOrder = new ArrayList<>(waiting);
    inOrder.sort(Comparator.comparingLong(Waiting::arrival));
    List<FeatureEvent> events = new ArrayList<>(inOrder.size());
    inOrder.forEach(w -> events.add(w.event()));
    waitingState.update(events);
  }

  private void emit(FeatureRecord r) {
    updates.inc();
    lastFreshness = r.freshnessMs();
    freshness.update(r.freshnessMs());
    output.collect(new StreamRecord<>(r, r.asOf()));
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
