package dev.driftline.core.window;

/**
 * The event times at which a performance window is emitted: once when the watermark passes its
 * last millisecond ({@code end - 1}), then at the update points {@code k · step - 1} that follow,
 * each carrying exactly the labels whose event time is at or before it. Fixed by event time alone,
 * so how often and with which labels a window is emitted does not depend on when anything arrived
 * or was flushed. All times are epoch milliseconds; {@code step > 0}.
 */
public final class UpdatePoints {
  private UpdatePoints() {}

  /** The first point at or after {@code time} that is an update point or the window's last millisecond. */
  public static long due(long time, long windowEnd, long step) {
    return time <= windowEnd - 1 ? windowEnd - 1 : atOrAfter(time, step);
  }

  /** The first update point strictly after {@code time}. */
  public static long after(long time, long step) {
    return atOrAfter(time + 1, step);
  }

  /**
   * The last point a window is emitted at: the one that holds a label {@code maxLabelDelay} after
   * the window's last prediction. No label can join later, so its state can go then.
   */
  public static long last(long windowEnd, long maxLabelDelay, long step) {
    return due(windowEnd - 1 + maxLabelDelay, windowEnd, step);
  }

  private static long atOrAfter(long time, long step) {
    // k · step - 1 >= time  <=>  k >= (time + 1) / step
    return Math.floorDiv(time + step, step) * step - 1;
  }
}
