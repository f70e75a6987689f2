package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.baseline.BaselineFiles;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Decoded;
import dev.driftline.core.io.InputException;
import dev.driftline.core.spec.MonitorSpec;
import java.io.ByteArrayInputStream;

/**
 * Decodes a baseline published on the baselines topic, checked against its model's spec
 * ({@link BaselineFiles#checkUsable}): a profile that would fail a drift evaluation later is a
 * dead letter now. Unknown fields are refused (a profile is Driftline's own document, and a
 * misspelt key would otherwise be silently ignored).
 */
public final class BaselineDecoder implements Decoded.Decoder<BaselineDecoder.PublishedBaseline> {
  private static final long serialVersionUID = 1L;
  private final ModelRegistry models;

  public BaselineDecoder(ModelRegistry models) {
    this.models = models;
  }

  /** A checked profile as it travels through the job (as JSON, so no generic serializer is needed). */
  public record PublishedBaseline(String modelId, String profileId, String createdAt, byte[] json) {
    /** Whether this baseline replaces one of its model created at {@code heldCreatedAt}: unless that one is newer. */
    public boolean replaces(String heldCreatedAt) {
      return heldCreatedAt.compareTo(createdAt) <= 0;
    }
  }

  @Override
  public Decoded<PublishedBaseline> decode(byte[] bytes) {
    try {
      BaselineFile profile = BaselineFiles.read("baseline", new ByteArrayInputStream(bytes));
      if (profile.modelId() == null || profile.modelId().isBlank()) {
        return Decoded.error("model_id: expected a non-empty string, got " + profile.modelId());
      }
      MonitorSpec spec = models.get(profile.modelId());
      if (spec == null) {
        return Decoded.error("model_id: no spec for model \"" + profile.modelId() + "\" in this job");
      }
      BaselineFiles.checkUsable(profile, "baseline " + profile.profileId(), spec);
      return Decoded.ok(new PublishedBaseline(profile.modelId(), profile.profileId(), profile.createdAt(), bytes));
    } catch (InputException e) {
      return Decoded.error(e.getMessage());
    }
  }
}
