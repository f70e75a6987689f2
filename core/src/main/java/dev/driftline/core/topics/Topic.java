package dev.driftline.core.topics;

import dev.driftline.core.features.FeatureView;
import dev.driftline.core.schema.RecordSchema;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The catalogue of Driftline's Kafka topics: for each, its default name, the schema of its records,
 * who writes it, whether users create it, its cleanup policy and retention, and its record key.
 * Everything that names or creates a topic reads it: the jobs' launchers (their {@code --*-topic}
 * defaults and {@code KafkaTopics.ensure}), {@code driftline topics create|check|script}, the demo,
 * the benchmark, {@code docker/setup/create-topics.sh} (generated, see {@link Topics#script()}) and
 * {@code docs/topics.md} (its table, see {@link Topics#markdownTable()}). Each entry has one schema
 * in {@code schemas/} and each schema one entry.
 *
 * <p>Two entries stand for a family: {@link #FEATURE_EVENTS} is a feature view's {@code source.topic}
 * and {@link #FEATURES} its log {@code features.<view>}; their default names are the example view's
 * ({@code examples/feature-views/card-transactions.yaml}).
 */
public enum Topic {
  PREDICTIONS("predictions", RecordSchema.PREDICTION, Topics.USERS, true, Cleanup.DELETE, Duration.ofDays(7), null,
      "model id", "A model's scored requests."),
  LABELS("labels", RecordSchema.LABEL, Topics.USERS, true, Cleanup.DELETE, Duration.ofDays(7), null,
      "model id", "The ground truth of predictions, when it becomes known."),
  FEATURE_EVENTS("card-transactions", RecordSchema.FEATURE_EVENT, Topics.USERS, true, Cleanup.DELETE, Duration.ofDays(7), null,
      "entity key", "Raw events a feature view aggregates, read by the feature pipeline."),
  BASELINES("baselines", RecordSchema.BASELINE, "trainers (driftline baseline build --publish)", false, Cleanup.COMPACT, null, null,
      "model id", "Baselines; compacted, so each model's latest baseline is kept for every later deployment."),
  DRIFT_RESULTS("drift-results", RecordSchema.DRIFT_RESULT, "drift-detection", false, Cleanup.DELETE, Duration.ofDays(7), null,
      "model id", "One test of one feature, the score or the labels in one window."),
  PERFORMANCE("performance", RecordSchema.PERFORMANCE, "drift-detection", false, Cleanup.DELETE, Duration.ofDays(7), null,
      "model id", "A window's realized or estimated performance."),
  LABELLED_PREDICTIONS("labelled-predictions", RecordSchema.LABELLED_PREDICTION, "drift-detection", false, Cleanup.DELETE,
      Duration.ofDays(30), null, "model id", "Predictions joined with their labels: the training data trainers pull."),
  RETRAIN_TRIGGERS("retrain-triggers", RecordSchema.RETRAIN_TRIGGER, "retrain-trigger", false, Cleanup.DELETE,
      Duration.ofDays(30), null, "model id", "Decisions that a model must be retrained."),
  ALERTS("alerts", RecordSchema.ALERT, "retrain-trigger", false, Cleanup.DELETE, Duration.ofDays(30), null,
      "model id", "Warning and critical alerts for people."),
  DEAD_LETTERS("dead-letters", RecordSchema.DEAD_LETTER, "every job", false, Cleanup.DELETE, Duration.ofDays(30), null,
      "stage", "Records a job could not use, with the reason."),
  FEATURES(FeatureView.logTopic("card_transactions"), RecordSchema.FEATURE_RECORD, "feature-pipeline", false, Cleanup.COMPACT,
      null, Duration.ofDays(30), "entity key", "A view's feature log: every record younger than min.compaction.lag.ms, "
      + "then the latest per entity.");

  /** Kafka's {@code cleanup.policy}. */
  public enum Cleanup {
    DELETE, COMPACT;

    /** {@code delete}, {@code compact}: the value of {@code cleanup.policy}. */
    public String value() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static final String CLEANUP_POLICY = "cleanup.policy";
  public static final String RETENTION_MS = "retention.ms";
  public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
  /** Not set by the catalogue: a deployment's choice ({@code driftline topics create --min-insync-replicas}). */
  public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

  private final String defaultName;
  private final RecordSchema schema;
  private final String producer;
  private final boolean userCreated;
  private final Cleanup cleanup;
  private final Duration retention;
  private final Duration minCompactionLag;
  private final String key;
  private final String description;

  Topic(String defaultName, RecordSchema schema, String producer, boolean userCreated, Cleanup cleanup, Duration retention,
      Duration minCompactionLag, String key, String description) {
    this.defaultName = defaultName;
    this.schema = schema;
    this.producer = producer;
    this.userCreated = userCreated;
    this.cleanup = cleanup;
    this.retention = retention;
    this.minCompactionLag = minCompactionLag;
    this.key = key;
    this.description = description;
  }

  /** The name the jobs, the demo and {@code driftline topics} use unless told otherwise. */
  public String defaultName() {
    return defaultName;
  }

  public RecordSchema schema() {
    return schema;
  }

  /** Who writes it: {@value Topics#USERS}, a job's name, trainers or every job. */
  public String producer() {
    return producer;
  }

  /** True for inputs the users' systems write: a job requires them and never creates them. */
  public boolean userCreated() {
    return userCreated;
  }

  public Cleanup cleanup() {
    return cleanup;
  }

  /** {@code retention.ms}, or null when the topic is compacted only (no time-based deletion). */
  public Duration retention() {
    return retention;
  }

  /** {@code min.compaction.lag.ms} of a compacted topic that keeps recent history, else null. */
  public Duration minCompactionLag() {
    return minCompactionLag;
  }

  /** What the record key holds. */
  public String key() {
    return key;
  }

  public String description() {
    return description;
  }

  /** The catalogue's topic configs, in a fixed order: cleanup.policy, then retention.ms or min.compaction.lag.ms. */
  public Map<String, String> configs() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(CLEANUP_POLICY, cleanup.value());
    if (retention != null) {
      out.put(RETENTION_MS, Long.toString(retention.toMillis()));
    }
    if (minCompactionLag != null) {
      out.put(MIN_COMPACTION_LAG_MS, Long.toString(minCompactionLag.toMillis()));
    }
    return out;
  }

  /** This entry under {@code name} (a job's option, a test's prefix). */
  public NamedTopic named(String name) {
    return new NamedTopic(name, this);
  }

  /** This entry under its default name. */
  public NamedTopic byDefault() {
    return new NamedTopic(defaultName, this);
  }

  /** The entry whose records have {@code schema}. */
  public static Topic of(RecordSchema schema) {
    for (Topic t : values()) {
      if (t.schema == schema) {
        return t;
      }
    }
    throw new IllegalArgumentException("no topic holds " + schema);
  }
}
