package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.core.events.Prediction;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.window.Outcome;
import org.apache.flink.util.Collector;

/**
 * Keys of the per-segment results: every record counts for its model as a whole
 * ({@link DriftResult#ALL_SEGMENTS}) and, when it has a segment, for that segment too.
 */
public final class SegmentFanOut {
  private SegmentFanOut() {}

  /** The key {@code model|segment}; model ids cannot contain {@code |}. */
  public static String key(String modelId, String segment) {
    return modelId + "|" + segment;
  }

  public static String modelOf(String key) {
    return key.substring(0, key.indexOf('|'));
  }

  public static String segmentOf(String key) {
    return key.substring(key.indexOf('|') + 1);
  }

  /** The prediction for the whole model, and a copy for its segment when it has one. */
  public static void predictions(Prediction p, Collector<Prediction> out) {
    out.collect(p.inSegment(DriftResult.ALL_SEGMENTS));
    if (p.segment() != null && !p.segment().equals(DriftResult.ALL_SEGMENTS)) {
      out.collect(p);
    }
  }

  /**
   * The outcome for the whole model, and a copy for its segment when it has one. A prediction that
   * comes with its label (the label arrived first) is split in two, the prediction and the label,
   * so that each counts at its own event time whichever of the two arrived first. The join's
   * progress records pass as they are.
   */
  public static void outcomes(Outcome o, Collector<Outcome> out) {
    if (LabelJoinOperator.isProgress(o)) {
      out.collect(o);
      return;
    }
    boolean segmented = o.segment() != null && !o.segment().equals(DriftResult.ALL_SEGMENTS);
    if (o.countsAsPrediction() && o.isLabelled()) {
      for (String segment : segmented ? new String[] {DriftResult.ALL_SEGMENTS, o.segment()} : new String[] {DriftResult.ALL_SEGMENTS}) {
        out.collect(o.with(segment, Double.NaN, true, Long.MIN_VALUE));
        out.collect(o.with(segment, o.label(), false, o.labelTimestamp()));
      }
      return;
    }
    out.collect(o.with(DriftResult.ALL_SEGMENTS, o.label(), o.countsAsPrediction(), o.labelTimestamp()));
    if (segmented) {
      out.collect(o);
    }
  }
}
