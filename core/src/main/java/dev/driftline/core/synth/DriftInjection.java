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
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A change injected into generated traffic from event time {@code at} on, written
 * {@code FEATURE@TIME:KIND} ({@code income@30m:shift=2}, {@code loan_purpose@2026-01-01T01:00:00Z:mix},
 * {@code performance@45m:decay=0.7}, {@code label@2h:shift=1}, {@code debt_to_income@1h:missing=0.6},
 * {@code age+months_employed@1h:correlation=0.8}; for a multiclass model {@code label@2h:mix}).
 *
 * @param target a spec feature, {@link #PERFORMANCE} for {@link Kind#DECAY}, {@link #LABEL} for
 *     a {@link Kind#SHIFT} of the labels or a {@link Kind#MIX} of a multiclass model's label classes
 *     (unless the spec has a feature of that name), or two distinct numeric features joined by
 *     {@code +} for {@link Kind#CORRELATION}
 * @param at first event time (inclusive) the change applies to
 * @param amount k standard deviations for SHIFT (for labels: a classifier's log-odds + k, a
 *     regressor's label + k standard deviations; the scores stay as they were), the spread factor for SCALE, the probability that
 *     a label ignores the score for DECAY, the probability that a value is logged as null for
 *     MISSING, the Spearman rank correlation of the two features for CORRELATION, NaN for MIX
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
    MISSING("missing", 0.5),
    /**
     * Two numeric features: coupled by a Gaussian copula whose Spearman rank correlation is amount,
     * so each keeps its own distribution while the two move together (or apart). A later
     * correlation injection on a feature replaces an earlier one once in force.
     */
    CORRELATION("correlation", 0.8);

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

  /** The two features of a {@link Kind#CORRELATION} injection, in the order written. */
  public List<String> pair() {
    if (kind != Kind.CORRELATION) {
      throw new IllegalStateException(kind.id() + " applies to one target, not a pair: " + target);
    }
    int plus = target.indexOf('+');
    return List.of(target.substring(0, plus), target.substring(plus + 1));
  }

  /**
   * The correlation of the Gaussian copula of a {@link Kind#CORRELATION} injection, whose Spearman
   * rank correlation is {@link #amount()}: {@code 2 sin(π r / 6)}.
   */
  public double copulaCorrelation() {
    return Math.max(-1, Math.min(1, 2 * Math.sin(Math.PI * amount / 6)));
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

    if (kind == Kind.CORRELATION || target.contains("+")) {
      checkPair(target, kind, spec);
      return new DriftInjection(target, time(timeText, start, duration), kind, amount);
    }
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

  private static void checkPair(String target, Kind kind, MonitorSpec spec) {
    int plus = target.indexOf('+');
    if (kind != Kind.CORRELATION) {
      throw new InputException("two features (" + target + ") take correlation[=r], got " + kind.id());
    }
    if (plus <= 0 || plus == target.length() - 1 || target.indexOf('+', plus + 1) >= 0) {
      throw new InputException("correlation applies to two numeric features "
          + "(FEATURE+FEATURE@TIME:correlation[=r]), got " + target);
    }
    String first = target.substring(0, plus);
    String second = target.substring(plus + 1);
    if (first.equals(second)) {
      throw new InputException("correlation applies to two different features, got " + first + " twice");
    }
    for (String name : List.of(first, second)) {
      FeatureSpec f = spec.feature(name).orElseThrow(() -> new InputException("unknown feature " + name + "; the spec has "
          + spec.features().stream().map(FeatureSpec::name).collect(Collectors.joining(", "))));
      if (f.type() != FeatureType.NUMERIC) {
        throw new InputException("correlation applies to numeric features; " + name + " is " + f.type().id());
      }
    }
  }

  private static Kind kind(String name) {
    for (Kind k : Kind.values()) {
      if (k.id().equals(name)) {
        return k;
      }
    }
    throw new InputException("unknown kind \"" + name + "\"; expected shift[=k], scale[=f], mix, decay[=p], missing[=p] or correlation[=r]");
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
      case CORRELATION -> v >= -1 && v <= 1;
      case MIX -> false;
    };
    if (!ok) {
      String expected = switch (kind) {
        case SHIFT -> "a finite number of standard deviations";
        case SCALE -> "a factor > 0";
        case MISSING -> "a probability in (0, 1]";
        case CORRELATION -> "a rank correlation in [-1, 1]";
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
