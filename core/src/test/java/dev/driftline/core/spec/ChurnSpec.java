package dev.driftline.core.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * The monitor spec most tests read: model {@code churn}, a binary classifier with a numeric
 * feature {@code tenure} and a categorical feature {@code plan}.
 */
public final class ChurnSpec {
  private ChurnSpec() {}

  /** Its YAML: model, task and the two features, then {@code rest} (reference, window, ...), a line each. */
  public static String yaml(String... rest) {
    List<String> lines = new ArrayList<>(List.of(
        "model_id: churn",
        "task: binary_classification",
        "features:",
        "  - {name: tenure, type: numeric}",
        "  - {name: plan, type: categorical}"));
    lines.addAll(List.of(rest));
    return String.join("\n", lines);
  }

  /** The spec {@code m.yaml} with the previous window as its reference and {@code window}. */
  public static MonitorSpec parse(String window) {
    return MonitorSpecParser.parse("m.yaml", yaml("reference: {source: previous_window}", window));
  }
}
