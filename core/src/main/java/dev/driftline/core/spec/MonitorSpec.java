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
 */
public record MonitorSpec(
    String modelId,
    Task task,
    FieldNames fields,
    double classificationThreshold,
    Duration maxLabelDelay,
    List<FeatureSpec> features,
    ReferenceSpec reference,
    WindowSpec window,
    List<DriftTestSpec> numericTests,
    List<DriftTestSpec> categoricalTests,
    MultipleTestingMethod multipleTesting,
    PolicySpec policy,
    String specHash) implements Serializable {

  public MonitorSpec {
    features = List.copyOf(features);
    numericTests = List.copyOf(numericTests);
    categoricalTests = List.copyOf(categoricalTests);
  }

  public Optional<FeatureSpec> feature(String name) {
    return features.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  public List<DriftTestSpec> testsFor(FeatureType type) {
    return type == FeatureType.NUMERIC ? numericTests : categoricalTests;
  }
}
