package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.io.Json;
import dev.driftline.core.profile.ReferenceProfile;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.window.Baseline;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.BroadcastState;

/**
 * The models' profile baselines as the operators that read the baselines topic see them: the one
 * given at start until a profile is published, then the newest published one (an older baseline
 * arriving late never replaces a newer one), converted once per profile id. Each operator keeps
 * its own copy of the broadcast state by this one rule.
 */
final class PublishedBaselines implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Map<String, Baseline> atStart;
  private transient Map<String, Baseline> converted;

  /** @param atStart the profile baseline of each model that has one when the job starts */
  PublishedBaselines(Map<String, Baseline> atStart) {
    this.atStart = Map.copyOf(atStart);
  }

  /** Puts {@code profile} into {@code state} unless a newer baseline of its model is there; true when put. */
  static boolean keepNewest(BroadcastState<String, byte[]> state, BaselineDecoder.PublishedBaseline profile)
      throws Exception {
    byte[] current = state.get(profile.modelId());
    if (current != null && Json.mapper().readValue(current, ReferenceProfile.class).createdAt()
        .compareTo(profile.createdAt()) > 0) {
      return false;
    }
    state.put(profile.modelId(), profile.json());
    return true;
  }

  /**
   * The newest published baseline of the model ({@code published}, its JSON, or null), else the one
   * given at start; {@code onConverted} sees each published profile the first time it is converted.
   */
  Baseline current(MonitorSpec spec, byte[] published, Consumer<ReferenceProfile> onConverted) throws Exception {
    if (published == null) {
      return atStart.get(spec.modelId());
    }
    if (converted == null) {
      converted = new HashMap<>();
    }
    ReferenceProfile profile = Json.mapper().readValue(published, ReferenceProfile.class);
    Baseline cached = converted.get(spec.modelId());
    if (cached == null || !cached.referenceId().equals(profile.profileId())) {
      cached = Baseline.fromProfile(profile, spec);
      converted.put(spec.modelId(), cached);
      onConverted.accept(profile);
    }
    return cached;
  }
}
