package dev.driftline.core.io;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written as in the monitor spec: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h},
 * {@code 7d}, {@code 2w}. Used by the traffic generator's options and drift times.
 */
public final class DurationText {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d|w)", Pattern.CASE_INSENSITIVE);

  private DurationText() {}

  /**
   * The duration {@code text} given to {@code option} (such as {@code --window}).
   *
   * @throws InputException with a message that starts with the option's name when it is not one
   */
  public static Duration parse(String option, String text) {
    try {
      return parse(text);
    } catch (InputException e) {
      throw new InputException(option + ": " + e.getMessage());
    }
  }

  /**
   * The duration {@code text} denotes.
   *
   * @throws InputException with a message (without a prefix naming the option) when it is not one
   */
  public static Duration parse(String text) {
    Matcher m = DURATION.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new InputException("expected a duration such as 30s, 10m, 1h, 7d, got \"" + text + "\"");
    }
    long amount = Long.parseLong(m.group(1));
    switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "ms":
        return Duration.ofMillis(amount);
      case "s":
        return Duration.ofSeconds(amount);
      case "m":
        return Duration.ofMinutes(amount);
      case "h":
        return Duration.ofHours(amount);
      case "d":
        return Duration.ofDays(amount);
      default:
        return Duration.ofDays(7 * amount);
    }
  }

  /** The shortest of the forms {@link #parse} reads that is exact: {@code 90m}, {@code 1500ms}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    long[] units = {7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000};
    String[] names = {"w", "d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (ms != 0 && ms % units[i] == 0) {
        return ms / units[i] + names[i];
      }
    }
    return ms + "ms";
  }
}
