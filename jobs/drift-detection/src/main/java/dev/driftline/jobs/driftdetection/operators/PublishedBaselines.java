package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.io.Interned;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.MonitorSpec;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;
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
  private static final long serialVersionUID = 2L;
  /** One copy per JVM, shared by the subtasks of every operator that reads it (see {@link Interned}). */
  private transient Map<String, Baseline> atStart;
  private final String atStartFingerprint;
  private transient Map<String, Converted> converted;

  /** @param atStart the profile baseline of each model that has one when the job starts */
  PublishedBaselines(Map<String, Baseline> atStart) {
    this.atStart = Map.copyOf(atStart);
    this.atStartFingerprint = Interned.fingerprint(new HashMap<>(this.atStart));
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    out.writeObject(new HashMap<>(atStart));
  }

  @SuppressWarnings("unchecked")
  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    atStart = Interned.intern(atStartFingerprint, Map.copyOf((Map<String, Baseline>) in.readObject()));
  }

  /** Puts {@code profile} into {@code state} unless a newer baseline of its model is there; true when put. */
  static boolean keepNewest(BroadcastState<String, byte[]> state, BaselineDecoder.PublishedBaseline profile)
      throws Exception {
    byte[] current = state.get(profile.modelId());
    if (current != null && !profile.replaces(Json.mapper().readValue(current, BaselineFile.class).createdAt())) {
      return false;
    }
    state.put(profile.modelId(), profile.json());
    return true;
  }

  /**
   * The newest published baseline of the model ({@code published}, its JSON, or null), else the one
   * given at start; {@code onConverted} sees each published profile the first time it is converted.
   */
  Baseline current(MonitorSpec spec, byte[] published, Consumer<BaselineFile> onConverted) throws Exception {
    if (published == null) {
      return atStart.get(spec.modelId());
    }
    if (converted == null) {
      converted = new HashMap<>();
    }
    // A window close reads the model's published profile: it is parsed only when its bytes changed
    // (broadcast state hands back the same array until the next baseline replaces it).
    Converted cached = converted.get(spec.modelId());
    if (cached != null && (cached.json == published || Arrays.equals(cached.json, published))) {
      return cached.baseline;
    }
    BaselineFile profile = Json.mapper().readValue(published, BaselineFile.class);
    if (cached == null || !cached.baseline.referenceId().equals(profile.profileId())) {
      onConverted.accept(profile);
      cached = new Converted(published, Baseline.fromProfile(profile, spec));
    } else {
      cached = new Converted(published, cached.baseline);
    }
    converted.put(spec.modelId(), cached);
    return cached.baseline;
  }

  private record Converted(byte[] json, Baseline baseline) {}
}
