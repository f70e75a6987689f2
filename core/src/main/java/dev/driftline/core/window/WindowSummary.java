package dev.driftline.core.window;

import dev.driftline.core.drift.NumericSample;
import dev.driftline.core.estimation.ClassScoreSummary;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.io.ByteSink;
import dev.driftline.core.quality.FeatureQuality;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.Task;
import dev.driftline.core.stats.ExactSum;
import dev.driftline.core.stats.NumericHistogram;
import dev.driftline.core.stats.PcaModel;
import java.io.ByteArrayInputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a window keeps about one model's predictions, for all its features at once: per
 * numeric feature (and the score, the last slot) a {@link NumericHistogram} of at most
 * {@link #MAX_BUCKETS} buckets (every value exactly while there are at most that many distinct
 * ones); per categorical feature the count of each category; per feature the count of missing
 * values, and of those the values that had the wrong type (see {@link Prediction}). Its size is bounded whatever the traffic: at most {@code slots × MAX_BUCKETS} (key, count)
 * pairs plus the distinct categories.
 *
 * <p>Its content, and so its binary form and every result computed from it, depends only on the
 * predictions added, not on their order or on how partial summaries were merged.
 *
 * <p>Mutable and not thread-safe: one instance belongs to one window of one key.
 */
public final class WindowSummary {
  /**
   * Buckets per numeric slot: up to this many distinct values are kept exactly (so tests on small
   * windows, and on discrete features at any size, are exact); past it the buckets are coarsened
   * to about 2<sup>-8</sup>–2<sup>-5</sup> relative width for typical features.
   */
  public static final int MAX_BUCKETS = 2_048;

  private final boolean[] numericSlot;
  private long count;
  private long minTimestamp = Long.MAX_VALUE;
  private long maxTimestamp = Long.MIN_VALUE;
  private final long[] missing;
  /** Per slot, values of the wrong type (also counted in {@link #missing}). */
  private final long[] wrongType;
  private final NumericHistogram[] histograms;
  /** Per categorical slot, each category's count (a one-element array, counted in place). */
  private final HashMap<String, long[]>[] categories;
  /** The reconstruction errors of the spec's {@code pca}, or null when the spec does not ask for it. */
  private ReconstructionErrors reconstruction;
  /**
   * A multiclass classifier's class probabilities, for estimated performance; null for the other
   * tasks, and for a multiclass window some of whose predictions were counted by a summary without
   * them (restored from a version before 6), which then has no estimate.
   */
  private ClassScoreSummary classScores;

  /**
   * Count, exact sum and exact sum of squares of the window's PCA reconstruction errors, and the
   * profile whose model scored them: bounded, mergeable and independent of the order the errors
   * came in (errors of two profiles merge into {@link #MIXED}).
   */
  public static final class ReconstructionErrors {
    /** The {@link #profileId()} of errors scored against more than one profile. */
    public static final String MIXED = "<mixed>";
    private long count;
    private final ExactSum sum = new ExactSum();
    private final ExactSum squares = new ExactSum();
    private String profileId;

    void add(double error, String scoredAgainst) {
      profileId = count == 0 ? scoredAgainst : combined(profileId, scoredAgainst);
      count++;
      sum.add(error);
      squares.add(error * error);
    }

    void merge(ReconstructionErrors other) {
      if (other.count > 0) {
        profileId = count == 0 ? other.profileId : combined(profileId, other.profileId);
      }
      count += other.count;
      sum.merge(other.sum);
      squares.merge(other.squares);
    }

    private static String combined(String a, String b) {
      return a != null && a.equals(b) ? a : MIXED;
    }

    public long count() {
      return count;
    }

    /**
     * The profile id whose model scored every error, {@link #MIXED} when they came from more than
     * one, null without errors (or when read from a summary of version 4, which did not record it).
     */
    public String profileId() {
      return profileId;
    }

    /** The window's mean error, what {@code pca_reconstruction} compares; NaN without errors. */
    public double mean() {
      return count == 0 ? Double.NaN : sum.value() / count;
    }

    /** The population standard deviation of the window's errors; NaN without errors. */
    public double std() {
      if (count == 0) {
        return Double.NaN;
      }
      double m = mean();
      return Math.sqrt(Math.max(0, squares.value() / count - m * m));
    }
  }

  /** An empty summary for {@code spec}'s features plus the score. */
  public static WindowSummary empty(MonitorSpec spec) {
    List<FeatureSpec> features = spec.features();
    boolean[] numeric = new boolean[features.size() + 1];
    for (int i = 0; i < features.size(); i++) {
      numeric[i] = features.get(i).type() == FeatureType.NUMERIC;
    }
    numeric[features.size()] = true;
    WindowSummary summary = new WindowSummary(numeric);
    if (spec.pca().enabled()) {
      summary.reconstruction = new ReconstructionErrors();
    }
    if (spec.task() == Task.MULTICLASS_CLASSIFICATION) {
      summary.classScores = new ClassScoreSummary(spec.classes().size());
    }
    return summary;
  }

  @SuppressWarnings("unchecked")
  private WindowSummary(boolean[] numericSlot) {
    int slots = numericSlot.length;
    this.numericSlot = numericSlot;
    this.missing = new long[slots];
    this.wrongType = new long[slots];
    this.histograms = new NumericHistogram[slots];
    this.categories = new HashMap[slots];
    for (int i = 0; i < slots; i++) {
      if (numericSlot[i]) {
        histograms[i] = new NumericHistogram(MAX_BUCKETS);
      } else {
        categories[i] = new HashMap<>();
      }
    }
  }

  /** Adds one prediction of this summary's model (its arrays follow the spec's feature order). */
  public void add(Prediction p) {
    count++;
    minTimestamp = Math.min(minTimestamp, p.timestamp());
    maxTimestamp = Math.max(maxTimestamp, p.timestamp());
    int features = numericSlot.length - 1;
    for (int i = 0; i < features; i++) {
      if (numericSlot[i]) {
        addNumber(i, p.numeric()[i]);
        if (p.wrongType(i, FeatureType.NUMERIC)) {
          wrongType[i]++;
        }
      } else if (p.categorical()[i] == null) {
        missing[i]++;
        if (p.wrongType(i, FeatureType.CATEGORICAL)) {
          wrongType[i]++;
        }
      } else {
        count(categories[i], p.categorical()[i], 1);
      }
    }
    addNumber(features, p.score());
    if (classScores != null && p.classScores() != null) {
      classScores.add(p.classScores());
    }
  }

  /**
   * Adds one prediction and, when the spec has {@code pca} and there is a model ({@code pca} not
   * null, from the profile {@code profileId}), its reconstruction error: each prediction is scored
   * once, in O(features × components).
   */
  public void add(Prediction p, PcaModel pca, String profileId) {
    add(p);
    if (pca != null && reconstruction != null) {
      double[] row = new double[pca.features().size()];
      int j = 0;
      for (int i = 0; i < numericSlot.length - 1 && j < row.length; i++) {
        if (numericSlot[i]) {
          row[j++] = p.numeric()[i];
        }
      }
      reconstruction.add(pca.reconstructionError(row), profileId);
    }
  }

  /**
   * Adds one prediction's reconstruction error (finite, from the {@code pca} model of the profile
   * {@code profileId}); a summary whose spec has no {@code pca} refuses it.
   */
  public void addReconstructionError(double error, String profileId) {
    if (reconstruction == null) {
      throw new IllegalStateException("window summary of a spec without pca");
    }
    reconstruction.add(error, profileId);
  }

  /**
   * A multiclass classifier's class probabilities of the window's predictions (those that had
   * them), or null: another task, or a window partly counted before summaries kept them.
   */
  public ClassScoreSummary classScores() {
    return classScores;
  }

  /** The window's reconstruction errors, or null when the spec has no {@code pca}. */
  public ReconstructionErrors reconstruction() {
    return reconstruction;
  }

  private void addNumber(int slot, double v) {
    if (Double.isNaN(v)) {
      missing[slot]++;
      return;
    }
    histograms[slot].add(v);
  }

  private static void count(HashMap<String, long[]> counts, String category, long n) {
    long[] c = counts.get(category);
    if (c == null) {
      counts.put(category, new long[] {n});
    } else {
      c[0] += n;
    }
  }

  /** Folds {@code other} (same spec) into this one. */
  public void merge(WindowSummary other) {
    if (other.numericSlot.length != numericSlot.length) {
      throw new IllegalArgumentException("summaries of different specs");
    }
    if ((reconstruction == null) != (other.reconstruction == null)) {
      throw new IllegalArgumentException("summaries of different specs: one with pca, one without");
    }
    if (reconstruction != null) {
      reconstruction.merge(other.reconstruction);
    }
    if (classScores != null && other.classScores != null) {
      classScores.merge(other.classScores);
    } else {
      classScores = null; // a part without them: the window's rows are not all known
    }
    count += other.count;
    minTimestamp = Math.min(minTimestamp, other.minTimestamp);
    maxTimestamp = Math.max(maxTimestamp, other.maxTimestamp);
    for (int i = 0; i < numericSlot.length; i++) {
      missing[i] += other.missing[i];
      wrongType[i] += other.wrongType[i];
      if (numericSlot[i]) {
        histograms[i].merge(other.histograms[i]);
      } else {
        HashMap<String, long[]> mine = categories[i];
        other.categories[i].forEach((k, v) -> count(mine, k, v[0]));
      }
    }
  }

  public long count() {
    return count;
  }

  public long minTimestamp() {
    return minTimestamp;
  }

  public long maxTimestamp() {
    return maxTimestamp;
  }

  /** Slot {@code i}'s missing values (the score is the last slot, {@code features.size()}). */
  public long missing(int slot) {
    return missing[slot];
  }

  /** Slot {@code i}'s values of the wrong type (counted in {@link #missing(int)} too). */
  public long wrongType(int slot) {
    return wrongType[slot];
  }

  /** What the data-quality checks read of feature slot {@code slot}. */
  public FeatureQuality quality(int slot) {
    return new FeatureQuality(count, missing[slot], wrongType[slot], numericSlot[slot] ? numeric(slot) : null,
        numericSlot[slot] ? null : categories(slot));
  }

  /** The values of numeric slot {@code slot}, or null when it has none. */
  public NumericSample numeric(int slot) {
    requireNumeric(slot, true);
    if (histograms[slot].isEmpty()) {
      return null;
    }
    return new NumericSample(histograms[slot].buckets());
  }

  /** Count per category of categorical slot {@code slot}; empty when it has none. */
  public Map<String, Long> categories(int slot) {
    requireNumeric(slot, false);
    TreeMap<String, Long> sorted = new TreeMap<>();
    categories[slot].forEach((k, v) -> sorted.put(k, v[0]));
    return java.util.Collections.unmodifiableMap(sorted);
  }

  public boolean isNumeric(int slot) {
    return numericSlot[slot];
  }

  public int slots() {
    return numericSlot.length;
  }

  private void requireNumeric(int slot, boolean numeric) {
    if (numericSlot[slot] != numeric) {
      throw new IllegalArgumentException("slot " + slot + " is " + (numericSlot[slot] ? "numeric" : "categorical"));
    }
  }

  /** An independent copy. */
  public WindowSummary copy() {
    try {
      ByteSink bytes = new ByteSink();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        write(out);
      }
      return read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------- binary form, for Flink state

  /**
   * 6: version 5 with a flag before the reconstruction errors (whether there are any), followed by
   * the class probabilities ({@link ClassScoreSummary#write}); written only by multiclass
   * summaries, so that the others keep the bytes of version 3 or 5.
   * 5: version 4 followed by the profile id the errors were scored against (a flag, then the id
   * when there is one); version 4 is read with none.
   * 4: version 3 followed by the reconstruction errors' count, sum and sum of squares; written only
   * by summaries of specs with {@code pca} (now as version 5), so that others keep version 3's bytes.
   * 3: a count of wrong-type values per slot after its missing count (version 2, without it, is
   * read with none). 2: histograms replace version 1's KLL sketch plus exact values (no reader for
   * version 1).
   */
  private static final int VERSION = 6;
  private static final int VERSION_WITH_PCA = 5;
  private static final int VERSION_WITHOUT_PCA = 3;

  public void write(DataOutput out) throws IOException {
    out.writeByte(classScores != null ? VERSION : reconstruction == null ? VERSION_WITHOUT_PCA : VERSION_WITH_PCA);
    out.writeInt(numericSlot.length);
    for (boolean b : numericSlot) {
      out.writeBoolean(b);
    }
    out.writeLong(count);
    out.writeLong(minTimestamp);
    out.writeLong(maxTimestamp);
    for (int i = 0; i < numericSlot.length; i++) {
      out.writeLong(missing[i]);
      out.writeLong(wrongType[i]);
      if (numericSlot[i]) {
        histograms[i].write(out);
      } else {
        // In category order, so that equal content gives equal bytes.
        String[] names = categories[i].keySet().toArray(new String[0]);
        Arrays.sort(names);
        out.writeInt(names.length);
        for (String name : names) {
          out.writeUTF(name);
          out.writeLong(categories[i].get(name)[0]);
        }
      }
    }
    if (classScores != null) {
      out.writeBoolean(reconstruction != null);
    }
    if (reconstruction != null) {
      out.writeLong(reconstruction.count);
      reconstruction.sum.write(out);
      reconstruction.squares.write(out);
      out.writeBoolean(reconstruction.profileId != null);
      if (reconstruction.profileId != null) {
        out.writeUTF(reconstruction.profileId);
      }
    }
    if (classScores != null) {
      classScores.write(out);
    }
  }

  public static WindowSummary read(DataInput in) throws IOException {
    int version = in.readByte();
    if (version < 2 || version > VERSION) {
      throw new IOException("unknown window summary version " + version + "; expected 2 to " + VERSION);
    }
    boolean[] numeric = new boolean[in.readInt()];
    for (int i = 0; i < numeric.length; i++) {
      numeric[i] = in.readBoolean();
    }
    WindowSummary s = new WindowSummary(numeric);
    s.count = in.readLong();
    s.minTimestamp = in.readLong();
    s.maxTimestamp = in.readLong();
    for (int i = 0; i < numeric.length; i++) {
      s.missing[i] = in.readLong();
      if (version >= 3) {
        s.wrongType[i] = in.readLong();
      }
      if (numeric[i]) {
        s.histograms[i] = NumericHistogram.read(in);
      } else {
        int n = in.readInt();
        for (int j = 0; j < n; j++) {
          s.categories[i].put(in.readUTF(), new long[] {in.readLong()});
        }
      }
    }
    if (version == 4 || version == 5 || version >= 6 && in.readBoolean()) {
      s.reconstruction = new ReconstructionErrors();
      s.reconstruction.count = in.readLong();
      s.reconstruction.sum.merge(ExactSum.read(in));
      s.reconstruction.squares.merge(ExactSum.read(in));
      if (version >= 5 && in.readBoolean()) {
        s.reconstruction.profileId = in.readUTF();
      }
    }
    if (version >= 6) {
      s.classScores = ClassScoreSummary.read(in);
    }
    return s;
  }
}
