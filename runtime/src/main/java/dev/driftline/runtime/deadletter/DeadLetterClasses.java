package dev.driftline.runtime.deadletter;

/**
 * The labels a dead letter is counted under: its source (the step that refused it) and a reason
 * class, a short fixed word for what its one-line reason says. The reason itself names fields and
 * values and would give every bad record its own time series; the class does not. Pure functions of
 * the dead letter's {@code stage} and {@code reason}, so counting the dead-letter topic by them gives
 * the metric's numbers.
 *
 * <p>Classes: {@code too_large}, {@code empty}, {@code invalid_json}, {@code unknown_model},
 * {@code invalid_time}, {@code missing_field}, {@code invalid_value} (a field of the wrong type or
 * out of range, the rest of what decoders refuse), {@code decoder_failed}, {@code duplicate} (a
 * second prediction with an id, a second label of a prediction), {@code unmatched} (a label whose
 * prediction did not come, or of a model with {@code labels: none}), {@code late} (behind the watermark), {@code rejected} (refused by
 * Elasticsearch).
 */
public final class DeadLetterClasses {
  private DeadLetterClasses() {}

  /** The stage, except that Elasticsearch's {@code elasticsearch:<index>} is {@code elasticsearch} (indices roll over monthly). */
  public static String source(String stage) {
    return stage.startsWith("elasticsearch:") ? "elasticsearch" : stage;
  }

  /** The reason class of a dead letter refused at {@code stage} for {@code reason}. */
  public static String reason(String stage, String reason) {
    if (stage.startsWith("elasticsearch:")) {
      return "rejected";
    }
    if (stage.startsWith("dedup:")) {
      return "duplicate";
    }
    if (stage.startsWith("join:")) {
      return afterField(reason).startsWith("duplicate label") ? "duplicate" : "unmatched";
    }
    if (stage.startsWith("window:") || reason.startsWith("late event")) {
      return "late";
    }
    if (reason.startsWith("record too large")) {
      return "too_large";
    }
    if (reason.startsWith("empty record")) {
      return "empty";
    }
    if (reason.startsWith("decoder failed")) {
      return "decoder_failed";
    }
    if (reason.startsWith("invalid JSON") || reason.startsWith("expected a JSON object")
        || reason.startsWith("not a Driftline profile")) {
      return "invalid_json";
    }
    String rest = afterField(reason);
    if (reason.startsWith("model_id: ") && (rest.startsWith("unknown model") || rest.startsWith("no spec for model"))) {
      return "unknown_model";
    }
    if (rest.startsWith("expected epoch millis or an ISO-8601 time")) {
      return "invalid_time";
    }
    if (rest.startsWith("missing")) {
      return "missing_field";
    }
    return "invalid_value";
  }

  /** What follows the field a reason starts with ({@code features.income: expected ...}), or the whole reason. */
  private static String afterField(String reason) {
    int colon = reason.indexOf(": ");
    return colon < 0 ? reason : reason.substring(colon + 2);
  }
}
