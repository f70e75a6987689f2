package dev.driftline.jobs.driftdetection.operators;

import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/** Puts each {@link WindowPartial} into exactly the event-time window it summarizes. */
public final class PartialWindowAssigner<S> extends WindowAssigner<WindowPartial<S>, TimeWindow> {
  private static final long serialVersionUID = 1L;
  private final Trigger<WindowPartial<S>, TimeWindow> trigger;

  public PartialWindowAssigner(Trigger<WindowPartial<S>, TimeWindow> trigger) {
    this.trigger = trigger;
  }

  /** Windows that fire when the watermark passes their end (and again for late partials). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static <S> PartialWindowAssigner<S> eventTime() {
    return new PartialWindowAssigner<>((Trigger) EventTimeTrigger.create());
  }

  @Override
  public Collection<TimeWindow> assignWindows(WindowPartial<S> element, long timestamp, WindowAssignerContext context) {
    return List.of(new TimeWindow(element.start(), element.end()));
  }

  @Override
  public Trigger<WindowPartial<S>, TimeWindow> getDefaultTrigger() {
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
    return "PartialWindowAssigner(" + trigger + ")";
  }
}
