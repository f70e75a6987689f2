package dev.driftline.core.drift;

import dev.driftline.core.drift.methods.AutoDriftTest;
import dev.driftline.core.drift.methods.ChiSquareDriftTest;
import dev.driftline.core.drift.methods.EnergyDistanceDriftTest;
import dev.driftline.core.drift.methods.HellingerDriftTest;
import dev.driftline.core.drift.methods.JensenShannonDriftTest;
import dev.driftline.core.drift.methods.KsDriftTest;
import dev.driftline.core.drift.methods.PcaReconstructionDriftTest;
import dev.driftline.core.drift.methods.PsiDriftTest;
import dev.driftline.core.drift.methods.WassersteinDriftTest;
import dev.driftline.core.drift.methods.ZTestDriftTest;
import dev.driftline.core.quality.MissingShareCheck;
import dev.driftline.core.quality.OutOfRangeCheck;
import dev.driftline.core.quality.QualityCheck;
import dev.driftline.core.quality.UnseenCategoriesCheck;
import dev.driftline.core.quality.WrongTypeCheck;
import dev.driftline.core.spec.FeatureType;
import java.util.List;
import java.util.Optional;

/**
 * The one list of drift tests: the spec parser, the evaluator, {@code auto}, the CLI, the
 * drift-result schema and the docs read it. It holds the tests that compare a window's distribution
 * with the reference's ({@link #comparisons()}, configured under a spec's {@code tests}) and the
 * data-quality checks ({@link #qualityChecks()}, configured under {@code data_quality}).
 */
public final class DriftTests {
  private static final List<DriftTest> ALL = List.of(
      KsDriftTest.INSTANCE,
      PsiDriftTest.INSTANCE,
      ChiSquareDriftTest.INSTANCE,
      JensenShannonDriftTest.INSTANCE,
      WassersteinDriftTest.INSTANCE,
      EnergyDistanceDriftTest.INSTANCE,
      HellingerDriftTest.INSTANCE,
      ZTestDriftTest.INSTANCE,
      AutoDriftTest.INSTANCE,
      PcaReconstructionDriftTest.INSTANCE,
      MissingShareCheck.INSTANCE,
      OutOfRangeCheck.INSTANCE,
      UnseenCategoriesCheck.INSTANCE,
      WrongTypeCheck.INSTANCE);

  private DriftTests() {}

  /** Every registered test, in the order help texts list them. */
  public static List<DriftTest> all() {
    return ALL;
  }

  /**
   * The tests that compare one feature's distributions, in registration order (what {@code tests}
   * and {@code stats} offer); not the multivariate ones.
   */
  public static List<DriftTest> comparisons() {
    return ALL.stream().filter(t -> !(t instanceof QualityCheck) && !t.multivariate()).toList();
  }

  /** The data-quality checks, in registration order. */
  public static List<QualityCheck> qualityChecks() {
    return ALL.stream().filter(t -> t instanceof QualityCheck).map(t -> (QualityCheck) t).toList();
  }

  /** Whether {@code id} names a data-quality check (its results are not drift). */
  public static boolean isQualityCheck(String id) {
    return find(id).map(t -> t instanceof QualityCheck).orElse(false);
  }

  /** The test named {@code name} (its id or an alias). */
  public static Optional<DriftTest> find(String name) {
    return ALL.stream().filter(t -> t.id().equals(name) || t.aliases().contains(name)).findFirst();
  }

  /** The test with id {@code id}; an unknown id is a programming error. */
  public static DriftTest get(String id) {
    return find(id).orElseThrow(() -> new IllegalArgumentException("no drift test " + id));
  }

  /** Ids of the comparison tests that apply to {@code type}, in registration order. */
  public static List<String> idsFor(FeatureType type) {
    return comparisons().stream().filter(t -> t.appliesTo(type)).map(DriftTest::id).toList();
  }
}
