package dev.driftline.core.spec;

import java.io.Serializable;

import dev.driftline.core.stats.MultipleTestingMethod;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything Driftline needs to monitor one model, read from one YAML file and validated there.
 * Immutable; build it with {@link MonitorSpecParser}.
 *
 * @param specHash SHA-256 (hex) of the spec's canonical JSON form: the same content hashes the same
 *     whatever its formatting or comments, so a profile can say which spec it was built for
 * @param maxLabelDelay how long a prediction waits for its label and a label for its prediction
 *     (event time); kept at its default when the model has no labels
 * @param labelled false for {@code labels: none}: the model gets no labels, so its predictions
 *     skip the label join (its performance windows only count predictions) and a label for it
 *     is a dead letter
 * @param estimation performance estimation before labels (off for regressors)
 * @param dataQuality the data-quality checks ({@code data_quality}) run on every feature of their
 *     types; empty when the spec names none
 * @param pca multivariate drift by PCA reconstruction error; {@link PcaSpec#OFF} unless the spec has {@code pca}
 * @param classes a multiclass classifier's classes, in the order of its class probabilities (at
 *     least three, distinct); empty for other tasks
 */
public record MonitorSpec(
    String modelId,
    Task task,
    FieldNames fields,
    double classificationThreshold,
    Duration maxLabelDelay,
    boolean labelled,
    List<FeatureSpec> features,
    ReferenceSpec reference,
    WindowSpec window,
    List<DriftTestSpec> numericTests,
    List<DriftTestSpec> categoricalTests,
    MultipleTestingMethod multipleTesting,
    PolicySpec policy,
    EstimationSpec estimation,
    List<DriftTestSpec> dataQuality,
    PcaSpec pca,
    String specHash,
    List<String> classes) implements Serializable {

  public MonitorSpec {
    features = List.copyOf(features);
    numericTests = List.copyOf(numericTests);
    categoricalTests = List.copyOf(categoricalTests);
    dataQuality = List.copyOf(dataQuality);
    classes = classes == null ? List.of() : List.copyOf(classes);
  }

  /** The index of class {@code name} in {@link #classes()}, or -1 when it is not one. */
  public int classIndex(String name) {
    return classes.indexOf(name);
  }

  /** The names of the numeric features, in spec order: the columns of the {@code pca} model. */
  public List<String> numericFeatureNames() {
    return features.stream().filter(f -> f.type() == FeatureType.NUMERIC).map(FeatureSpec::name).toList();
  }

  public Optional<FeatureSpec> feature(String name) {
    return features.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /** The tests of features of {@code type} that have none of their own. */
  public List<DriftTestSpec> testsFor(FeatureType type) {
    return type == FeatureType.NUMERIC ? numericTests : categoricalTests;
  }

  /** The tests run on {@code feature}: its own, else its type's. */
  public List<DriftTestSpec> testsFor(FeatureSpec feature) {
    return feature.tests() != null ? feature.tests() : testsFor(feature.type());
  }

  /**
   * Every bin count a binned numeric test of the spec uses (always including the default 10): the
   * bins a baseline keeps. The score takes the numeric tests.
   */
  public int[] binCounts() {
    java.util.TreeSet<Integer> counts = new java.util.TreeSet<>();
    counts.add(DriftTestSpec.DEFAULT_BINS);
    numericTests.forEach(t -> counts.add(t.bins()));
    for (FeatureSpec f : features) {
      if (f.type() == FeatureType.NUMERIC && f.tests() != null) {
        f.tests().forEach(t -> counts.add(t.bins()));
      }
    }
    return counts.stream().mapToInt(Integer::intValue).toArray();
  }
}
