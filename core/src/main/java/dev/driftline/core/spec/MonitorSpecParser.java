package dev.driftline.core.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.driftline.core.detect.DetectorSpec;
import dev.driftline.core.detect.OnlineDetector;
import dev.driftline.core.detect.OnlineDetectors;
import dev.driftline.core.drift.DriftTest;
import dev.driftline.core.drift.DriftTests;
import dev.driftline.core.estimation.CalibrationMethod;
import dev.driftline.core.quality.QualityCheck;
import dev.driftline.core.stats.MultipleTestingMethod;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a monitor spec. Every problem becomes a {@link SpecException} whose one-line
 * message names the file, the path in the document and what was expected.
 */
public final class MonitorSpecParser {
  private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");
  private static final String NAME_EXPECTED = "a name of letters, digits, _ . - starting with a letter or _";
    private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  /** The largest {@code window.count}. */
  static final int MAX_COUNT = 10_000_000;

  private MonitorSpecParser() {}

  public static MonitorSpec load(Path file) {
    return parse(file.toString(), SpecNode.readFile(file));
  }

  /** Parses {@code yaml}; {@code source} names it in error messages (usually the file path). */
  public static MonitorSpec parse(String source, String yaml) {
    SpecNode root = SpecNode.parseYaml(source, yaml);
    JsonNode tree = root.raw();
    if (!root.isPresent()) {
      throw new SpecException(source + ": empty document; expected a monitor spec mapping");
    }
    root.requireMapping(
        "model_id", "task", "classes", "fields", "classification_threshold", "labels", "features",
        "reference", "window", "tests", "multiple_testing", "policy", "performance_estimation", "data_quality",
        "pca", "description");

    String modelId =
        root.get("model_id").requiredMatching(MODEL_ID, "a model id of letters, digits, . _ - (at most 128)");
    Task task = root.get("task").enumValue(Task.class, null, Task::id);
    List<String> classes = classes(root.get("classes"), task);
    FieldNames fields = fields(root.get("fields"), task);
    double threshold = root.get("classification_threshold").number(0.5, 0.0, 1.0);
    if (task != Task.BINARY_CLASSIFICATION && root.get("classification_threshold").isPresent()) {
      throw root.get("classification_threshold").error("only for task binary_classification");
    }
    SpecNode labels = root.get("labels");
    Duration maxLabelDelay = Duration.ofDays(7);
    boolean labelled = true;
    if (labels.isPresent() && labels.raw().isTextual()) {
      if (!labels.raw().asText().equals("none")) {
        throw labels.error("expected none or a mapping with max_delay, got \"" + labels.raw().asText() + "\"");
      }
      labelled = false;
    } else if (labels.isPresent()) {
      labels.requireMapping("max_delay");
      maxLabelDelay = labels.get("max_delay").positiveDuration(maxLabelDelay);
    }
    List<FeatureSpec> features = features(root.get("features"), fields);
    ReferenceSpec reference = reference(root.get("reference"));
    WindowSpec window = window(root.get("window"));

    SpecNode tests = root.get("tests");
    List<DriftTestSpec> numeric = List.of(
        DriftTests.get("ks").defaults(), DriftTests.get("psi").defaults());
    List<DriftTestSpec> categorical = List.of(
        DriftTests.get("chi2").defaults(), DriftTests.get("psi").defaults());
    if (tests.isPresent() && isAuto(tests)) {
      numeric = List.of(DriftTests.get("auto").defaults());
      categorical = numeric;
    } else if (tests.isPresent()) {
      tests.requireMapping("numeric", "categorical");
      if (tests.get("numeric").isPresent()) {
        numeric = tests(tests.get("numeric"), FeatureType.NUMERIC);
      }
      if (tests.get("categorical").isPresent()) {
        categorical = tests(tests.get("categorical"), FeatureType.CATEGORICAL);
      }
    }
    MultipleTestingMethod multipleTesting = root.get("multiple_testing").enumValue(
        MultipleTestingMethod.class, MultipleTestingMethod.BH, m -> m.name().toLowerCase(Locale.ROOT));
    EstimationSpec estimation = estimation(root.get("performance_estimation"), task, reference);
    List<DriftTestSpec> dataQuality = dataQuality(root.get("data_quality"));
    PcaSpec pca = PcaSpec.parse(root.get("pca"), features);
    PolicySpec policy = policy(root.get("policy"), new OnlineDetector.Context(task, features, numeric, categorical), estimation,
        dataQuality);
    checkCountWindow(root, window, reference, policy);
    if (root.get("policy").isPresent()) {
      features = markCritical(root.get("policy").get("critical_features"), features);
    }

    return new MonitorSpec(modelId, task, fields, threshold, maxLabelDelay, labelled, features, reference,
        window, numeric, categorical, multipleTesting, policy, estimation, dataQuality, pca, canonicalHash(tree), classes);
  }

  /**
   * {@code classes: [a, b, c]}: a multiclass classifier's label categories, at least three, distinct,
   * each a non-empty string (a number or boolean is read as its text); required for
   * {@code multiclass_classification} and refused for the other tasks.
   */
  private static List<String> classes(SpecNode node, Task task) {
    if (task != Task.MULTICLASS_CLASSIFICATION) {
      if (node.isPresent()) {
        throw node.error("only for task multiclass_classification");
      }
      return List.of();
    }
    if (!node.isPresent()) {
      throw node.error("required for task multiclass_classification, missing; expected a list of at least 3 class names");
    }
    List<String> out = new ArrayList<>();
    for (SpecNode item : node.elements()) {
      if (!item.raw().isValueNode() || item.raw().isNull() || item.raw().asText().isEmpty()) {
        throw item.error("expected a class name (a non-empty string)");
      }
      String name = item.raw().asText();
      if (out.contains(name)) {
        throw item.error("class \"" + name + "\" is listed twice");
      }
      out.add(name);
    }
    if (out.size() < 3) {
      throw node.error("expected at least 3 classes, got " + out.size() + " (use binary_classification for 2)");
    }
    return out;
  }

  /**
   * {@code performance_estimation: {calibration: isotonic | platt | none, profile: PATH}}; isotonic
   * by default for classifiers (binary and multiclass).
   */
  private static EstimationSpec estimation(SpecNode node, Task task, ReferenceSpec reference) {
    if (task == Task.REGRESSION) {
      if (node.isPresent()) {
        throw node.error("only for tasks binary_classification and multiclass_classification");
      }
      return EstimationSpec.OFF;
    }
    if (!node.isPresent()) {
      return EstimationSpec.DEFAULT;
    }
    node.requireMapping("calibration", "profile");
    SpecNode calibration = node.get("calibration");
    String name = calibration.optionalString(CalibrationMethod.ISOTONIC.id());
    SpecNode profile = node.get("profile");
    if (profile.isPresent() && reference.source() == ReferenceSpec.Source.PROFILE) {
      throw profile.error("only for a window reference; with reference.source profile its calibration is used");
    }
    if ("none".equals(name)) {
      if (profile.isPresent()) {
        throw profile.error("not with calibration none");
      }
      return EstimationSpec.OFF;
    }
    CalibrationMethod method = CalibrationMethod.of(name);
    if (method == null) {
      throw calibration.error("expected one of isotonic|platt|none, got \"" + name + "\"");
    }
    return new EstimationSpec(method, profile.optionalString(null));
  }


  /** The record's field names; a multiclass classifier's class probabilities are in {@code scores} unless named. */
  private static FieldNames fields(SpecNode node, Task task) {
    if (node.isPresent()) {
      node.requireMapping("timestamp", "prediction_id", "entity", "segment", "score", "predicted_class", "label");
    }
    return new FieldNames(
        name(node.get("timestamp"), "ts"),
        name(node.get("prediction_id"), "prediction_id"),
        name(node.get("entity"), null),
        name(node.get("segment"), null),
        name(node.get("score"), task == Task.MULTICLASS_CLASSIFICATION ? "scores" : "score"),
        name(node.get("predicted_class"), null),
        name(node.get("label"), "label"));
  }

  private static String name(SpecNode node, String fallback) {
    return node.isPresent() ? node.requiredMatching(NAME, NAME_EXPECTED) : fallback;
  }

  private static List<FeatureSpec> features(SpecNode node, FieldNames fields) {
    if (!node.isPresent()) {
      throw node.error("required, missing; expected a list of {name, type}");
    }
    List<SpecNode> items = node.elements();
    if (items.isEmpty()) {
      throw node.error("expected at least one feature");
    }
    Set<String> seen = new HashSet<>();
    List<FeatureSpec> out = new ArrayList<>();
    for (SpecNode item : items) {
      item.requireMapping("name", "type", "critical", "description", "tests", "constraints");
      String name = item.get("name").requiredMatching(NAME, NAME_EXPECTED);
      if (!seen.add(name)) {
        throw item.get("name").error("duplicate feature \"" + name + "\"");
      }
      FeatureType type = item.get("type").enumValue(FeatureType.class, null, FeatureType::id);
      SpecNode own = item.get("tests");
      List<DriftTestSpec> tests = !own.isPresent() ? null
          : isAuto(own) ? List.of(DriftTests.get("auto").defaults()) : tests(own, type);
      out.add(new FeatureSpec(name, type, item.get("critical").bool(false), tests,
          constraints(item.get("constraints"), type)));
    }
    return out;
  }

  private static ReferenceSpec reference(SpecNode node) {
    if (!node.isPresent()) {
      throw node.error("required, missing; expected {source: profile|pinned_window|previous_window, ...}");
    }
    node.requireMapping("source", "path", "start", "end");
    ReferenceSpec.Source source =
        node.get("source").enumValue(ReferenceSpec.Source.class, null, ReferenceSpec.Source::id);
    switch (source) {
      case PROFILE:
        forbid(node, source, "start", "end");
        return new ReferenceSpec(source, node.get("path").requiredString(), null, null);
      case PINNED_WINDOW:
        forbid(node, source, "path");
        Instant start = instant(node.get("start"));
        Instant end = instant(node.get("end"));
        if (!start.isBefore(end)) {
          throw node.get("end").error("expected an instant after start " + start + ", got " + end);
        }
        return new ReferenceSpec(source, null, start, end);
      default:
        forbid(node, source, "path", "start", "end");
        return new ReferenceSpec(source, null, null, null);
    }
  }

  private static void forbid(SpecNode node, ReferenceSpec.Source source, String... keys) {
    for (String key : keys) {
      if (node.get(key).isPresent()) {
        throw node.get(key).error("not used with source " + source.id());
      }
    }
  }

  private static Instant instant(SpecNode node) {
    String text = node.requiredString();
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw node.error("expected an ISO-8601 instant such as 2026-01-31T00:00:00Z, got \"" + text + "\"");
    }
  }

  private static WindowSpec window(SpecNode node) {
    if (!node.isPresent()) {
      throw node.error("required, missing; expected {size: 1h, ...} or {type: count, count: 500}");
    }
    node.requireMapping("type", "size", "slide", "count", "allowed_lateness", "max_out_of_orderness", "idle_timeout");
    WindowSpec.Type type = node.get("type").enumValue(WindowSpec.Type.class, WindowSpec.Type.TIME, WindowSpec.Type::id);
    Duration maxOutOfOrderness = node.get("max_out_of_orderness").duration(Duration.ofSeconds(30));
    Duration idleTimeout = node.get("idle_timeout").positiveDuration(Duration.ofMinutes(1));
    if (type == WindowSpec.Type.COUNT) {
      for (String key : List.of("size", "slide", "allowed_lateness")) {
        if (node.get(key).isPresent()) {
          throw node.get(key).error("not used with type count; expected count (predictions per window)");
        }
      }
      if (!node.get("count").isPresent()) {
        throw node.get("count").error("required with type count; expected a whole number in [2, " + MAX_COUNT + "]");
      }
      return WindowSpec.ofCount(node.get("count").integer(0, 2, MAX_COUNT), maxOutOfOrderness, idleTimeout);
    }
    if (node.get("count").isPresent()) {
      throw node.get("count").error("not used with type time; expected size (and slide), or type: count");
    }
    Duration size = node.get("size").positiveDuration(null);
    Duration slide = node.get("slide").positiveDuration(size);
    if (slide.compareTo(size) > 0) {
      throw node.get("slide").error("expected at most the window size " + node.get("size").raw().asText());
    }
    if (size.toMillis() % slide.toMillis() != 0) {
      throw node.get("slide").error("expected a divisor of the window size " + node.get("size").raw().asText());
    }
    return new WindowSpec(size, slide, node.get("allowed_lateness").duration(Duration.ZERO), maxOutOfOrderness,
        idleTimeout);
  }

  /**
   * What count windows do not support: a pinned reference period (count windows have no fixed
   * bounds to pin), and performance conditions and detectors on the error rate (performance is
   * computed on time windows only).
   */
  private static void checkCountWindow(SpecNode root, WindowSpec window, ReferenceSpec reference, PolicySpec policy) {
    if (!window.isCount()) {
      return;
    }
    if (reference.source() == ReferenceSpec.Source.PINNED_WINDOW) {
      throw root.get("reference").get("source").error(
          "pinned_window is not used with window type count; expected profile|previous_window");
    }
    if (!policy.performance().isEmpty()) {
      throw root.get("policy").get("performance").error(
          "not used with window type count (performance is computed on time windows only); expected none");
    }
    for (var detector : policy.detectors()) {
      if (detector.watch().isErrorRate()) {
        throw root.get("policy").get(detector.id()).error("watches the error rate, which is not computed with window"
            + " type count (performance is computed on time windows only); expected a watched feature statistic");
      }
    }
  }
  

  /**
   * {@code data_quality}: {@code all} for every check with its defaults, or a mapping of check name
   * to settings ({@code {missing_share: {alpha: 0.01}, wrong_type: {}}}); absent, no checks.
   */
  private static List<DriftTestSpec> dataQuality(SpecNode node) {
    if (!node.isPresent()) {
      return List.of();
    }
    if (node.raw().isTextual() && node.raw().asText().equals("all")) {
      return DriftTests.qualityChecks().stream().map(DriftTest::defaults).toList();
    }
    if (!node.raw().isObject()) {
      throw node.error("expected all or a mapping of check name to settings, e.g. {missing_share: {alpha: 0.01}}");
    }
    List<String> ids = DriftTests.qualityChecks().stream().map(DriftTest::id).toList();
    node.requireMapping(ids.toArray(new String[0]));
    List<DriftTestSpec> out = new ArrayList<>();
    // In registration order, whatever the order of the keys: results come out in a fixed order.
    for (QualityCheck check : DriftTests.qualityChecks()) {
      SpecNode entry = node.get(check.id());
      if (!entry.raw().isMissingNode()) {
        out.add(check.configure(entry, check.featureTypes().get(0)));
      }
    }
    if (out.isEmpty()) {
      throw node.error("expected at least one check, one of " + String.join("|", ids));
    }
    return out;
  }

  /**
   * A feature's {@code constraints}: {@code min}, {@code max} or {@code quantiles: [lower, upper]}
   * for numeric features, {@code categories} for categorical ones, {@code missing_share} for both.
   */
  private static ConstraintsSpec constraints(SpecNode node, FeatureType type) {
    if (!node.isPresent()) {
      return null;
    }
    if (type == FeatureType.NUMERIC) {
      node.requireMapping("min", "max", "quantiles", "missing_share");
    } else {
      node.requireMapping("categories", "missing_share");
    }
    Double min = node.get("min").isPresent() ? node.get("min").requiredNumber(-Double.MAX_VALUE, Double.MAX_VALUE) : null;
    Double max = node.get("max").isPresent() ? node.get("max").requiredNumber(-Double.MAX_VALUE, Double.MAX_VALUE) : null;
    if (min != null && max != null && min > max) {
      throw node.get("max").error("expected at least min " + min + ", got " + max);
    }
    Double lower = null;
    Double upper = null;
    SpecNode quantiles = node.get("quantiles");
    if (quantiles.isPresent()) {
      if (min != null || max != null) {
        throw quantiles.error("not with min or max; expected either quantiles or min/max");
      }
      List<SpecNode> levels = quantiles.elements();
      if (levels.size() != 2) {
        throw quantiles.error("expected two quantile levels [lower, upper], got " + levels.size());
      }
      lower = levels.get(0).requiredNumber(0, 1);
      upper = levels.get(1).requiredNumber(0, 1);
      if (!(lower < upper)) {
        throw levels.get(1).error("expected a level above " + lower + ", got " + upper);
      }
    }
    List<String> categories = null;
    if (node.get("categories").isPresent()) {
      categories = new ArrayList<>();
      for (SpecNode c : node.get("categories").elements()) {
        if (!c.raw().isTextual() && !c.raw().isNumber() && !c.raw().isBoolean()) {
          throw c.error("expected a category (string), got " + c.raw());
        }
        categories.add(c.raw().asText());
      }
      if (categories.isEmpty()) {
        throw node.get("categories").error("expected at least one category");
      }
    }
    Double missingShare = node.get("missing_share").isPresent() ? node.get("missing_share").requiredNumber(0, 1) : null;
    return new ConstraintsSpec(min, max, lower, upper, categories, missingShare);
  }

  /** {@code tests: auto} (or {@code numeric: auto}, or a feature's {@code tests: auto}). */
  private static boolean isAuto(SpecNode node) {
    return node.raw().isTextual() && node.raw().asText().equals("auto");
  }

  /** A mapping of test name to settings, or {@code auto}; every test named must apply to {@code type}. */
  private static List<DriftTestSpec> tests(SpecNode node, FeatureType type) {
    if (isAuto(node)) {
      return List.of(DriftTests.get("auto").defaults());
    }
    if (!node.raw().isObject()) {
      throw node.error("expected auto or a mapping of test name to settings, e.g. {ks: {alpha: 0.05}}");
    }
    List<DriftTestSpec> out = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = node.raw().fields();
    while (it.hasNext()) {
      String key = it.next().getKey();
      SpecNode entry = node.get(key);
      DriftTest test = DriftTests.comparisons().stream().filter(t -> t.id().equals(key)).findFirst().orElse(null);
      if (test == null || !test.appliesTo(type)) {
        throw entry.error("expected a " + type.id() + " test, one of "
            + String.join("|", DriftTests.idsFor(type)));
      }
      out.add(test.configure(entry, type));
    }
    if (out.isEmpty()) {
      throw node.error("expected at least one test");
    }
    return out;
  }

  private static PolicySpec policy(SpecNode node, OnlineDetector.Context context, EstimationSpec estimation,
      List<DriftTestSpec> dataQuality) {
    PolicySpec defaults = PolicySpec.defaults();
    if (!node.isPresent()) {
      return defaults;
    }
    Task task = context.task();
    List<String> keys = new ArrayList<>(List.of("performance", "dataset_drift", "critical_features", "psi_hard_limit",
        "cooldown", "rearm_after_windows", "warn_psi", "min_samples", "data_quality"));
    keys.addAll(OnlineDetectors.ids());
    node.requireMapping(keys.toArray(new String[0]));

    List<PolicySpec.PerformanceCondition> performance = new ArrayList<>();
    for (SpecNode item : node.get("performance").elements()) {
      item.requireMapping("metric", "min", "max", "k", "n", "min_label_coverage", "estimate_below_coverage");
      PerformanceMetric metric = item.get("metric").enumValue(PerformanceMetric.class, null, PerformanceMetric::id);
      if (!metric.appliesTo(task)) {
        throw item.get("metric").error("metric " + metric.id() + " does not apply to task " + task.id());
      }
      String bound = metric.higherIsBetter() ? "min" : "max";
      String wrong = metric.higherIsBetter() ? "max" : "min";
      if (item.get(wrong).isPresent()) {
        throw item.get(wrong).error("expected " + bound + " for " + metric.id()
            + " (" + (metric.higherIsBetter() ? "higher is better" : "lower is better") + ")");
      }
      double limit = item.get(bound).requiredNumber(-Double.MAX_VALUE, Double.MAX_VALUE);
      int[] kn = kOfN(item);
      double coverage = item.get("min_label_coverage").number(0.0, 0.0, 1.0);
      SpecNode estimate = item.get("estimate_below_coverage");
      double estimateBelow = estimate.number(0.0, 0.0, 1.0);
      if (estimate.isPresent() && !metric.isEstimated()) {
        throw estimate.error("metric " + metric.id() + " is not estimated; expected one of "
            + java.util.Arrays.stream(PerformanceMetric.values()).filter(m -> m.isEstimated() && m.appliesTo(task))
                .map(PerformanceMetric::id).collect(java.util.stream.Collectors.joining("|")));
      }
      if (estimate.isPresent() && !estimation.enabled()) {
        throw estimate.error("needs performance_estimation (it is off for this model)");
      }
      performance.add(new PolicySpec.PerformanceCondition(metric, limit, kn[0], kn[1], coverage, estimateBelow));
    }

    PolicySpec.DatasetDriftCondition datasetDrift = null;
    SpecNode dd = node.get("dataset_drift");
    if (dd.isPresent()) {
      dd.requireMapping("share", "k", "n");
      int[] kn = kOfN(dd);
      datasetDrift = new PolicySpec.DatasetDriftCondition(dd.get("share").number(0.5, Double.MIN_VALUE, 1.0), kn[0], kn[1]);
    }

    List<DetectorSpec<?, ?>> detectors = new ArrayList<>();
    for (OnlineDetector<?, ?> detector : OnlineDetectors.all()) {
      SpecNode options = node.get(detector.id());
      if (options.isPresent()) {
        detectors.add(detector.configure(options, context));
      }
    }

    double hardLimit = node.get("psi_hard_limit").number(defaults.psiHardLimit(), Double.MIN_VALUE, Double.MAX_VALUE);
    double warnPsi = node.get("warn_psi").number(defaults.warnPsi(), Double.MIN_VALUE, Double.MAX_VALUE);
    if (warnPsi > hardLimit) {
      throw node.get("warn_psi").error("expected at most psi_hard_limit " + hardLimit + ", got " + warnPsi);
    }
    List<String> qualityTriggers = new ArrayList<>();
    List<String> configured = dataQuality.stream().map(t -> t.test().id()).toList();
    for (SpecNode item : node.get("data_quality").elements()) {
      String id = item.requiredString();
      if (!configured.contains(id)) {
        throw item.error("expected a check configured under data_quality, one of "
            + (configured.isEmpty() ? "(none configured)" : String.join("|", configured)) + ", got \"" + id + "\"");
      }
      qualityTriggers.add(id);
    }
    return new PolicySpec(performance, datasetDrift, hardLimit, detectors,
        node.get("cooldown").duration(defaults.cooldown()),
        node.get("rearm_after_windows").integer(defaults.rearmAfterWindows(), 0, 10_000),
        warnPsi,
        node.get("min_samples").integer(defaults.minSamples(), 1, 1_000_000_000),
        qualityTriggers);
  }

  /** Reads {@code k} and {@code n}, requiring 1 <= k <= n. */
  private static int[] kOfN(SpecNode node) {
    int n = node.get("n").integer(1, 1, 1000);
    int k = node.get("k").integer(1, 1, 1000);
    if (k > n) {
      throw node.get("k").error("expected k <= n (" + n + "), got " + k);
    }
    return new int[] {k, n};
  }

  /** Marks as critical the features listed under {@code policy.critical_features}. */
  private static List<FeatureSpec> markCritical(SpecNode list, List<FeatureSpec> features) {
    Set<String> critical = new HashSet<>();
    for (SpecNode item : list.elements()) {
      String name = item.requiredString();
      if (features.stream().noneMatch(f -> f.name().equals(name))) {
        throw item.error("expected the name of a declared feature, got \"" + name + "\"");
      }
      critical.add(name);
    }
    return features.stream()
        .map(f -> critical.contains(f.name()) ? f.asCritical() : f)
        .toList();
  }

  static String canonicalHash(JsonNode tree) {
    try {
      Object plain = CANONICAL.convertValue(tree, Object.class);
      byte[] canonical = CANONICAL.writeValueAsBytes(plain);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash a parsed spec", e);
    }
  }
}
