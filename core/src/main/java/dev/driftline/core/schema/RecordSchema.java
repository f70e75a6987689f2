package dev.driftline.core.schema;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The record formats of Driftline's Kafka topics, each described by a JSON Schema (draft 2020-12)
 * in the repository's {@code schemas/} folder ({@code schemas/<name>.v<major>.schema.json}, on the
 * classpath as {@code schemas/...}). Everything Driftline writes to Kafka carries the Kafka header
 * {@value #HEADER} with {@link #headerValue()}, e.g. {@code drift-result/1}: within a major version
 * fields are only added (see {@code schemas/README.md}), so a consumer checks the major number and
 * ignores fields it does not know.
 */
public enum RecordSchema {
  /** {@code predictions}: a model's scored request (input). */
  PREDICTION("prediction", 1),
  /** {@code labels}: the ground truth of a prediction, when it becomes known (input). */
  LABEL("label", 1),
  /** A feature view's source topic: one raw event (input of the feature pipeline). */
  FEATURE_EVENT("feature-event", 1),
  /** {@code drift-results}: one test of one feature (or the score, or the labels) in one window. */
  DRIFT_RESULT("drift-result", 1),
  /** {@code performance}: a window's realized or estimated performance. */
  PERFORMANCE("performance", 1),
  /** {@code labelled-predictions}: a prediction joined with its label, training data. */
  LABELLED_PREDICTION("labelled-prediction", 1),
  /** {@code retrain-triggers}: a decision that a model must be retrained. */
  RETRAIN_TRIGGER("retrain-trigger", 1),
  /** {@code alerts}: a warning or critical alert for people. */
  ALERT("alert", 1),
  /** {@code dead-letters}: a record Driftline could not use, with the reason. */
  DEAD_LETTER("dead-letter", 1),
  /** {@code baselines}: a reference profile ({@code driftline-profile/1}). */
  BASELINE("baseline", 1),
  /** {@code features.<view>}: an entity's features as of an instant (the feature log). */
  FEATURE_RECORD("feature-record", 1);

  /** The Kafka header naming a record's schema and major version. */
  public static final String HEADER = "driftline-schema";

  private final String schemaName;
  private final int major;

  RecordSchema(String schemaName, int major) {
    this.schemaName = schemaName;
    this.major = major;
  }

  /** {@code drift-result}. */
  public String schemaName() {
    return schemaName;
  }

  public int major() {
    return major;
  }

  /** {@code drift-result/1}: the value of the {@value #HEADER} header. */
  public String headerValue() {
    return schemaName + "/" + major;
  }

  /** {@link #headerValue()} as the header's bytes (UTF-8). */
  public byte[] headerBytes() {
    return headerValue().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code schemas/drift-result.v1.schema.json}: the schema's path in the repository and on the classpath. */
  public String resource() {
    return "schemas/" + schemaName + ".v" + major + ".schema.json";
  }

  /** The schema a header value names, or null when it names none (another name, another major version, not a header value). */
  public static RecordSchema ofHeader(String value) {
    for (RecordSchema s : values()) {
      if (s.headerValue().equals(value)) {
        return s;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return headerValue().toLowerCase(Locale.ROOT);
  }
}
