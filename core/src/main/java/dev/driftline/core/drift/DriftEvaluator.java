package dev.driftline.core.drift;

import dev.driftline.core.profile.NumericSummary;
import dev.driftline.core.spec.DriftTest;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.stats.ChiSquare;
import dev.driftline.core.stats.ChiSquareResult;
import dev.driftline.core.stats.Hellinger;
import dev.driftline.core.stats.JensenShannon;
import dev.driftline.core.stats.KolmogorovSmirnov;
import dev.driftline.core.stats.KsResult;
import dev.driftline.core.stats.MultipleTestingMethod;
import dev.driftline.core.stats.Psi;
import dev.driftline.core.stats.PsiResult;
import dev.driftline.core.stats.SketchKsResult;
import dev.driftline.core.stats.Wasserstein;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * Runs a feature's configured drift tests against its reference. Stateless; the same code serves
 * the batch report and the streaming job's window end.
 */
public final class DriftEvaluator {
  /** Quantile grid for Wasserstein against a sketch-only reference. */
  private static final int WASSERSTEIN_GRID = 2000;

  private DriftEvaluator() {}

  /** Numeric feature: {@code current} holds the window's non-missing values (not modified). */
  public static List<FeatureDrift> numeric(
      String feature, NumericSummary reference, long nReference, double[] current, List<DriftTestSpec> tests) {
    if (current.length == 0) {
      throw new IllegalArgumentException(feature + ": no current values");
    }
    return numeric(feature, reference, nReference, NumericSample.of(current), tests);
  }

  /** Numeric feature against a sample that may be exact or sketched. */
  public static List<FeatureDrift> numeric(
      String feature, NumericSummary reference, long nReference, NumericSample current, List<DriftTestSpec> tests) {
    long nCurrent = current.n();
    List<FeatureDrift> out = new ArrayList<>();
    for (DriftTestSpec t : tests) {
      switch (t.test()) {
        case KS:
          out.add(ks(feature, reference, nReference, current, t));
          break;
        case PSI: {
          NumericSummary.Bins bins = bins(feature, reference, t);
          PsiResult psi = Psi.fromBins(bins.edges(), bins.counts(), current.binCounts(bins.edges()));
          out.add(distance(feature, FeatureType.NUMERIC, t, psi.statistic(), binnedMethod(current), nReference,
              nCurrent, psi.level().name().toLowerCase(Locale.ROOT)));
          break;
        }
        case JENSEN_SHANNON:
        case HELLINGER: {
          NumericSummary.Bins bins = bins(feature, reference, t);
          double[] p = toDoubles(bins.counts());
          double[] q = toDoubles(current.binCounts(bins.edges()));
          double d = t.test() == DriftTest.JENSEN_SHANNON ? JensenShannon.distance(p, q) : Hellinger.distance(p, q);
          out.add(distance(feature, FeatureType.NUMERIC, t, d, binnedMethod(current), nReference, nCurrent, null));
          break;
        }
        case WASSERSTEIN: {
          double w;
          String method;
          if (reference.values() != null && current.isExact()) {
            w = Wasserstein.distance(reference.values(), current.values());
            method = "exact";
          } else {
            w = wassersteinBetweenSketches(reference.sketch(), current.sketch());
            method = "sketch";
          }
          // Normalized by the reference spread so one threshold serves every feature's scale.
          double scale = reference.std() > 0 ? reference.std() : 1.0;
          out.add(distance(feature, FeatureType.NUMERIC, t, w / scale, method, nReference, nCurrent, null));
          break;
        }
        default:
          throw new IllegalArgumentException(t.test().id() + " does not apply to numeric feature " + feature);
      }
    }
    return out;
  }

  /** Categorical feature: counts per category, reference and current. */
  public static List<FeatureDrift> categorical(
      String feature, Map<String, Long> reference, Map<String, Long> current, List<DriftTestSpec> tests) {
    long nRef = reference.values().stream().mapToLong(Long::longValue).sum();
    long nCur = current.values().stream().mapToLong(Long::longValue).sum();
    if (nCur == 0) {
      throw new IllegalArgumentException(feature + ": no current values");
    }
    List<FeatureDrift> out = new ArrayList<>();
    for (DriftTestSpec t : tests) {
      switch (t.test()) {
        case CHI2: {
          ChiSquareResult chi = ChiSquare.homogeneity(reference, current);
          out.add(new FeatureDrift(feature, FeatureType.CATEGORICAL.id(), t.test().id(), chi.statistic(),
              chi.pValue(), chi.pValue(), t.threshold(), chi.pValue() < t.threshold(), "counts",
              nRef, nCur, null, null));
          break;
        }
        case PSI: {
          PsiResult psi = Psi.categorical(reference, current);
          out.add(distance(feature, FeatureType.CATEGORICAL, t, psi.statistic(), "counts", nRef, nCur,
              psi.level().name().toLowerCase(Locale.ROOT)));
          break;
        }
        case JENSEN_SHANNON:
          out.add(distance(feature, FeatureType.CATEGORICAL, t, JensenShannon.categorical(reference, current),
              "counts", nRef, nCur, null));
          break;
        case HELLINGER:
          out.add(distance(feature, FeatureType.CATEGORICAL, t, Hellinger.categorical(reference, current),
              "counts", nRef, nCur, null));
          break;
        default:
          throw new IllegalArgumentException(t.test().id() + " does not apply to categorical feature " + feature);
      }
    }
    return out;
  }

  /**
   * Applies multiple-testing control across every p-value result of one model and window, and
   * re-reads each p-value test's drift flag on its adjusted p-value. Distance tests pass through.
   */
  public static List<FeatureDrift> adjust(List<FeatureDrift> results, MultipleTestingMethod method) {
    int[] index = new int[results.size()];
    int m = 0;
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i).pValue() != null) {
        index[m++] = i;
      }
    }
    double[] p = new double[m];
    for (int j = 0; j < m; j++) {
      p[j] = results.get(index[j]).pValue();
    }
    double[] adjusted = m == 0 ? p : method.adjust(p);
    List<FeatureDrift> out = new ArrayList<>(results);
    for (int j = 0; j < m; j++) {
      FeatureDrift r = results.get(index[j]);
      out.set(index[j], r.withAdjusted(adjusted[j], adjusted[j] < r.threshold()));
    }
    return out;
  }

  private static FeatureDrift ks(
      String feature, NumericSummary reference, long nReference, NumericSample current, DriftTestSpec t) {
    if (reference.values() != null && current.isExact()) {
      KsResult ks = KolmogorovSmirnov.twoSample(reference.values(), current.values());
      return new FeatureDrift(feature, FeatureType.NUMERIC.id(), t.test().id(), ks.statistic(), ks.pValue(),
          ks.pValue(), t.threshold(), ks.pValue() < t.threshold(),
          ks.method().name().toLowerCase(Locale.ROOT), nReference, current.n(), null, null);
    }
    SketchKsResult ks = current.isExact()
        ? KolmogorovSmirnov.againstSketch(reference.sketch(), current.values())
        : KolmogorovSmirnov.againstSketch(reference.sketch(), current.sketch());
    // The conservative p (at D minus the sketch error bound) is the one tested: a sketch's error
    // must not raise an alarm on its own.
    double p = ks.conservativePValue();
    return new FeatureDrift(feature, FeatureType.NUMERIC.id(), t.test().id(), ks.statistic(), p, p,
        t.threshold(), p < t.threshold(), "sketch", nReference, current.n(), null, ks.statisticErrorBound());
  }

  private static String binnedMethod(NumericSample current) {
    return current.isExact() ? "binned" : "sketch";
  }

  private static FeatureDrift distance(String feature, FeatureType type, DriftTestSpec t, double d,
      String method, long nRef, long nCur, String level) {
    return new FeatureDrift(feature, type.id(), t.test().id(), d, null, null, t.threshold(),
        t.test().isDrift(d, t.threshold()), method, nRef, nCur, level, null);
  }

  private static NumericSummary.Bins bins(String feature, NumericSummary reference, DriftTestSpec t) {
    NumericSummary.Bins bins = reference.binsFor(t.bins());
    if (bins == null) {
      throw new IllegalArgumentException("the reference of " + feature + " has no " + t.bins()
          + "-bin edges; rebuild it with the current spec");
    }
    return bins;
  }

  private static double[] toDoubles(long[] counts) {
    return Arrays.stream(counts).asDoubleStream().toArray();
  }

  /** W1 = ∫|F⁻¹(u) − G⁻¹(u)| du on a midpoint grid of u, with both inverses from sketches. */
  static double wassersteinBetweenSketches(KllDoublesSketch reference, KllDoublesSketch current) {
    double[] ranks = new double[WASSERSTEIN_GRID];
    for (int i = 0; i < WASSERSTEIN_GRID; i++) {
      ranks[i] = (i + 0.5) / WASSERSTEIN_GRID;
    }
    double[] refQ = reference.getQuantiles(ranks);
    double[] curQ = current.getQuantiles(ranks);
    double sum = 0;
    for (int i = 0; i < WASSERSTEIN_GRID; i++) {
      sum += Math.abs(refQ[i] - curQ[i]);
    }
    return sum / WASSERSTEIN_GRID;
  }
}
