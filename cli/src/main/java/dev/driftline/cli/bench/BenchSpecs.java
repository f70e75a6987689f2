package dev.driftline.cli.bench;

import dev.driftline.core.io.DurationText;
import dev.driftline.core.io.InputException;
import java.time.Duration;
import java.util.Locale;

/**
 * The benchmark's synthesized inputs as text: a monitor spec of {@code numeric} + {@code categorical}
 * features (KS and PSI on numeric, chi-square and PSI on categorical, one tumbling window, no
 * segments), and the card-transactions example feature view moved to the benchmark's topic.
 */
public final class BenchSpecs {
  /** Event time may be this late; the same value the examples use. */
  static final Duration MAX_OUT_OF_ORDERNESS = Duration.ofSeconds(30);
  /** Labels later than this are dropped; generated labels come after 30 s on average. */
  static final Duration MAX_LABEL_DELAY = Duration.ofMinutes(5);

  private BenchSpecs() {}

  public static String numericName(int i) {
    return String.format(Locale.ROOT, "num_%02d", i);
  }

  static String categoricalName(int i) {
    return String.format(Locale.ROOT, "cat_%02d", i);
  }

  /** A monitor spec of model {@code modelId}, parsed by {@code MonitorSpecParser}. */
  static String monitorYaml(String modelId, int numeric, int categorical, Duration window) {
    return monitorYaml(modelId, numeric, categorical, window, false);
  }

  /** The same, with results per segment of the field {@code segment} when {@code segmented}. */
  static String monitorYaml(String modelId, int numeric, int categorical, Duration window, boolean segmented) {
    return monitorYaml(modelId, numeric, categorical, window, segmented, MAX_OUT_OF_ORDERNESS, MAX_LABEL_DELAY,
        "bench-profile.json");
  }

  /**
   * The same, with event time late by at most {@code outOfOrderness}, labels dropped after
   * {@code maxLabelDelay} and the baseline read from {@code profilePath}.
   */
  public static String monitorYaml(String modelId, int numeric, int categorical, Duration window, boolean segmented,
      Duration outOfOrderness, Duration maxLabelDelay, String profilePath) {
    StringBuilder y = new StringBuilder();
    y.append("# Synthesized by `driftline bench`: ").append(numeric).append(" numeric + ").append(categorical)
        .append(" categorical features, ").append(segmented ? "per segment" : "no segments").append(".\n");
    y.append("model_id: ").append(modelId).append('\n');
    y.append("task: binary_classification\n");
    y.append("fields: {timestamp: ts, prediction_id: prediction_id, score: score, label: label")
        .append(segmented ? ", segment: segment}\n" : "}\n");
    y.append("labels: {max_delay: ").append(DurationText.format(maxLabelDelay)).append("}\n");
    y.append("features:\n");
    for (int i = 0; i < numeric; i++) {
      y.append("  - {name: ").append(numericName(i)).append(", type: numeric}\n");
    }
    for (int i = 0; i < categorical; i++) {
      y.append("  - {name: ").append(categoricalName(i)).append(", type: categorical}\n");
    }
    y.append("reference: {source: profile, path: '").append(profilePath).append("'}\n");
    String size = DurationText.format(window);
    y.append("window: {size: ").append(size).append(", slide: ").append(size)
        .append(", max_out_of_orderness: ").append(DurationText.format(outOfOrderness))
        .append(", idle_timeout: 1m}\n");
    y.append("tests:\n");
    y.append("  numeric: {ks: {alpha: 0.01}, psi: {threshold: 0.25, bins: 10}}\n");
    y.append("  categorical: {chi2: {alpha: 0.01}, psi: {threshold: 0.25}}\n");
    y.append("multiple_testing: bh\n");
    return y.toString();
  }

  /**
   * The example view {@code exampleYaml} (examples/feature-views/card-transactions.yaml) renamed to
   * {@code view}, reading {@code topic}; fails when the example no longer has the lines it replaces.
   */
  static String featureViewYaml(String exampleYaml, String view, String topic) {
    String renamed = replaceLine(exampleYaml, "view: card_transactions", "view: " + view);
    return replaceLine(renamed, "  topic: card-transactions", "  topic: " + topic);
  }

  private static String replaceLine(String yaml, String prefix, String replacement) {
    String pattern = "(?m)^" + java.util.regex.Pattern.quote(prefix) + "\\b.*$";
    String out = yaml.replaceFirst(pattern, java.util.regex.Matcher.quoteReplacement(replacement));
    if (out.equals(yaml)) {
      throw new InputException("examples/feature-views/card-transactions.yaml: expected a line \"" + prefix
          + "\" to replace for the benchmark");
    }
    return out;
  }
}
