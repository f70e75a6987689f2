package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.ReferenceSpec;
import dev.driftline.core.stats.PcaModel;
import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The PCA model each model's predictions are scored with as they are summarized, with the id of
 * the profile it came from: the model of the newest profile (published on the baselines topic,
 * else given at start), for each model whose spec has {@code pca} and whose reference is a
 * profile. A window records that id, and is tested only against that profile
 * ({@code WindowDrift.pcaUntested}). Mutable and not thread-safe: one per operator subtask, read
 * once per prediction by a hash lookup (no keyed state).
 */
final class PcaScorers implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A model's scorer: the PCA model of the profile {@code profileId}. */
  record Scorer(String profileId, PcaModel model) implements Serializable {}

  private final HashMap<String, Scorer> byModel = new HashMap<>();

  /** Whether predictions of {@code spec}'s model are scored: its spec has pca and its reference is a profile. */
  static boolean scores(MonitorSpec spec) {
    return spec.pca().enabled() && spec.reference().source() == ReferenceSpec.Source.PROFILE;
  }

  /** Whether any model of {@code models} is scored. */
  static boolean anyScored(ModelRegistry models) {
    return models.all().stream().anyMatch(PcaScorers::scores);
  }

  /** The scorers of the profiles given at start ({@code profiles}, model id to baseline). */
  static PcaScorers atStart(ModelRegistry models, Map<String, Baseline> profiles) {
    PcaScorers scorers = new PcaScorers();
    for (MonitorSpec spec : models.all()) {
      Baseline b = profiles.get(spec.modelId());
      if (scores(spec) && b != null && b.pca() != null) {
        scorers.byModel.put(spec.modelId(), new Scorer(b.referenceId(), b.pca()));
      }
    }
    return scorers;
  }

  /** The scorer of {@code modelId}, or null when its predictions are not scored. */
  Scorer get(String modelId) {
    return byModel.get(modelId);
  }

  /**
   * Takes in the published profiles kept in broadcast state ({@code published}: model id to profile
   * JSON, the newest of each model), as after a restore; models not in {@code models} are skipped.
   */
  void updateAll(ModelRegistry models, Iterable<Map.Entry<String, byte[]>> published) throws IOException {
    for (Map.Entry<String, byte[]> e : published) {
      MonitorSpec spec = models.get(e.getKey());
      if (spec != null) {
        update(spec, Json.mapper().readValue(e.getValue(), BaselineFile.class));
      }
    }
  }

  /**
   * Scores {@code spec}'s predictions from now on with {@code profile}'s model (the model's newest
   * profile, already checked against the spec); a profile without one stops the scoring.
   */
  void update(MonitorSpec spec, BaselineFile profile) {
    if (!scores(spec)) {
      return;
    }
    if (profile.pca() == null) {
      byModel.remove(spec.modelId());
    } else {
      byModel.put(spec.modelId(), new Scorer(profile.profileId(), profile.pca()));
    }
  }
}
