package dev.driftline.jobs.retraintrigger.operators;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Decoded;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.results.PerformanceResult;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * Decoders of the drift job's outputs, for the models this job has a policy for. Fields they do not
 * know are ignored: a drift job of a later revision of the same schema version may add some.
 */
public final class ResultDecoders {
  private ResultDecoders() {}

  public static Decoded.Decoder<DriftResult> drift(ModelRegistry models) {
    return bytes -> {
      DriftResult r;
      try {
        r = Json.records().readValue(bytes, DriftResult.class);
      } catch (IOException e) {
        return Decoded.error("not a drift result: " + firstLine(e));
      }
      if (r == null || r.modelId() == null || r.windowEnd() == null || r.feature() == null || r.test() == null) {
        return Decoded.error("not a drift result: model_id, feature, test and window_end are required");
      }
      String badTime = badInstant("window_end", r.windowEnd());
      if (badTime != null) {
        return Decoded.error(badTime);
      }
      return models.get(r.modelId()) == null ? Decoded.error("model_id: no policy for model \"" + r.modelId() + "\"") : Decoded.ok(r);
    };
  }

  public static Decoded.Decoder<PerformanceResult> performance(ModelRegistry models) {
    return bytes -> {
      PerformanceResult r;
      try {
        r = Json.records().readValue(bytes, PerformanceResult.class);
      } catch (IOException e) {
        return Decoded.error("not a performance result: " + firstLine(e));
      }
      if (r == null || r.modelId() == null || r.windowStart() == null || r.windowEnd() == null) {
        return Decoded.error("not a performance result: model_id, window_start and window_end are required");
      }
      String badTime = badInstant("window_start", r.windowStart());
      badTime = badTime != null ? badTime : badInstant("window_end", r.windowEnd());
      if (badTime != null) {
        return Decoded.error(badTime);
      }
      return models.get(r.modelId()) == null ? Decoded.error("model_id: no policy for model \"" + r.modelId() + "\"") : Decoded.ok(r);
    };
  }

  /** The reason {@code text} is not an instant the policy can compute with (epoch millis), or null. */
  static String badInstant(String field, String text) {
    try {
      Instant.parse(text).toEpochMilli();
      return null;
    } catch (DateTimeException | ArithmeticException e) {
      return field + ": expected an ISO-8601 instant, got \"" + (text.length() > 60 ? text.substring(0, 57) + "..." : text) + "\"";
    }
  }

  private static String firstLine(IOException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.lines().findFirst().orElse("");
  }
}
