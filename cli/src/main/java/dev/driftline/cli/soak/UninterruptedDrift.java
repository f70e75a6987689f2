package dev.driftline.cli.soak;

import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.events.PredictionDecoder;
import dev.driftline.core.io.Decoded;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import dev.driftline.core.window.WindowDrift;
import dev.driftline.core.window.WindowSummary;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The drift results one uninterrupted run of the drift-detection job emits for generated traffic,
 * recomputed in batch from the same seeded generator: the predictions summarized per tumbling
 * window of event time, every window that the final watermark closes (the last prediction's time
 * less the spec's {@code max_out_of_orderness}, less 1 ms, as Flink's bounded-out-of-orderness
 * watermarks go) tested against the baseline. For a monitor without segments, label
 * reference or {@code pca}, as the soak and overload runs synthesize it.
 */
final class UninterruptedDrift {
  private UninterruptedDrift() {}

  /** What an uninterrupted run emits: its drift results by id, and the prediction ids of the labels it refuses. */
  record Outputs(Map<String, DriftResult> drift, Set<String> refusedLabels) {}

  static Outputs outputs(MonitorSpec spec, BaselineFile profile, TrafficConfig traffic) {
    return new Outputs(of(spec, profile, traffic), refusedLabels(spec, traffic));
  }

  /** By result id ({@link DriftResult#id()}); {@code computed_at} is 0, the one field a run sets from its clock. */
  static Map<String, DriftResult> of(MonitorSpec spec, BaselineFile profile, TrafficConfig traffic) {
    PredictionDecoder decoder = new PredictionDecoder(new ModelRegistry(java.util.List.of(spec)));
    long size = spec.window().size().toMillis();
    TreeMap<Long, WindowSummary> windows = new TreeMap<>();
    long maxTs = Long.MIN_VALUE;
    for (TrafficGenerator events = new TrafficGenerator(traffic); events.hasNext(); ) {
      TrafficEvent e = events.next();
      if (e.type() != TrafficEvent.Type.PREDICTION) {
        continue;
      }
      Decoded<Prediction> d = decoder.decode(e.json().getBytes(StandardCharsets.UTF_8));
      if (!d.isOk()) {
        throw new IllegalStateException("generated prediction " + e.key() + ": " + d.error());
      }
      Prediction p = d.value();
      windows.computeIfAbsent(p.timestamp() - Math.floorMod(p.timestamp(), size), s -> WindowSummary.empty(spec)).add(p);
      maxTs = Math.max(maxTs, p.timestamp());
    }
    long watermark = maxTs - spec.window().maxOutOfOrderness().toMillis() - 1;
    Baseline baseline = Baseline.fromProfile(profile, spec);
    Map<String, DriftResult> out = new LinkedHashMap<>();
    for (var w : windows.entrySet()) {
      long start = w.getKey();
      if (start + size - 1 > watermark) {
        break;
      }
      WindowDrift.evaluate(spec, baseline, w.getValue()).forEach(f -> {
        DriftResult r = DriftResult.of(spec.modelId(), DriftResult.ALL_SEGMENTS, start, start + size, f,
            baseline.referenceId(), 0);
        out.put(r.id(), r);
      });
    }
    return out;
  }

  /**
   * The prediction ids whose labels the join of an uninterrupted run refuses: a label more than
   * {@code labels.max_delay} after its prediction in event time never joins it, and becomes a dead
   * letter when the watermark reaches the label's time plus that delay, as the final watermark (see
   * {@link #of}) does for those early enough. Decided on event times alone, as the join decides.
   */
  static Set<String> refusedLabels(MonitorSpec spec, TrafficConfig traffic) {
    long maxDelay = spec.maxLabelDelay().toMillis();
    Map<String, Long> predicted = new HashMap<>();
    Map<String, Long> late = new TreeMap<>();
    long maxTs = Long.MIN_VALUE;
    String idField = spec.fields().predictionId();
    for (TrafficGenerator events = new TrafficGenerator(traffic); events.hasNext(); ) {
      TrafficEvent e = events.next();
      String id = e.body().get(idField).asText();
      if (e.type() == TrafficEvent.Type.PREDICTION) {
        predicted.put(id, e.ts());
        maxTs = Math.max(maxTs, e.ts());
      } else {
        Long p = predicted.get(id);
        if (p == null || e.ts() > p + maxDelay) {
          late.put(id, e.ts());
        }
      }
    }
    long watermark = maxTs - spec.window().maxOutOfOrderness().toMillis() - 1;
    Set<String> refused = new TreeSet<>();
    late.forEach((id, ts) -> {
      if (ts + maxDelay <= watermark) {
        refused.add(id);
      }
    });
    return refused;
  }

  /** How far, in ms, the final watermark of {@code traffic} is from the nearest window end: near 0, a window may or may not close. */
  static long watermarkMargin(MonitorSpec spec, TrafficConfig traffic) {
    long size = spec.window().size().toMillis();
    long watermark = traffic.end().toEpochMilli() - spec.window().maxOutOfOrderness().toMillis();
    long into = Math.floorMod(watermark, size);
    return Math.min(into, size - into);
  }
}
