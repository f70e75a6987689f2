package dev.driftline.cli.bench;

import dev.driftline.core.topics.NamedTopic;
import dev.driftline.core.topics.Topic;
import java.util.List;

/**
 * Topic names of one benchmark invocation: inputs shared by the runs that read them, outputs per run,
 * all under a prefix unique to the invocation, so runs (and invocations on one broker) never mix.
 * The inputs are the catalogue's topics under {@code <prefix>.<default name>}.
 */
record BenchTopics(String prefix) {
  String predictions() {
    return prefix + "." + Topic.PREDICTIONS.defaultName();
  }

  String labels() {
    return prefix + "." + Topic.LABELS.defaultName();
  }

  /** Stays empty: the drift run's labels. */
  String noLabels() {
    return prefix + "." + Topic.LABELS.defaultName() + "-empty";
  }

  /** Stays empty: no baselines are published during a run. */
  String baselines() {
    return prefix + "." + Topic.BASELINES.defaultName();
  }

  String cardTransactions() {
    return prefix + "." + Topic.FEATURE_EVENTS.defaultName();
  }

  /** The inputs with their catalogue entries (the baselines compacted, as the drift job requires of its own). */
  List<NamedTopic> inputs() {
    return List.of(Topic.PREDICTIONS.named(predictions()), Topic.LABELS.named(labels()), Topic.LABELS.named(noLabels()),
        Topic.BASELINES.named(baselines()), Topic.FEATURE_EVENTS.named(cardTransactions()));
  }

  /** An output of {@code run}, e.g. {@code drift}, {@code performance}, {@code dead-letters}. */
  String output(BenchPlan.Run run, String what) {
    return prefix + "." + run.slug() + "." + what;
  }
}
