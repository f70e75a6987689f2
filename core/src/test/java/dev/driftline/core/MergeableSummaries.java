package dev.driftline.core;

import java.io.ByteArrayOutputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;

/**
 * Test helpers for the mergeable summaries (counts, exact sums): the partials subtasks build, merged
 * in a random tree, and a summary's binary form.
 */
public final class MergeableSummaries {
  private MergeableSummaries() {}

  /** A summary's binary form: what it writes to its state. */
  public interface Writable {
    void write(DataOutput out) throws IOException;
  }

  /** The bytes {@code summary} writes. */
  public static byte[] bytes(Writable summary) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(b)) {
      summary.write(out);
    }
    return b.toByteArray();
  }

  /**
   * Items {@code 0..n-1} added in consecutive parts of random lengths (1 to {@code n / partDivisor + 1}),
   * one summary each, then merged two at a time in random order until one is left, as subtasks'
   * partials are.
   */
  public static <S> S randomMergeTree(int n, int partDivisor, SplittableRandom r, Supplier<S> empty,
      ObjIntConsumer<S> addItem, BiConsumer<S, S> merge) {
    List<S> parts = new ArrayList<>();
    int i = 0;
    while (i < n) {
      int len = Math.min(n - i, 1 + r.nextInt(n / partDivisor + 1));
      S s = empty.get();
      for (int j = i; j < i + len; j++) {
        addItem.accept(s, j);
      }
      parts.add(s);
      i += len;
    }
    while (parts.size() > 1) {
      S a = parts.remove(r.nextInt(parts.size()));
      merge.accept(a, parts.remove(r.nextInt(parts.size())));
      parts.add(a);
    }
    return parts.get(0);
  }

  /** Fisher–Yates shuffle of {@code v} in place. */
  public static void shuffle(double[][] v, SplittableRandom r) {
    for (int i = v.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      double[] t = v[i];
      v[i] = v[j];
      v[j] = t;
    }
  }
}
