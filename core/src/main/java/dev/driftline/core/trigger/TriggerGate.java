package dev.driftline.core.trigger;

import dev.driftline.core.results.DriftResult;
import dev.driftline.core.spec.MonitorSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Whether findings that would trigger may: the policy must be armed (re-armed after
 * {@code rearm_after_windows} clear drift windows) and out of {@code cooldown}. Also the
 * deterministic ids of triggers and alerts, so that a replay of the same input writes the same
 * records.
 */
final class TriggerGate {
  private TriggerGate() {}

  /** Counts a drift window with or without a firing condition toward re-arming. */
  static void countClearWindow(PolicyState s, int rearmAfterWindows, boolean clear) {
    if (!clear) {
      s.clearStreak = 0;
      return;
    }
    s.clearStreak++;
    if (!s.armed && s.clearStreak >= rearmAfterWindows) {
      s.armed = true;
      s.episodeStart = null;
    }
  }

  /** The decision on findings that would trigger: a trigger, or the reason it was held back. */
  static PolicyEngine.Decision gate(MonitorSpec spec, String segment, PolicyState s, Findings f, String referenceId,
      String windowStart, String windowEnd, long now) {
    if (s.episodeStart == null) {
      s.episodeStart = f.earliest(windowStart);
    }
    long end = Instant.parse(windowEnd).toEpochMilli();
    if (!s.armed) {
      return new PolicyEngine.Decision(f.alerts, null, "rearm");
    }
    if (s.lastTrigger != Long.MIN_VALUE && end < s.lastTrigger + spec.policy().cooldown().toMillis()) {
      return new PolicyEngine.Decision(f.alerts, null, "cooldown");
    }
    s.armed = false;
    s.clearStreak = 0;
    s.lastTrigger = end;
    String version = version(spec);
    String id = triggerId(spec.modelId(), segment, windowEnd, version);
    RetrainTrigger trigger = new RetrainTrigger(id, spec.modelId(), segment, List.copyOf(f.reasons),
        List.copyOf(f.evidence), referenceId, s.episodeStart == null ? windowStart : s.episodeStart, windowEnd,
        Instant.ofEpochMilli(now).toString(), version);
    List<Alert> out = new ArrayList<>(f.alerts);
    out.add(new Alert("alert-" + id, "critical", "retrain_trigger", spec.modelId(), segment,
        who(spec, segment) + ": retrain triggered: " + String.join("; ", f.reasons), id, windowStart, windowEnd,
        Instant.ofEpochMilli(now).toString(), version, List.copyOf(f.evidence)));
    s.episodeStart = null;
    return new PolicyEngine.Decision(out, trigger, null);
  }

  /** Deterministic: the same model, segment, deciding window and policy always give the same id. */
  static String triggerId(String modelId, String segment, String windowEnd, String policyVersion) {
    byte[] digest = sha256(String.join("|", modelId, segment, windowEnd, policyVersion));
    return "trg-" + HexFormat.of().formatHex(digest, 0, 10);
  }

  /** A warning alert; its id is fixed by the model, segment, kind, message and window. */
  static Alert warning(String kind, MonitorSpec spec, String segment, String windowStart, String windowEnd, long now,
      String message, List<Evidence> evidence) {
    String id = "alert-" + triggerId(spec.modelId(), segment + "|" + kind + "|" + message.hashCode(), windowEnd,
        version(spec));
    return new Alert(id, "warning", kind, spec.modelId(), segment, message, null, windowStart, windowEnd,
        Instant.ofEpochMilli(now).toString(), version(spec), List.copyOf(evidence));
  }

  /** {@code model} for the whole model, {@code model [segment]} for a segment. */
  static String who(MonitorSpec spec, String segment) {
    return spec.modelId() + (segment.equals(DriftResult.ALL_SEGMENTS) ? "" : " [" + segment + "]");
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String version(MonitorSpec spec) {
    return spec.specHash().substring(0, 12);
  }
}
