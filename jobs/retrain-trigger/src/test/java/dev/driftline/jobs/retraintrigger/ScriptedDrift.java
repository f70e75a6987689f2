package dev.driftline.jobs.retraintrigger;

import dev.driftline.core.results.DriftResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.trigger.PolicyEngine;
import dev.driftline.core.trigger.PolicyState;
import dev.driftline.core.trigger.WindowDriftSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A scripted stream of hourly drift results for model {@code m} (four features, a KS or chi² and a
 * PSI each): episodes of drift between calm stretches, and the triggers its policy gives when the
 * windows are seen in order by one uninterrupted run.
 *
 * @param results eight per window, in window order
 */
record ScriptedDrift(MonitorSpec spec, String specYaml, List<DriftResult> results) {
  static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
  static final int RESULTS_PER_WINDOW = 8;

  static ScriptedDrift of(int windows) {
    String yaml = String.join("\n",
        "model_id: m", "task: binary_classification",
        "features: [{name: a, type: numeric}, {name: b, type: numeric}, {name: c, type: numeric}, {name: d, type: categorical}]",
        "reference: {source: previous_window}", "window: {size: 1h}",
        "policy: {dataset_drift: {share: 0.5, k: 2, n: 3}, psi_hard_limit: 0.25, warn_psi: 0.1, cooldown: 3h, rearm_after_windows: 2}");
    MonitorSpec spec = MonitorSpecParser.parse("m.yaml", yaml);
    return new ScriptedDrift(spec, yaml, results(windows, DriftResult.ALL_SEGMENTS, 11));
  }

  /** The script's results of one segment, eight per window in window order, drawn with {@code seed}. */
  static List<DriftResult> results(int windows, String segment, long seed) {
    List<DriftResult> results = new ArrayList<>();
    // Episodes of drift (2 or 3 features drifted, sometimes a PSI above the limit) between calm stretches.
    SplittableRandom random = new SplittableRandom(seed);
    String[] names = {"a", "b", "c", "d"};
    for (int i = 0; i < windows; i++) {
      boolean episode = (i / 6) % 3 == 2;
      String start = T0.plus(Duration.ofHours(i)).toString();
      String end = T0.plus(Duration.ofHours(i + 1)).toString();
      for (int f = 0; f < 4; f++) {
        boolean drift = episode && random.nextDouble() < 0.7;
        double psi = drift ? 0.05 + 0.3 * random.nextDouble() : 0.02 * random.nextDouble();
        String type = f == 3 ? "categorical" : "numeric";
        DriftResult test = new DriftResult("m", segment, names[f], type, f == 3 ? "chi2" : "ks", 0.2,
            drift ? 1e-5 : 0.4, drift ? 1e-5 : 0.4, 0.01, drift, "exact", null, null, start, end, 5000, 300, "ref", end);
        DriftResult p = new DriftResult("m", segment, names[f], type, "psi", psi, null, null, 0.25,
            psi > 0.25, "binned", "x", null, start, end, 5000, 300, "ref", end);
        results.add(test);
        results.add(p);
      }
    }
    return List.copyOf(results);
  }

  /** The trigger ids, in order, of the whole script seen by one run. */
  List<String> triggers() {
    return triggers(0, results.size() / RESULTS_PER_WINDOW);
  }

  /** The trigger ids, in order, of a run that starts with no state at window {@code from} and stops before {@code to}. */
  List<String> triggers(int from, int to) {
    return decisions(from, to).stream().filter(d -> d.trigger() != null).map(d -> d.trigger().triggerId()).toList();
  }

  /**
   * What the policy decides on each window, in order, in a run that starts with no state at window
   * {@code from} and stops before {@code to} (decided at time 0: created_at is the epoch).
   */
  List<PolicyEngine.Decision> decisions(int from, int to) {
    List<PolicyEngine.Decision> decisions = new ArrayList<>();
    PolicyState state = new PolicyState();
    for (int i = from; i < to; i++) {
      List<DriftResult> window = results.subList(i * RESULTS_PER_WINDOW, (i + 1) * RESULTS_PER_WINDOW);
      WindowDriftSummary w = new WindowDriftSummary(window.get(0).windowStart(), window.get(0).windowEnd());
      window.forEach(w::add);
      decisions.add(PolicyEngine.onDriftWindow(spec, DriftResult.ALL_SEGMENTS, state, w, 0));
    }
    return decisions;
  }
}
