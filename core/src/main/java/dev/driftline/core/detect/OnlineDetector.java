package dev.driftline.core.detect;

import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.SpecNode;
import dev.driftline.core.spec.Task;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * One online change detector of the retraining policy: its key under the spec's {@code policy},
 * its options and their validation, what it watches, and how one value moves its state.
 *
 * <p>A detector sees one value per window (the window's error rate, or the drift statistic of
 * one feature) and decides whether that value completes a change worth retraining for. All its
 * memory is in a state object of {@link #stateType()}: a plain class that Jackson writes as JSON,
 * bounded whatever the stream's length, so the policy can keep it in Flink keyed state and a
 * restore continues exactly where the run stopped. {@link #update} is deterministic: the same
 * state and value always give the same decision.
 *
 * <p>Implementations are stateless singletons (one-constant enums, so Java serialization keeps
 * them singletons) listed in {@link OnlineDetectors}, which the spec parser and the policy engine
 * read. Adding a detector is one class, one line in {@link OnlineDetectors} and its tests.
 *
 * @param <O> its options, immutable and serializable (they travel inside the monitor spec)
 * @param <S> its state, a mutable plain class with public fields (or a record) that JSON round-trips
 */
public interface OnlineDetector<O extends Serializable, S> extends Serializable {

  /** Key under {@code policy} in specs, name in evidence ({@code page_hinkley}, {@code adwin}, ...). */
  String id();

  /** One line for help texts. */
  String description();

  /**
   * Reads and validates its options from {@code policy.<id>} (present, possibly an empty mapping
   * for the defaults); every error names the spec path.
   */
  O options(SpecNode options, Context context);

  /** What it watches with these options. */
  Watch watch(O options);

  /** The class of its state, for reading it back from JSON. */
  Class<S> stateType();

  /**
   * A fresh state. {@code seed} is fixed for a (model, segment, spec): a detector that draws random
   * numbers draws them from it, so a replay or a restore draws the same ones.
   */
  S start(O options, long seed);

  /**
   * Whether a stored state was built for these options; when not (the spec changed what the state
   * depends on), the detector starts afresh.
   */
  default boolean fits(O options, S state) {
    return true;
  }

  /** Feeds one value: updates {@code state} in place and says whether the detector fired. */
  Detection update(O options, S state, double value);

  /** The detector with the options read from {@code options}. */
  default DetectorSpec<O, S> configure(SpecNode options, Context context) {
    return new DetectorSpec<>(this, options(options, context));
  }

  /** What a detector's options may refer to: the spec's task, features and their tests. */
  record Context(Task task, List<FeatureSpec> features, List<DriftTestSpec> numericTests,
      List<DriftTestSpec> categoricalTests) {

    public Optional<FeatureSpec> feature(String name) {
      return features.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** The ids of the tests run on {@code feature} (its own, else its type's), in spec order. */
    public List<String> testIds(FeatureSpec feature) {
      List<DriftTestSpec> tests = feature.tests() != null ? feature.tests()
          : feature.type() == FeatureType.NUMERIC ? numericTests : categoricalTests;
      return tests.stream().map(t -> t.test().id()).toList();
    }
  }
}
