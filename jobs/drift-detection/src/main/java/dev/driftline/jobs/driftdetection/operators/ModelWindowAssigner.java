package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.spec.WindowSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Event-time windows sized per model: each element gets the tumbling or sliding windows of its own
 * model's spec, so one operator serves models with different windows. The time is read from the
 * element (e.g. a label's outcome counts at its prediction's time), not from the record timestamp.
 */
public final class ModelWindowAssigner<T> extends WindowAssigner<T, TimeWindow> {
  private static final long serialVersionUID = 1L;

  private final Map<String, WindowSpec> windows;
  private final SerializableFunction<T, String> modelId;
  private final SerializableFunction<T, Long> timestamp;
  private final Trigger<T, TimeWindow> trigger;

  public ModelWindowAssigner(Map<String, WindowSpec> windows, SerializableFunction<T, String> modelId,
      SerializableFunction<T, Long> timestamp, Trigger<T, TimeWindow> trigger) {
    this.windows = Map.copyOf(windows);
    this.modelId = modelId;
    this.timestamp = timestamp;
    this.trigger = trigger;
  }

  /** Windows that fire when the watermark passes their end (and again for late elements). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static <T> ModelWindowAssigner<T> eventTime(Map<String, WindowSpec> windows,
      SerializableFunction<T, String> modelId, SerializableFunction<T, Long> timestamp) {
    return new ModelWindowAssigner<>(windows, modelId, timestamp, (Trigger) EventTimeTrigger.create());
  }

  @Override
  public Collection<TimeWindow> assignWindows(T element, long recordTimestamp, WindowAssignerContext context) {
    WindowSpec spec = windows.get(modelId.apply(element));
    if (spec == null) {
      throw new IllegalStateException("no window spec for model " + modelId.apply(element));
    }
    return windowsFor(timestamp.apply(element), spec.size().toMillis(), spec.slide().toMillis());
  }

  /** The windows [start, start + size) with start a multiple of {@code slide} that contain {@code ts}. */
  static List<TimeWindow> windowsFor(long ts, long size, long slide) {
    List<TimeWindow> out = new ArrayList<>((int) (size / slide));
    long lastStart = TimeWindow.getWindowStartWithOffset(ts, 0, slide);
    for (long start = lastStart; start > ts - size; start -= slide) {
      out.add(new TimeWindow(start, start + size));
    }
    return out;
  }

  @Override
  public Trigger<T, TimeWindow> getDefaultTrigger() {
    return trigger;
  }

  @Override
  public TypeSerializer<TimeWindow> getWindowSerializer(ExecutionConfig executionConfig) {
    return new TimeWindow.Serializer();
  }

  @Override
  public boolean isEventTime() {
    return true;
  }

  @Override
  public String toString() {
    return "ModelWindowAssigner" + windows.keySet();
  }
}
