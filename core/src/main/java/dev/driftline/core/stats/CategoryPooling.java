package dev.driftline.core.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pools rare categories before a chi-square test, as Cochran's rule asks: the chi-square
 * distribution of the statistic needs about {@code minExpected} expected counts per cell, and cells
 * with less make the test fire too often (STATISTICS.md shows it on 20 and 50 categories). Every
 * category whose expected count in the smaller sample is below {@code minExpected} goes into one
 * pooled category; while the pool itself is below it, the next rarest category joins. The result
 * depends only on the counts (ties broken by name).
 */
public final class CategoryPooling {
  /** The name of the pooled category in the returned maps. */
  public static final String POOLED = "\u0000pooled";

  private CategoryPooling() {}

  /** The counts after pooling, and how many categories went into the pool (0 when none). */
  public record Pooled(Map<String, Long> reference, Map<String, Long> current, int pooledCategories) {}

  public static Pooled pool(Map<String, Long> reference, Map<String, Long> current, double minExpected) {
    long refTotal = StatsInputs.requireCounts("reference", reference);
    long curTotal = StatsInputs.requireCounts("current", current);
    String[] union = StatsInputs.unionOfCategories(reference, current);
    double smaller = Math.min(refTotal, curTotal);
    double total = (double) refTotal + curTotal;
    List<String> byColumn = new ArrayList<>(List.of(union));
    byColumn.removeIf(c -> column(reference, current, c) == 0);
    byColumn.sort(Comparator.comparingLong((String c) -> column(reference, current, c)).thenComparing(c -> c));
    int pooled = 0;
    long poolColumn = 0;
    while (pooled < byColumn.size()) {
      long next = column(reference, current, byColumn.get(pooled));
      boolean rare = smaller * next / total < minExpected;
      boolean poolShort = pooled > 0 && smaller * poolColumn / total < minExpected;
      if (!rare && !poolShort) {
        break;
      }
      poolColumn += next;
      pooled++;
    }
    if (pooled < 2) {
      return new Pooled(reference, current, 0);
    }
    Map<String, Long> ref = new LinkedHashMap<>();
    Map<String, Long> cur = new LinkedHashMap<>();
    for (int i = 0; i < byColumn.size(); i++) {
      String category = byColumn.get(i);
      String into = i < pooled ? POOLED : category;
      ref.merge(into, reference.getOrDefault(category, 0L), Long::sum);
      cur.merge(into, current.getOrDefault(category, 0L), Long::sum);
    }
    return new Pooled(ref, cur, pooled);
  }

  private static long column(Map<String, Long> reference, Map<String, Long> current, String category) {
    return reference.getOrDefault(category, 0L) + current.getOrDefault(category, 0L);
  }
}
