package dev.driftline.core.trigger;

import dev.driftline.core.drift.methods.PcaReconstructionDriftTest;
import dev.driftline.core.results.DriftResult;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * All drift results of one (model, segment, window), gathered for the policy: which features
 * were tested, which drifted, and each result as evidence.
 */
public final class WindowDriftSummary implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String windowStart;
  private final String windowEnd;
  private String referenceId;
  private final TreeSet<String> tested = new TreeSet<>();
  private final TreeSet<String> drifted = new TreeSet<>();
  private final List<DriftResult> results = new ArrayList<>();

  public WindowDriftSummary(String windowStart, String windowEnd) {
    this.windowStart = windowStart;
    this.windowEnd = windowEnd;
  }

  /**
   * Adds one result; score, label and multivariate ({@code pca_reconstruction}) results are kept as
   * evidence but are not features, and a data-quality check's result does not make its feature
   * tested or drifted.
   */
  public void add(DriftResult r) {
    results.add(r);
    referenceId = r.referenceId();
    if ("score".equals(r.featureType()) || r.isLabel() || r.isQuality()
        || PcaReconstructionDriftTest.FEATURE_TYPE.equals(r.featureType())) {
      return;
    }
    tested.add(r.feature());
    if (r.drift()) {
      drifted.add(r.feature());
    }
  }

  public String windowStart() {
    return windowStart;
  }

  public String windowEnd() {
    return windowEnd;
  }

  public String referenceId() {
    return referenceId;
  }

  public int featuresTested() {
    return tested.size();
  }

  public TreeSet<String> driftedFeatures() {
    return drifted;
  }

  /** Drifted features / tested features, 0 with none tested. */
  public double driftShare() {
    return tested.isEmpty() ? 0 : (double) drifted.size() / tested.size();
  }

  public List<DriftResult> results() {
    return results;
  }
}
