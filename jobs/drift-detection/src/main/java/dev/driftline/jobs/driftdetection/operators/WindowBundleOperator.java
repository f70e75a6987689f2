package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.spec.WindowSpec;
import dev.driftline.runtime.metrics.EventTimeLag;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * The local half of a two-phase window aggregation (as Flink SQL's mini-batch local-global
 * aggregation): folds records into in-heap partial summaries per (key, window) on whichever subtask
 * they arrive, and emits each partial as a {@link WindowPartial} for a keyed window to merge. So a
 * record costs one in-memory update, keyed state sees one merge per bundle rather than one per
 * record, and one busy key spreads its per-record work over every subtask.
 *
 * <p>Each partial is stamped with the event time its window takes it in ({@link Bundling#emitAt}:
 * the window's last millisecond, or later for a late label), whenever it is flushed.
 * A partial is emitted when the watermark passes that time (before the watermark goes on,
 * so the keyed window has it when it fires), before every checkpoint barrier (so the operator holds
 * no state of its own and a restore loses nothing), when the bundle holds {@link #maxRecords}
 * records or {@link #maxEntries} (key, window) pairs (bounding memory), and at the end of input.
 *
 * <p>Extended only by {@link PcaScoringBundleOperator}, which adds the baselines as a second input.
 */
public class WindowBundleOperator<IN, S> extends AbstractStreamOperator<WindowPartial<S>>
    implements OneInputStreamOperator<IN, WindowPartial<S>> {
  private static final long serialVersionUID = 1L;

  /** How records map to keys, windows and summaries. Serializable: it ships with the job graph. */
  public interface Bundling<IN, S> extends Serializable {
    String key(IN record);

    /** The event time that places the record in its windows. */
    long time(IN record);

    WindowSpec window(IN record);

    S create(IN record);

    void add(S summary, IN record);

    /**
     * The event time at which the window [start, end) is to take the record in: its last
     * millisecond by default; later for what updates a window after it closed (a late label).
     */
    default long emitAt(IN record, long start, long end) {
      return end - 1;
    }

    /**
     * Whether the input carries a watermark of its own as records ({@link #isProgress}), in order
     * with the other records: then the operator's watermark is the lower of it and Flink's. The
     * label join's, for performance ({@link LabelJoinOperator}).
     */
    default boolean progressRecords() {
      return false;
    }

    /** Whether {@code record} is such a watermark, at its {@link #time}. */
    default boolean isProgress(IN record) {
      return false;
    }
  }

  private final Bundling<IN, S> bundling;
  private final int maxRecords;
  private final int maxEntries;
  private transient Map<String, List<Entry<S>>> bundle;
  private transient int records;
  private transient int entries;
  private transient Counter flushes;
  private transient EventTimeLag lag;
  /** Flink's input watermark, the latest progress record's (none yet: MIN_VALUE), and what went out. */
  private transient long inputWatermark;
  private transient long progress;
  private transient long emitted;

  private static final class Entry<S> {
    final long start;
    final long end;
    final long emitAt;
    final S summary;

    Entry(long start, long end, long emitAt, S summary) {
      this.start = start;
      this.end = end;
      this.emitAt = emitAt;
      this.summary = summary;
    }
  }

  public WindowBundleOperator(Bundling<IN, S> bundling, int maxRecords, int maxEntries) {
    if (maxRecords <= 0 || maxEntries <= 0) {
      throw new IllegalArgumentException("bundle limits must be positive");
    }
    this.bundling = bundling;
    this.maxRecords = maxRecords;
    this.maxEntries = maxEntries;
  }

  @Override
  public void open() throws Exception {
    super.open();
    bundle = new HashMap<>();
    flushes = getMetricGroup().counter("bundleFlushes");
    lag = EventTimeLag.register(getMetricGroup());
    inputWatermark = Long.MIN_VALUE;
    progress = Long.MIN_VALUE;
    emitted = Long.MIN_VALUE;
  }

  @Override
  public void processElement(StreamRecord<IN> element) throws Exception {
    IN record = element.getValue();
    if (bundling.isProgress(record)) {
      progress = Math.max(progress, bundling.time(record));
      advance();
      return;
    }
    String key = bundling.key(record);
    WindowSpec spec = bundling.window(record);
    long ts = bundling.time(record);
    long size = spec.size().toMillis();
    long slide = spec.slide().toMillis();
    List<Entry<S>> open = bundle.computeIfAbsent(key, k -> new ArrayList<>(2));
    for (long start = TimeWindow.getWindowStartWithOffset(ts, 0, slide); start > ts - size; start -= slide) {
      long end = start + size;
      bundling.add(entry(open, start, end, bundling.emitAt(record, start, end), record).summary, record);
    }
    if (++records >= maxRecords || entries >= maxEntries) {
      flush(Long.MAX_VALUE);
    }
  }

  private Entry<S> entry(List<Entry<S>> open, long start, long end, long emitAt, IN record) {
    for (Entry<S> e : open) {
      if (e.start == start && e.emitAt == emitAt) {
        return e;
      }
    }
    Entry<S> e = new Entry<>(start, end, emitAt, bundling.create(record));
    open.add(e);
    entries++;
    return e;
  }

  /** Emits and forgets the partials due at or before {@code upTo} (stamped with the time they are due). */
  private void flush(long upTo) {
    Iterator<Map.Entry<String, List<Entry<S>>>> keys = bundle.entrySet().iterator();
    while (keys.hasNext()) {
      Map.Entry<String, List<Entry<S>>> k = keys.next();
      Iterator<Entry<S>> windows = k.getValue().iterator();
      while (windows.hasNext()) {
        Entry<S> e = windows.next();
        if (e.emitAt <= upTo) {
          output.collect(new StreamRecord<>(new WindowPartial<>(k.getKey(), e.start, e.end, e.summary), e.emitAt));
          windows.remove();
          entries--;
        }
      }
      if (k.getValue().isEmpty()) {
        keys.remove();
      }
    }
    if (upTo == Long.MAX_VALUE) {
      records = 0;
    }
    flushes.inc();
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    inputWatermark = Math.max(inputWatermark, mark.getTimestamp());
    advance();
  }

  /**
   * Flushes what is due and passes the watermark on: Flink's, or with progress records the lower of
   * it and theirs. Flink's reaching its end (Long.MAX_VALUE) ends only its own input: behind the
   * label join that is the predictions', and labels may still come until the join's progress ends too.
   */
  private void advance() throws Exception {
    long watermark = bundling.progressRecords() ? Math.min(inputWatermark, progress) : inputWatermark;
    if (watermark <= emitted) {
      return;
    }
    emitted = watermark;
    lag.watermark(watermark);
    if (entries > 0) {
      flush(watermark);
    }
    super.processWatermark(new Watermark(watermark));
  }

  /**
   * Never announces itself idle. The operator runs behind a shuffle from every source subtask, so
   * every subtask sees every source's watermarks, and it is idle only when all sources are. Passing
   * that on would let the keyed window ignore this subtask; when the sources wake up, another
   * subtask's watermark could then close a window before this one's partial of it arrives, and the
   * partial would be dropped as late. Kept active, each subtask's partials precede its watermark.
   */
  @Override
  public void processWatermarkStatus(WatermarkStatus status) {
    // Neither idle nor (since it never went idle) active again: the status stops here.
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    if (entries > 0) {
      flush(Long.MAX_VALUE);
    }
  }

  @Override
  public void finish() throws Exception {
    if (entries > 0) {
      flush(Long.MAX_VALUE);
    }
    super.finish();
  }
}
