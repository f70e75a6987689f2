package dev.driftline.core.baseline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.driftline.core.estimation.ScoreCalibration;
import dev.driftline.core.events.EventTimes;
import dev.driftline.core.io.InputException;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.Task;
import dev.driftline.core.stats.NumericHistogram;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.kll.KllDoublesSketch;

/** Reading and writing {@link BaselineFile} documents (JSON). */
public final class BaselineFiles {
  private BaselineFiles() {}

  public static void write(BaselineFile profile, Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Json.mapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), profile);
    } catch (IOException e) {
      throw new InputException(file + ": cannot write: " + e.getMessage());
    }
  }

  public static BaselineFile read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(file.toString(), in);
    } catch (NoSuchFileException e) {
      throw new InputException(file + ": no such file");
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage());
    }
  }

  /** Reads a profile from a stream; {@code source} names it in errors. */
  public static BaselineFile read(String source, InputStream in) {
    BaselineFile profile;
    try {
      profile = Json.mapper().readValue(in, BaselineFile.class);
    } catch (JsonProcessingException e) {
      throw new InputException(source + ": not a Driftline profile: " + describe(e));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (profile == null || !BaselineFile.FORMAT.equals(profile.format())) {
      throw new InputException(source + ": not a Driftline profile: expected format "
          + BaselineFile.FORMAT + ", got " + (profile == null ? "nothing" : profile.format()));
    }
    if (profile.features() == null) {
      throw new InputException(source + ": not a Driftline profile: no features");
    }
    String calibration = profile.calibration() == null ? null : profile.calibration().problem();
    if (calibration != null) {
      throw new InputException(source + ": calibration: " + calibration);
    }
    if (profile.classCalibrations() != null) {
      for (int c = 0; c < profile.classCalibrations().size(); c++) {
        ScoreCalibration calibrated = profile.classCalibrations().get(c);
        String problem = calibrated == null ? "missing" : calibrated.problem();
        if (problem != null) {
          throw new InputException(source + ": class_calibrations[" + c + "]: " + problem);
        }
      }
    }
    String pca = profile.pca() == null ? null : profile.pca().problem();
    if (pca != null) {
      throw new InputException(source + ": pca." + pca);
    }
    return profile;
  }

  /**
   * Why windows of {@code spec}'s model get no estimated performance from {@code profile} (one
   * line naming the model and the profile), or null when they do.
   */
  public static String noEstimationReason(BaselineFile profile, MonitorSpec spec) {
    if (!spec.estimation().enabled()) {
      return null; // not asked for: nothing to explain
    }
    if (spec.task() == Task.MULTICLASS_CLASSIFICATION) {
      List<ScoreCalibration> c = profile.classCalibrations();
      if (c == null) {
        return "model " + spec.modelId() + ": no estimated performance before labels: profile " + profile.profileId()
            + " has no class calibrations (build it with `driftline baseline build` from training data with the "
            + spec.fields().label() + " column and a " + BaselineBuilder.classScoreColumn(spec, "<class>")
            + " column per class)";
      }
      if (c.size() != spec.classes().size()) {
        return "model " + spec.modelId() + ": no estimated performance before labels: profile " + profile.profileId()
            + " has " + c.size() + " class calibrations, expected " + spec.classes().size() + " (one per class "
            + String.join("|", spec.classes()) + ")";
      }
      return null;
    }
    if (profile.calibration() == null) {
      return "model " + spec.modelId() + ": no estimated performance before labels: profile " + profile.profileId()
          + " has no calibration (build it with `driftline baseline build` from training data with the "
          + spec.fields().score() + " and " + spec.fields().label() + " columns)";
    }
    return null;
  }

  /**
   * Checks that {@code profile} covers every feature of {@code spec} with the right type. A
   * profile built from another version of the spec is still usable if it does.
   */
  public static void checkCovers(BaselineFile profile, String source, MonitorSpec spec) {
    if (!profile.modelId().equals(spec.modelId())) {
      throw new InputException(source + ": profile is for model " + profile.modelId()
          + ", spec is for model " + spec.modelId());
    }
    for (FeatureSpec feature : spec.features()) {
      FeatureBaseline fp = profile.features().get(feature.name());
      if (fp == null) {
        throw new InputException(source + ": features." + feature.name() + ": no reference for feature "
            + feature.name() + "; rebuild it with driftline baseline build");
      }
      if (!feature.type().id().equals(fp.type())) {
        throw new InputException(source + ": features." + feature.name() + ".type: feature " + feature.name()
            + " is " + fp.type() + " in the profile, " + feature.type().id() + " in the spec");
      }
    }
  }

  /** One line naming the field: {@code features.income.numeric.mean: Cannot deserialize ...}. */
  private static String describe(JsonProcessingException e) {
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (!(e instanceof JsonMappingException m) || m.getPath().isEmpty() || original.startsWith("Unexpected end-of-input")) {
      return Json.invalid(e);
    }
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference r : m.getPath()) {
      if (r.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    if (e instanceof UnrecognizedPropertyException) {
      return path + ": unknown field";
    }
    String message = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
    message = message.lines().findFirst().orElse("");
    message = message.length() > 120 ? message.substring(0, 117) + "..." : message;
    // Malformed text met while binding a field is still malformed text, not a wrong value.
    // (The parser knows where it stood; databind's path can stop one field short inside records.)
    return e.getCause() instanceof com.fasterxml.jackson.core.exc.StreamReadException cause
        ? Json.invalid(cause)
        : path + ": " + message;
  }

  /**
   * Checks what {@link #read} cannot: that a profile from outside (the baselines topic) can serve
   * {@code spec} without failing a drift evaluation later — it covers every feature
   * ({@link #checkCovers}), and every summary a test reads is well-formed: finite statistics, a
   * KLL sketch that decodes, sorted finite values, bins for each binned test, non-negative counts,
   * a profile id and a creation time that is not in the future.
   *
   * @throws InputException naming the field, e.g. {@code baseline: features.income.numeric.kll: not a KLL sketch}
   */
  public static void checkUsable(BaselineFile profile, String source, MonitorSpec spec) {
    if (profile.profileId() == null || profile.profileId().isBlank()) {
      throw new InputException(source + ": profile_id: expected a non-empty string, got " + profile.profileId());
    }
    checkCreatedAt(profile.createdAt(), source);
    checkCovers(profile, source, spec);
    for (FeatureSpec feature : spec.features()) {
      check(profile.features().get(feature.name()), feature.type(), "features." + feature.name(), source, spec);
    }
    if (profile.score() != null) {
      check(profile.score(), FeatureType.NUMERIC, "score", source, spec);
    }
    if (profile.label() != null) {
      check(profile.label(), spec.task() == Task.REGRESSION ? FeatureType.NUMERIC : FeatureType.CATEGORICAL,
          "label", source, spec);
    }
    checkLabel(profile, source, spec);
    checkPca(profile, source, spec);
  }

  /** A profile's PCA model, when the spec asks for one and it has one, covers the spec's numeric features in order. */
  public static void checkPca(BaselineFile profile, String source, MonitorSpec spec) {
    if (spec.pca().enabled() && profile.pca() != null
        && !profile.pca().features().equals(spec.numericFeatureNames())) {
      fail(source, "pca.features", "expected the spec's numeric features " + spec.numericFeatureNames() + ", got "
          + profile.pca().features());
    }
  }

  /**
   * Checks that a profile's label column, if it has one, is the reference label drift needs: a
   * classifier's categories must be its classes (0/1, true/false), a regressor's a numeric summary.
   *
   * @throws InputException e.g. {@code profile.json: label.categories.yes: expected a class 0 or 1 (or true/false), got "yes"}
   */
  public static void checkLabel(BaselineFile profile, String source, MonitorSpec spec) {
    FeatureBaseline label = profile.label();
    if (label == null) {
      return;
    }
    if (spec.task() == Task.REGRESSION) {
      if (label.numeric() == null) {
        fail(source, "label.type", "a regressor's label is numeric, got " + label.type());
      }
      return;
    }
    if (label.categories() == null) {
      fail(source, "label.type", "a classifier's label is categorical, got " + label.type());
    }
    if (spec.task() == Task.MULTICLASS_CLASSIFICATION) {
      for (String category : label.categories().keySet()) {
        if (spec.classIndex(category) < 0) {
          fail(source, "label.categories." + category, "expected one of the classes " + String.join("|", spec.classes())
              + ", got \"" + category + "\"");
        }
      }
      return;
    }
    String invalid = dev.driftline.core.window.LabelClasses.firstInvalid(label.categories());
    if (invalid != null) {
      fail(source, "label.categories." + invalid, "expected a class 0 or 1 (or true/false), got \"" + invalid + "\"");
    }
  }

  private static void checkCreatedAt(String createdAt, String source) {
    Instant at;
    try {
      at = createdAt == null ? null : Instant.parse(createdAt);
    } catch (DateTimeException e) {
      at = null;
    }
    if (at == null || at.isBefore(Instant.ofEpochMilli(EventTimes.MIN_MILLIS))) {
      throw new InputException(source + ": created_at: expected an ISO-8601 instant after "
          + Instant.ofEpochMilli(EventTimes.MIN_MILLIS) + ", got " + createdAt);
    }
    // A newer baseline replaces an older one, so one from the future would never be replaced.
    if (at.isAfter(Instant.now().plus(EventTimes.MAX_AHEAD))) {
      throw new InputException(source + ": created_at: " + createdAt + " is in the future");
    }
  }

  private static void check(FeatureBaseline fp, FeatureType type, String where, String source, MonitorSpec spec) {
    if (fp.count() < 0 || fp.missing() < 0) {
      fail(source, where + ".count", "expected counts >= 0, got " + fp.count() + " and missing " + fp.missing());
    }
    if (fp.constraints() != null) {
      checkConstraints(fp.constraints(), type, where + ".constraints", source);
    }
    if (type == FeatureType.CATEGORICAL) {
      Map<String, Long> categories = fp.categories();
      if (categories == null || categories.isEmpty()) {
        fail(source, where + ".categories", "expected category counts, got " + (categories == null ? "nothing" : "none"));
      }
      long total = 0;
      for (Map.Entry<String, Long> c : categories.entrySet()) {
        if (c.getKey() == null || c.getValue() == null || c.getValue() < 0) {
          fail(source, where + ".categories." + c.getKey(), "expected a count >= 0, got " + c.getValue());
        }
        total += c.getValue();
      }
      if (total <= 0) {
        fail(source, where + ".categories", "expected at least one counted value");
      }
      return;
    }
    NumericSummary n = fp.numeric();
    if (n == null) {
      fail(source, where + ".numeric", "expected a numeric summary, got nothing");
    }
    double[] stats = {n.mean(), n.std(), n.min(), n.max()};
    String[] names = {"mean", "std", "min", "max"};
    for (int i = 0; i < stats.length; i++) {
      if (!Double.isFinite(stats[i])) {
        fail(source, where + ".numeric." + names[i], "expected a finite number, got " + stats[i]);
      }
    }
    if (n.std() < 0 || n.min() > n.max()) {
      fail(source, where + ".numeric", "expected std >= 0 and min <= max, got std " + n.std() + ", min " + n.min() + ", max " + n.max());
    }
    checkDistribution(n, where + ".numeric", source);
    if (n.values() != null) {
      double[] v = n.values();
      if (v.length == 0) {
        fail(source, where + ".numeric.values", "expected the values or nothing, got an empty list");
      }
      for (int i = 0; i < v.length; i++) {
        if (!Double.isFinite(v[i]) || i > 0 && v[i] < v[i - 1]) {
          fail(source, where + ".numeric.values[" + i + "]", "expected finite values in ascending order, got " + v[i]);
        }
      }
    }
    for (DriftTestSpec t : spec.numericTests()) {
      if (t.test().binned(FeatureType.NUMERIC)) {
        checkBins(n, t.bins(), where + ".numeric.bins", source);
      }
    }
  }

  /** Bounds finite and in order, a share in [0, 1], categories for categorical features only. */
  private static void checkConstraints(Constraints c, FeatureType type, String where, String source) {
    if (c.min() != null && !Double.isFinite(c.min())) {
      fail(source, where + ".min", "expected a finite number, got " + c.min());
    }
    if (c.max() != null && !Double.isFinite(c.max())) {
      fail(source, where + ".max", "expected a finite number, got " + c.max());
    }
    if (c.min() != null && c.max() != null && c.min() > c.max()) {
      fail(source, where + ".max", "expected at least min " + c.min() + ", got " + c.max());
    }
    if (c.missingShare() != null && !(c.missingShare() >= 0 && c.missingShare() <= 1)) {
      fail(source, where + ".missing_share", "expected a share in [0, 1], got " + c.missingShare());
    }
    if (type == FeatureType.NUMERIC && c.categories() != null) {
      fail(source, where + ".categories", "expected no categories for a numeric feature");
    }
    if (type == FeatureType.CATEGORICAL && (c.min() != null || c.max() != null)) {
      fail(source, where + (c.min() != null ? ".min" : ".max"), "expected no range for a categorical feature");
    }
  }

  /** The values, the histogram or (legacy profiles) the KLL sketch: at least one, each readable and finite. */
  private static void checkDistribution(NumericSummary n, String where, String source) {
    if (n.values() == null && n.histogram() == null && n.kll() == null) {
      fail(source, where, "expected values, a histogram or a KLL sketch, got none");
    }
    if (n.histogram() != null) {
      NumericHistogram histogram;
      try {
        histogram = NumericSummary.decode(n.histogram());
      } catch (RuntimeException e) {
        fail(source, where + ".histogram", "not a histogram (" + e.getClass().getSimpleName() + ")");
        return;
      }
      if (histogram.isEmpty() || !Double.isFinite(histogram.buckets().min()) || !Double.isFinite(histogram.buckets().max())) {
        fail(source, where + ".histogram", "expected a non-empty histogram of finite values");
      }
    }
    if (n.kll() != null) {
      KllDoublesSketch sketch;
      try {
        sketch = n.sketch();
      } catch (RuntimeException e) {
        // A third-party decoder of untrusted bytes: whatever it throws means the same thing.
        fail(source, where + ".kll", "not a KLL sketch (" + e.getClass().getSimpleName() + ")");
        return;
      }
      if (sketch.isEmpty() || !Double.isFinite(sketch.getMinItem()) || !Double.isFinite(sketch.getMaxItem())) {
        fail(source, where + ".kll", "expected a non-empty sketch of finite values");
      }
    }
  }

  private static void checkBins(NumericSummary n, int requested, String where, String source) {
    NumericSummary.Bins bins = null;
    if (n.bins() != null) {
      for (NumericSummary.Bins b : n.bins()) {
        if (b == null) {
          fail(source, where, "expected bins, got null");
        }
        if (b.requested() == requested) {
          bins = b;
        }
      }
    }
    if (bins == null) {
      fail(source, where, "no " + requested + "-bin edges; rebuild it with the current spec");
    }
    double[] edges = bins.edges();
    long[] counts = bins.counts();
    if (edges == null || counts == null || counts.length != edges.length + 1) {
      fail(source, where, "expected edges and one count more than edges for " + requested + " bins");
    }
    for (int i = 0; i < edges.length; i++) {
      if (!Double.isFinite(edges[i]) || i > 0 && edges[i] <= edges[i - 1]) {
        fail(source, where + ".edges[" + i + "]", "expected finite edges in ascending order, got " + edges[i]);
      }
    }
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 0) {
        fail(source, where + ".counts[" + i + "]", "expected a count >= 0, got " + counts[i]);
      }
    }
  }

  private static void fail(String source, String where, String what) {
    throw new InputException(source + ": " + where + ": " + what);
  }
}
