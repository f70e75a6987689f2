package dev.driftline.core.window;

import dev.driftline.core.drift.NumericSample;
import dev.driftline.core.profile.FeatureProfile;
import dev.driftline.core.profile.NumericSummary;
import dev.driftline.core.profile.ProfileBuilder;
import dev.driftline.core.profile.ReferenceProfile;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * What a window is compared with: per numeric feature (and the score, under the spec's score field
 * name) a {@link NumericSummary}, per categorical feature its counts. Built from a profile, or from
 * an earlier window of the stream (previous or pinned).
 *
 * @param referenceId recorded in every result computed against it
 */
public record Baseline(
    String referenceId,
    Map<String, NumericSummary> numeric,
    Map<String, Map<String, Long>> categorical,
    Map<String, Long> counts) implements Serializable {

  public static Baseline fromProfile(ReferenceProfile profile, MonitorSpec spec) {
    Map<String, NumericSummary> numeric = new HashMap<>();
    Map<String, Map<String, Long>> categorical = new HashMap<>();
    Map<String, Long> counts = new HashMap<>();
    for (FeatureSpec f : spec.features()) {
      FeatureProfile fp = profile.features().get(f.name());
      if (fp == null) {
        continue;
      }
      counts.put(f.name(), fp.count());
      if (fp.numeric() != null) {
        numeric.put(f.name(), fp.numeric());
      } else if (fp.categories() != null) {
        categorical.put(f.name(), fp.categories());
      }
    }
    if (profile.score() != null && profile.score().numeric() != null) {
      numeric.put(spec.fields().score(), profile.score().numeric());
      counts.put(spec.fields().score(), profile.score().count());
    }
    return new Baseline(profile.profileId(), numeric, categorical, counts);
  }

  /** A baseline from a window of the stream; slots without values are left out. */
  public static Baseline fromWindow(WindowSummary window, MonitorSpec spec, String referenceId) {
    int[] binCounts = binCounts(spec);
    Map<String, NumericSummary> numeric = new HashMap<>();
    Map<String, Map<String, Long>> categorical = new HashMap<>();
    Map<String, Long> counts = new HashMap<>();
    List<FeatureSpec> features = spec.features();
    for (int i = 0; i <= features.size(); i++) {
      String name = i == features.size() ? spec.fields().score() : features.get(i).name();
      if (window.isNumeric(i)) {
        NumericSample sample = window.numeric(i);
        if (sample != null) {
          numeric.put(name, summarize(sample, binCounts));
          counts.put(name, sample.n());
        }
      } else if (!window.categories(i).isEmpty()) {
        categorical.put(name, Map.copyOf(window.categories(i)));
        counts.put(name, window.categories(i).values().stream().mapToLong(Long::longValue).sum());
      }
    }
    return new Baseline(referenceId, numeric, categorical, counts);
  }

  private static int[] binCounts(MonitorSpec spec) {
    TreeSet<Integer> bins = new TreeSet<>();
    bins.add(DriftTestSpec.DEFAULT_BINS);
    spec.numericTests().forEach(t -> bins.add(t.bins()));
    return bins.stream().mapToInt(Integer::intValue).toArray();
  }

  /** A reference summary of a window sample: exact where the values were kept, sketched otherwise. */
  static NumericSummary summarize(NumericSample sample, int[] binCounts) {
    if (sample.isExact()) {
      return ProfileBuilder.summarize(sample.values(), binCounts);
    }
    KllDoublesSketch sketch = sample.sketch();
    int grid = 1000;
    double[] ranks = new double[grid];
    for (int i = 0; i < grid; i++) {
      ranks[i] = (i + 0.5) / grid;
    }
    double[] q = sketch.getQuantiles(ranks);
    double mean = Arrays.stream(q).average().orElse(0);
    double var = Arrays.stream(q).map(v -> (v - mean) * (v - mean)).sum() / (grid - 1);
    List<NumericSummary.Bins> bins = Arrays.stream(binCounts).mapToObj(k -> {
      double[] levels = new double[k - 1];
      for (int i = 1; i < k; i++) {
        levels[i - 1] = (double) i / k;
      }
      double[] edges = Arrays.stream(sketch.getQuantiles(levels)).distinct().sorted().toArray();
      return new NumericSummary.Bins(k, edges, sample.binCounts(edges));
    }).toList();
    return new NumericSummary(mean, Math.sqrt(var), sketch.getMinItem(), sketch.getMaxItem(),
        Base64.getEncoder().encodeToString(sketch.toByteArray()), null, bins);
  }
}
