package dev.driftline.core.synth;

import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.baseline.FeatureBaseline;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * What {@link TrafficGenerator} produces: {@code rate} predictions per second of event time for
 * {@code duration} from {@code start}, and their labels. Immutable; validated on construction
 * (user input is expected to be checked with friendlier messages before, so violations here are
 * {@link IllegalArgumentException}s).
 *
 * @param reference when not null, features are drawn from it; it must cover every spec feature
 *     with the right type
 * @param labelDelay mean of the exponential delay between a prediction and its label, >= 0
 * @param labelMissing fraction of predictions that never get a label, in [0, 1]
 * @param drifts changes injected from their time on, applied in this order
 */
public record TrafficConfig(
    MonitorSpec spec,
    Instant start,
    Duration duration,
    double rate,
    long seed,
    BaselineFile reference,
    Duration labelDelay,
    double labelMissing,
    List<DriftInjection> drifts) {

  public static final Duration DEFAULT_LABEL_DELAY = Duration.ofMinutes(10);
  public static final double DEFAULT_LABEL_MISSING = 0.05;

  public TrafficConfig {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(labelDelay, "labelDelay");
    drifts = List.copyOf(drifts);
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("rate must be a finite number > 0, got " + rate);
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be > 0, got " + duration);
    }
    if (labelDelay.isNegative()) {
      throw new IllegalArgumentException("labelDelay must be >= 0, got " + labelDelay);
    }
    if (!(labelMissing >= 0 && labelMissing <= 1)) {
      throw new IllegalArgumentException("labelMissing must be in [0, 1], got " + labelMissing);
    }
    // Fields are assigned after this body: compute from the parameters.
    if (Math.round(rate * duration.toMillis() / 1000.0) < 1) {
      throw new IllegalArgumentException("rate × duration is less than one prediction");
    }
    if (reference != null) {
      for (FeatureSpec f : spec.features()) {
        FeatureBaseline p = reference.features().get(f.name());
        boolean ok = p != null && (f.type() == FeatureType.NUMERIC
            ? p.numeric() != null
            : p.categories() != null && !p.categories().isEmpty());
        if (!ok) {
          throw new IllegalArgumentException("the reference has no " + f.type().id() + " profile of " + f.name());
        }
      }
    }
  }

  /** Defaults: no reference, labels after 10 minutes on average, 5% of them missing, no drift. */
  public static TrafficConfig of(MonitorSpec spec, Instant start, Duration duration, double rate, long seed) {
    return new TrafficConfig(spec, start, duration, rate, seed, null, DEFAULT_LABEL_DELAY,
        DEFAULT_LABEL_MISSING, List.of());
  }

  /** The start when none is given: {@code now - duration}, truncated to the second. */
  public static Instant defaultStart(Instant now, Duration duration) {
    return now.minus(duration).truncatedTo(ChronoUnit.SECONDS);
  }

  public TrafficConfig withReference(BaselineFile profile) {
    return new TrafficConfig(spec, start, duration, rate, seed, profile, labelDelay, labelMissing, drifts);
  }

  public TrafficConfig withLabels(Duration meanDelay, double missing) {
    return new TrafficConfig(spec, start, duration, rate, seed, reference, meanDelay, missing, drifts);
  }

  public TrafficConfig withDrifts(List<DriftInjection> injections) {
    return new TrafficConfig(spec, start, duration, rate, seed, reference, labelDelay, labelMissing, injections);
  }

  /** Number of predictions: {@code rate × duration}, rounded to the nearest integer. */
  public long predictions() {
    return Math.round(rate * duration.toMillis() / 1000.0);
  }

  public Instant end() {
    return start.plus(duration);
  }
}
