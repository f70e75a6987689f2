package dev.driftline.core.trigger;

import dev.driftline.core.drift.methods.PsiDriftTest;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.PolicySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The policy's conditions on a drift window's results: dataset drift (the share of drifted
 * features) in K of the last N windows, drift of a critical feature, PSI above the hard limit and
 * the data-quality checks the policy names; PSI between {@code warn_psi} and the hard limit,
 * other failed data-quality checks and dataset drift short of K of N are warnings.
 */
final class DriftConditions {
  private DriftConditions() {}

  static void evaluate(MonitorSpec spec, String segment, PolicyState s, WindowDriftSummary w, long now, Findings f) {
    datasetDrift(spec, segment, s, w, now, f);
    PolicySpec policy = spec.policy();
    TreeSet<String> warned = new TreeSet<>();
    List<Evidence> warnEvidence = new ArrayList<>();
    TreeSet<String> qualityWarned = new TreeSet<>();
    List<Evidence> qualityEvidence = new ArrayList<>();
    for (DriftResult r : w.results()) {
      // Label drift is not a feature's: it is reported, and the performance conditions act on labels.
      if ("score".equals(r.featureType()) || r.isLabel()) {
        continue;
      }
      if (r.isQuality()) {
        if (r.drift() && policy.dataQuality().contains(r.test())) {
          f.reason("data quality of " + r.feature() + ": " + r.test() + " failed (" + fmt(r.statistic()) + ")",
              fromResult("data_quality", r));
        } else if (r.drift()) {
          qualityWarned.add(r.feature() + " " + r.test());
          qualityEvidence.add(fromResult("data_quality", r));
        }
        continue;
      }
      boolean critical = spec.feature(r.feature()).map(x -> x.critical()).orElse(false);
      if (critical && r.drift()) {
        f.reason("critical feature " + r.feature() + " drifted (" + r.test() + " " + fmt(r.statistic()) + ")",
            fromResult("critical_feature", r));
      }
      boolean psi = r.test().equals(PsiDriftTest.INSTANCE.id());
      if (psi && r.statistic() > policy.psiHardLimit()) {
        f.reason("PSI of " + r.feature() + " is " + fmt(r.statistic()) + " > hard limit " + fmt(policy.psiHardLimit()),
            fromResult("psi_limit", r));
      } else if (psi && r.statistic() >= policy.warnPsi()) {
        warned.add(r.feature());
        warnEvidence.add(fromResult("moderate_drift", r));
      }
    }
    String who = TriggerGate.who(spec, segment);
    if (!qualityWarned.isEmpty()) {
      f.alerts.add(TriggerGate.warning("data_quality", spec, segment, w.windowStart(), w.windowEnd(), now,
          who + ": data-quality checks failed (" + String.join(", ", qualityWarned) + ") in window " + w.windowStart(),
          qualityEvidence));
    }
    if (!warned.isEmpty()) {
      f.alerts.add(TriggerGate.warning("moderate_drift", spec, segment, w.windowStart(), w.windowEnd(), now,
          who + ": moderate drift (PSI " + fmt(policy.warnPsi()) + ".." + fmt(policy.psiHardLimit()) + ") on "
              + String.join(", ", warned) + " in window " + w.windowStart(), warnEvidence));
    }
  }

  /** Dataset drift in K of the last N windows: a reason; in this window alone: a warning. */
  private static void datasetDrift(MonitorSpec spec, String segment, PolicyState s, WindowDriftSummary w, long now,
      Findings f) {
    PolicySpec.DatasetDriftCondition dd = spec.policy().datasetDrift();
    if (dd == null) {
      return;
    }
    boolean drifted = w.featuresTested() > 0 && w.driftShare() >= dd.share();
    s.datasetDrift.add(drifted);
    while (s.datasetDrift.size() > dd.n()) {
      s.datasetDrift.remove(0);
    }
    long count = s.datasetDrift.stream().filter(b -> b).count();
    Evidence e = new Evidence("dataset_drift", w.windowStart(), w.windowEnd(), null, null, "drift_share",
        w.driftShare(), dd.share(), null);
    if (count >= dd.k()) {
      f.reason(String.format(Locale.ROOT, "dataset drift: %d of %d features drifted (share %.2f >= %.2f) in %d of the last %d windows",
          w.driftedFeatures().size(), w.featuresTested(), w.driftShare(), dd.share(), count, s.datasetDrift.size()), e);
    } else if (drifted) {
      f.alerts.add(TriggerGate.warning("dataset_drift", spec, segment, w.windowStart(), w.windowEnd(), now,
          String.format(Locale.ROOT, "%s: %d of %d features drifted in window %s (not yet %d of %d windows)",
              TriggerGate.who(spec, segment), w.driftedFeatures().size(), w.featuresTested(), w.windowStart(), dd.k(),
              dd.n()),
          List.of(e)));
    }
  }

  private static Evidence fromResult(String condition, DriftResult r) {
    return new Evidence(condition, r.windowStart(), r.windowEnd(), r.feature(), r.test(), null, r.statistic(),
        r.threshold(), null);
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
