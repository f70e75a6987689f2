package dev.driftline.core.synth;

import dev.driftline.core.io.DurationText;
import dev.driftline.core.io.InputException;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.Task;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A change injected into generated traffic from event time {@code at} on, written
 * {@code FEATURE@TIME:KIND} ({@code income@30m:shift=2}, {@code loan_purpose@2026-01-01T01:00:00Z:mix},
 * {@code performance@45m:decay=0.7}, {@code label@2h:shift=1}, {@code debt_to_income@1h:missing=0.6};
 * for a multiclass model {@code label@2h:mix}).
 *
 * @param target a spec feature, {@link #PERFORMANCE} for {@link Kind#DECAY}, or {@link #LABEL} for
 *     a {@link Kind#SHIFT} of the labels, or a {@link Kind#MIX} of a multiclass model's label classes
 *     (unless the spec has a feature of that name)
 * @param at first event time (inclusive) the change applies to
 * @param amount k standard deviations for SHIFT (for labels: a classifier's log-odds + k, a
 *     regressor's label + k standard deviations; the scores stay as they were), the spread factor for SCALE, the probability that
 *     a label ignores the score for DECAY, the probability that a value is logged as null for
 *     MISSING, NaN for MIX
 */
public record DriftInjection(String target, Instant at, Kind kind, double amount) {

  /** The target of a {@link Kind#DECAY} injection. */
  public static final String PERFORMANCE = "performance";
  /** The target of a {@link Kind#SHIFT} of the labels (prior or target shift). */
  public static final String LABEL = "label";

  /** What changes. */
  public enum Kind {
    /** Numeric: every value + amount × the feature's standard deviation. */
    SHIFT("shift", 1.0),
    /** Numeric: spread around the feature's mean × amount. */
    SCALE("scale", 2.0),
    /**
     * Categorical: category popularity order reversed (the most frequent takes the rarest's share); a
     * multiclass model's labels: the classes' prior reversed, the scores unchanged.
     */
    MIX("mix", Double.NaN),
    /** Labels: with probability amount a label is drawn independently of the score. */
    DECAY("decay", 0.5),
    /**
     * Numeric or categorical: with probability amount the feature's value is sent as null (a broken
     * upstream field); the score and label stay those of the value drawn.
     */
    MISSING("missing", 0.5);

    private final String id;
    private final double defaultAmount;

    Kind(String id, double defaultAmount) {
      this.id = id;
      this.defaultAmount = defaultAmount;
    }

    public String id() {
      return id;
    }

    public double defaultAmount() {
      return defaultAmount;
    }
  }

  /** Whether the change is in force at event time {@code tsMillis}. */
  public boolean activeAt(long tsMillis) {
    return tsMillis >= at.toEpochMilli();
  }

  /** {@code income shift=2.0 from 2026-01-01T00:30:00Z}. */
  public String describe() {
    return target + " " + kind.id() + (kind == Kind.MIX ? "" : "=" + amount) + " from " + at;
  }

  /**
   * Reads {@code FEATURE@TIME:KIND} for a run of {@code spec} starting at {@code start} and lasting
   * {@code duration}. TIME is an offset from start ({@code 30m}) or an ISO instant; it must fall
   * within the run.
   *
   * @throws InputException with a one-line reason that does not repeat {@code text}
   */
  public static DriftInjection parse(String text, MonitorSpec spec, Instant start, Duration duration) {
    int atSign = text.indexOf('@');
    int colon = text.lastIndexOf(':');
    if (atSign <= 0 || colon < atSign + 2 || colon == text.length() - 1) {
      throw new InputException("expected FEATURE@TIME:KIND such as income@30m:shift=2");
    }
    String target = text.substring(0, atSign);
    String timeText = text.substring(atSign + 1, colon);
    String kindText = text.substring(colon + 1);
    int eq = kindText.indexOf('=');
    String kindName = eq < 0 ? kindText : kindText.substring(0, eq);
    Kind kind = kind(kindName);
    double amount = eq < 0 ? kind.defaultAmount() : amount(kind, kindText.substring(eq + 1));

    Optional<FeatureSpec> feature = spec.feature(target);
    if (kind == Kind.DECAY) {
      if (!target.equals(PERFORMANCE)) {
        throw new InputException("decay applies to performance (performance@TIME:decay[=p])"
            + (feature.isPresent() ? "; " + target + " is a feature" : ", not " + target));
      }
      return new DriftInjection(target, time(timeText, start, duration), kind, amount);
    }
    if (feature.isEmpty() && target.equals(LABEL)) {
      if (spec.task() == Task.MULTICLASS_CLASSIFICATION && kind != Kind.MIX) {
        throw new InputException("label of a multiclass model takes mix, got " + kindName);
      }
      if (spec.task() != Task.MULTICLASS_CLASSIFICATION && kind != Kind.SHIFT) {
        throw new InputException("label takes shift[=k], got " + kindName);
      }
      return new DriftInjection(target, time(timeText, start, duration), kind, amount);
    }
    if (feature.isEmpty()) {
      if (target.equals(PERFORMANCE)) {
        throw new InputException("performance takes decay[=p], got " + kindName);
      }
      throw new InputException("unknown feature " + target + "; the spec has "
          + spec.features().stream().map(FeatureSpec::name).collect(Collectors.joining(", ")));
    }
    FeatureType type = feature.get().type();
    if (kind == Kind.MISSING) {
      return new DriftInjection(target, time(timeText, start, duration), kind, amount);
    }
    FeatureType needed = kind == Kind.MIX ? FeatureType.CATEGORICAL : FeatureType.NUMERIC;
    if (type != needed) {
      throw new InputException(kind.id() + " applies to " + needed.id() + " features; "
          + target + " is " + type.id());
    }
    return new DriftInjection(target, time(timeText, start, duration), kind, amount);
  }

  private static Kind kind(String name) {
    for (Kind k : Kind.values()) {
      if (k.id().equals(name)) {
        return k;
      }
    }
    throw new InputException("unknown kind \"" + name + "\"; expected shift[=k], scale[=f], mix, decay[=p] or missing[=p]");
  }

  private static double amount(Kind kind, String text) {
    if (kind == Kind.MIX) {
      throw new InputException("mix takes no value, got mix=" + text);
    }
    double v;
    try {
      v = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new InputException(kind.id() + ": not a number: \"" + text + "\"");
    }
    boolean ok = switch (kind) {
      case SHIFT -> Double.isFinite(v);
      case SCALE -> Double.isFinite(v) && v > 0;
      case DECAY -> v >= 0 && v <= 1;
      case MISSING -> v > 0 && v <= 1;
      case MIX -> false;
    };
    if (!ok) {
      String expected = switch (kind) {
        case SHIFT -> "a finite number of standard deviations";
        case SCALE -> "a factor > 0";
        case MISSING -> "a probability in (0, 1]";
        default -> "a probability in [0, 1]";
      };
      throw new InputException(kind.id() + ": expected " + expected + ", got " + text);
    }
    return v;
  }

  private static Instant time(String text, Instant start, Duration duration) {
    Instant at;
    if (text.contains("T")) {
      try {
        at = Instant.parse(text);
      } catch (DateTimeParseException e) {
        throw new InputException("time \"" + text + "\": expected an offset such as 30m or an ISO instant "
            + "such as 2026-01-01T00:30:00Z");
      }
    } else {
      try {
        at = start.plus(DurationText.parse(text));
      } catch (InputException e) {
        throw new InputException("time \"" + text + "\": expected an offset such as 30m or an ISO instant "
            + "such as 2026-01-01T00:30:00Z");
      }
    }
    Instant end = start.plus(duration);
    if (at.isBefore(start) || !at.isBefore(end)) {
      throw new InputException("time " + text + " is outside the run (" + start + " to " + end + ")");
    }
    return at;
  }
}
