package dev.driftline.jobs.retraintrigger.operators;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Decoded;
import dev.driftline.core.io.Json;
import dev.driftline.core.window.DriftResult;
import dev.driftline.core.window.PerformanceResult;
import java.io.IOException;

/** Decoders of the drift job's outputs, for the models this job has a policy for. */
public final class ResultDecoders {
  private ResultDecoders() {}

  public static Decoded.Decoder<DriftResult> drift(ModelRegistry models) {
    return bytes -> {
      DriftResult r;
      try {
        r = Json.mapper().readValue(bytes, DriftResult.class);
      } catch (IOException e) {
        return Decoded.error("not a drift result: " + firstLine(e));
      }
      if (r == null || r.modelId() == null || r.windowEnd() == null || r.feature() == null || r.test() == null) {
        return Decoded.error("not a drift result: model_id, feature, test and window_end are required");
      }
      return models.get(r.modelId()) == null ? Decoded.error("model_id: no policy for model \"" + r.modelId() + "\"") : Decoded.ok(r);
    };
  }

  public static Decoded.Decoder<PerformanceResult> performance(ModelRegistry models) {
    return bytes -> {
      PerformanceResult r;
      try {
        r = Json.mapper().readValue(bytes, PerformanceResult.class);
      } catch (IOException e) {
        return Decoded.error("not a performance result: " + firstLine(e));
      }
      if (r == null || r.modelId() == null || r.windowStart() == null || r.windowEnd() == null) {
        return Decoded.error("not a performance result: model_id, window_start and window_end are required");
      }
      return models.get(r.modelId()) == null ? Decoded.error("model_id: no policy for model \"" + r.modelId() + "\"") : Decoded.ok(r);
    };
  }

  private static String firstLine(IOException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.lines().findFirst().orElse("");
  }
}
