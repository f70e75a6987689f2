package dev.driftline.core.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.driftline.core.baseline.Constraints;
import dev.driftline.core.drift.DriftTests;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.drift.NumericSample;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.stats.NumericHistogram;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityChecksTest {
  private static final Constraints NONE = Constraints.NONE;

  private static FeatureQuality numeric(long rows, long missing, long wrongType, double... values) {
    return new FeatureQuality(rows, missing, wrongType, values.length == 0 ? null : NumericSample.of(values), null);
  }

  @Test
  void registryListsEachCheckOnceAfterTheComparisons() {
    assertThat(DriftTests.qualityChecks()).extracting(QualityCheck::id)
        .containsExactly("missing_share", "out_of_range", "unseen_categories", "wrong_type");
    assertThat(DriftTests.comparisons()).noneMatch(t -> t instanceof QualityCheck);
    assertThat(DriftTests.idsFor(FeatureType.NUMERIC)).doesNotContain("missing_share", "out_of_range", "wrong_type");
    assertThat(DriftTests.get("unseen_categories")).isSameAs(UnseenCategoriesCheck.INSTANCE);
  }

  @Test
  void missingShareIsTheTwoProportionZTestAgainstTheReferenceShare() {
    // scipy: p1, p2 = 300/10000, 45/1000; P = 345/11000;
    //   z = (p1 - p2) / sqrt(P (1 - P) (1/10000 + 1/1000)) = -2.594784691635114
    //   2 * scipy.stats.norm.sf(abs(z)) = 0.009465019069054071
    FeatureDrift r = MissingShareCheck.INSTANCE.check("income", FeatureType.NUMERIC, numeric(1000, 45, 0, 1.0),
        new Constraints(null, null, null, 0.03), 10_000, MissingShareCheck.INSTANCE.defaults());
    assertThat(r.test()).isEqualTo("missing_share");
    assertThat(r.statistic()).isEqualTo(0.045);
    assertThat(r.pValue()).isCloseTo(0.009465019069054071, within(1e-12));
    assertThat(r.adjustedPValue()).isEqualTo(r.pValue());
    assertThat((double) r.details().get("z")).isCloseTo(-2.594784691635114, within(1e-12));
    assertThat(r.drift()).isTrue();
    assertThat(r.nReference()).isEqualTo(10_000);
    assertThat(r.nCurrent()).isEqualTo(1000);
    assertThat(r.featureType()).isEqualTo("numeric");
  }

  @Test
  void missingShareSetByHandNeedNotBeACount() {
    // scipy, as above with x1 = 0.02 * 5000 = 100, n1 = 5000, x2 = 13, n2 = 400:
    //   z = -1.6806528403711352, p = 0.09283036578111757
    FeatureDrift r = MissingShareCheck.INSTANCE.check("country", FeatureType.CATEGORICAL,
        new FeatureQuality(400, 13, 0, null, Map.of("DE", 387L)), new Constraints(null, null, null, 0.02), 5000,
        MissingShareCheck.INSTANCE.defaults());
    assertThat(r.pValue()).isCloseTo(0.09283036578111757, within(1e-12));
    assertThat(r.drift()).isFalse();
    assertThat(r.featureType()).isEqualTo("categorical");
  }

  @Test
  void missingShareNeedsRowsAndAReferenceShare() {
    DriftTestSpec spec = MissingShareCheck.INSTANCE.defaults();
    assertThat(MissingShareCheck.INSTANCE.check("x", FeatureType.NUMERIC, numeric(0, 0, 0), new Constraints(null, null,
        null, 0.1), 100, spec)).isNull();
    assertThat(MissingShareCheck.INSTANCE.check("x", FeatureType.NUMERIC, numeric(10, 10, 0), NONE, 100, spec)).isNull();
    // Every cell missing is a result, not a skip: that is what the check is for.
    FeatureDrift allMissing = MissingShareCheck.INSTANCE.check("x", FeatureType.NUMERIC, numeric(10, 10, 0),
        new Constraints(null, null, null, 0.0), 100, spec);
    assertThat(allMissing.statistic()).isEqualTo(1.0);
    assertThat(allMissing.drift()).isTrue();
  }

  @Test
  void outOfRangeCountsValuesBelowMinAndAboveMax() {
    FeatureDrift r = OutOfRangeCheck.INSTANCE.check("age", FeatureType.NUMERIC,
        numeric(10, 2, 0, -1, 0, 5, 10, 10.5, 7, 3, 11), new Constraints(0.0, 10.0, null, null), 500,
        OutOfRangeCheck.INSTANCE.defaults());
    // -1, 10.5 and 11 of 8 values; bounds are inclusive.
    assertThat(r.statistic()).isEqualTo(3.0 / 8);
    assertThat(r.method()).isEqualTo("exact");
    assertThat(r.nCurrent()).isEqualTo(8);
    assertThat(r.threshold()).isEqualTo(0.01);
    assertThat(r.drift()).isTrue();
    assertThat(r.pValue()).isNull();
  }

  @Test
  void outOfRangeWithOneBoundLimitsOneSide() {
    FeatureDrift r = OutOfRangeCheck.INSTANCE.check("age", FeatureType.NUMERIC, numeric(4, 0, 0, -5, 1, 2, 1e9),
        new Constraints(0.0, null, null, null), 500, OutOfRangeCheck.INSTANCE.defaults());
    assertThat(r.statistic()).isEqualTo(0.25);
    assertThat(OutOfRangeCheck.INSTANCE.check("age", FeatureType.NUMERIC, numeric(4, 0, 0, 1, 2), NONE, 500,
        OutOfRangeCheck.INSTANCE.defaults())).isNull();
    assertThat(OutOfRangeCheck.INSTANCE.check("age", FeatureType.NUMERIC, numeric(4, 4, 0),
        new Constraints(0.0, 1.0, null, null), 500, OutOfRangeCheck.INSTANCE.defaults())).isNull();
  }

  @Test
  void outOfRangeOnCoarsenedBucketsCountsByMidpoint() {
    NumericHistogram h = new NumericHistogram(16);
    for (int i = 0; i < 1000; i++) {
      h.add(i);
    }
    FeatureDrift r = OutOfRangeCheck.INSTANCE.check("x", FeatureType.NUMERIC,
        new FeatureQuality(1000, 0, 0, new NumericSample(h.buckets()), null), new Constraints(null, 499.0, null, null),
        1000, OutOfRangeCheck.INSTANCE.defaults());
    assertThat(r.method()).isEqualTo("histogram");
    // 500 values are above 499; midpoints misplace at most one bucket's values.
    assertThat(r.statistic()).isBetween(0.4, 0.6);
  }

  @Test
  void unseenCategoriesIsTheShareOutsideTheKnownList() {
    FeatureDrift r = UnseenCategoriesCheck.INSTANCE.check("country", FeatureType.CATEGORICAL,
        new FeatureQuality(103, 3, 0, null, Map.of("DE", 60L, "FR", 35L, "XX", 4L, "YY", 1L)),
        new Constraints(null, null, List.of("DE", "FR", "IT"), null), 2000, UnseenCategoriesCheck.INSTANCE.defaults());
    assertThat(r.statistic()).isEqualTo(0.05);
    assertThat(r.nCurrent()).isEqualTo(100);
    assertThat(r.drift()).isTrue();
    FeatureDrift none = UnseenCategoriesCheck.INSTANCE.check("country", FeatureType.CATEGORICAL,
        new FeatureQuality(10, 0, 0, null, Map.of("DE", 10L)), new Constraints(null, null, List.of("DE"), null), 2000,
        UnseenCategoriesCheck.INSTANCE.defaults());
    assertThat(none.statistic()).isEqualTo(0.0);
    assertThat(none.drift()).isFalse();
  }

  @Test
  void wrongTypeFailsOnAnyByDefaultAndOnTheShareWhenConfigured() {
    FeatureDrift one = WrongTypeCheck.INSTANCE.check("age", FeatureType.NUMERIC, numeric(200, 3, 1, 1, 2), NONE, 50,
        WrongTypeCheck.INSTANCE.defaults());
    assertThat(one.statistic()).isEqualTo(0.005);
    assertThat(one.drift()).isTrue();
    FeatureDrift tolerated = WrongTypeCheck.INSTANCE.check("age", FeatureType.NUMERIC, numeric(200, 3, 1, 1, 2), NONE,
        50, new DriftTestSpec(WrongTypeCheck.INSTANCE, 0.01, DriftTestSpec.DEFAULT_BINS));
    assertThat(tolerated.drift()).isFalse();
    FeatureDrift clean = WrongTypeCheck.INSTANCE.check("age", FeatureType.NUMERIC, numeric(200, 3, 0, 1, 2), NONE, 50,
        WrongTypeCheck.INSTANCE.defaults());
    assertThat(clean.statistic()).isEqualTo(0.0);
    assertThat(clean.drift()).isFalse();
  }
}
