package dev.driftline.cli.bench;

/**
 * Topic names of one benchmark invocation: inputs shared by the runs that read them, outputs per run,
 * all under a prefix unique to the invocation, so runs (and invocations on one broker) never mix.
 */
record BenchTopics(String prefix) {
  String predictions() {
    return prefix + ".predictions";
  }

  String labels() {
    return prefix + ".labels";
  }

  /** Stays empty: the drift run's labels. */
  String noLabels() {
    return prefix + ".labels-empty";
  }

  /** Stays empty: no baselines are published during a run. */
  String baselines() {
    return prefix + ".baselines";
  }

  String cardTransactions() {
    return prefix + ".card-transactions";
  }

  /** An output of {@code run}, e.g. {@code drift}, {@code performance}, {@code dead-letters}. */
  String output(BenchPlan.Run run, String what) {
    return prefix + "." + run.slug() + "." + what;
  }
}
