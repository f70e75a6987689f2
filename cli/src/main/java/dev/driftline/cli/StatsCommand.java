package dev.driftline.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.DriftTest;
import dev.driftline.core.stats.ChiSquare;
import dev.driftline.core.stats.ChiSquareResult;
import dev.driftline.core.stats.Hellinger;
import dev.driftline.core.stats.JensenShannon;
import dev.driftline.core.stats.KolmogorovSmirnov;
import dev.driftline.core.stats.KsResult;
import dev.driftline.core.stats.Psi;
import dev.driftline.core.stats.PsiResult;
import dev.driftline.core.stats.Wasserstein;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code driftline stats <test>}: one drift statistic between two files of one value per line,
 * printed as one JSON object.
 */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = "Run one drift test on two files of one value per line; prints one JSON object.",
    subcommandsRepeatable = false)
final class StatsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final class Files {
    @Option(names = "--reference", required = true, paramLabel = "FILE",
        description = "Reference values, one per line.")
    Path reference;

    @Option(names = "--current", required = true, paramLabel = "FILE",
        description = "Current values, one per line.")
    Path current;
  }

  @Command(name = "ks", mixinStandardHelpOptions = true,
      description = "Two-sample Kolmogorov–Smirnov test on numbers (exact or asymptotic p, as scipy's method='auto').")
  int ks(@CommandLine.Mixin Files files,
      @Option(names = "--alpha", defaultValue = "0.05", description = "Drift when p < alpha (default ${DEFAULT-VALUE}).") double alpha) {
    double[] ref = ValueFile.numbers(files.reference);
    double[] cur = ValueFile.numbers(files.current);
    KsResult ks = KolmogorovSmirnov.twoSample(ref, cur);
    ObjectNode out = result("ks", ks.statistic(), ks.pValue(), ks.method().name().toLowerCase(Locale.ROOT), ref.length, cur.length);
    out.put("alpha", alpha);
    out.put("drift", ks.pValue() < alpha);
    return print(out);
  }

  @Command(name = "psi", mixinStandardHelpOptions = true,
      description = "Population Stability Index on reference-quantile bins (numbers) or on categories (--categorical).")
  int psi(@CommandLine.Mixin Files files,
      @Option(names = "--bins", defaultValue = "10", description = "Quantile bins for numbers (default ${DEFAULT-VALUE}).") int bins,
      @Option(names = "--categorical", description = "Treat each line as a category.") boolean categorical,
      @Option(names = "--threshold", defaultValue = "0.25", description = "Drift when PSI > threshold (default ${DEFAULT-VALUE}: major shift).") double threshold) {
    PsiResult psi;
    long nRef;
    long nCur;
    if (categorical) {
      Map<String, Long> ref = ValueFile.categories(files.reference);
      Map<String, Long> cur = ValueFile.categories(files.current);
      psi = Psi.categorical(ref, cur);
      nRef = total(ref);
      nCur = total(cur);
    } else {
      if (bins < 2) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--bins: expected at least 2, got " + bins);
      }
      double[] ref = ValueFile.numbers(files.reference);
      double[] cur = ValueFile.numbers(files.current);
      psi = Psi.numeric(ref, cur, bins);
      nRef = ref.length;
      nCur = cur.length;
    }
    ObjectNode out = result("psi", psi.statistic(), Double.NaN, categorical ? "counts" : "binned", nRef, nCur);
    out.put("level", psi.level().name().toLowerCase(Locale.ROOT));
    out.put("threshold", threshold);
    out.put("drift", DriftTest.PSI.isDrift(psi.statistic(), threshold));
    return print(out);
  }

  @Command(name = "chi2", mixinStandardHelpOptions = true,
      description = "Chi-square test of homogeneity on categories (unseen categories count as their own).")
  int chi2(@CommandLine.Mixin Files files,
      @Option(names = "--alpha", defaultValue = "0.05", description = "Drift when p < alpha (default ${DEFAULT-VALUE}).") double alpha) {
    Map<String, Long> ref = ValueFile.categories(files.reference);
    Map<String, Long> cur = ValueFile.categories(files.current);
    ChiSquareResult chi = ChiSquare.homogeneity(ref, cur);
    ObjectNode out = result("chi2", chi.statistic(), chi.pValue(), "counts", total(ref), total(cur));
    out.put("degrees_of_freedom", chi.degreesOfFreedom());
    out.put("alpha", alpha);
    out.put("drift", chi.pValue() < alpha);
    return print(out);
  }

  @Command(name = "js", mixinStandardHelpOptions = true,
      description = "Jensen–Shannon distance (base 2, 0..1) between category distributions.")
  int js(@CommandLine.Mixin Files files,
      @Option(names = "--threshold", defaultValue = "0.1", description = "Drift when distance > threshold (default ${DEFAULT-VALUE}).") double threshold) {
    Map<String, Long> ref = ValueFile.categories(files.reference);
    Map<String, Long> cur = ValueFile.categories(files.current);
    double d = JensenShannon.categorical(ref, cur);
    return distance("js", d, "counts", total(ref), total(cur), DriftTest.JENSEN_SHANNON, threshold);
  }

  @Command(name = "hellinger", mixinStandardHelpOptions = true,
      description = "Hellinger distance (0..1) between category distributions.")
  int hellinger(@CommandLine.Mixin Files files,
      @Option(names = "--threshold", defaultValue = "0.1", description = "Drift when distance > threshold (default ${DEFAULT-VALUE}).") double threshold) {
    Map<String, Long> ref = ValueFile.categories(files.reference);
    Map<String, Long> cur = ValueFile.categories(files.current);
    double d = Hellinger.categorical(ref, cur);
    return distance("hellinger", d, "counts", total(ref), total(cur), DriftTest.HELLINGER, threshold);
  }

  @Command(name = "wasserstein", mixinStandardHelpOptions = true,
      description = "Wasserstein-1 distance between numbers; drift is read on it divided by the reference standard deviation.")
  int wasserstein(@CommandLine.Mixin Files files,
      @Option(names = "--threshold", defaultValue = "0.1", description = "Drift when distance / reference std > threshold (default ${DEFAULT-VALUE}).") double threshold) {
    double[] ref = ValueFile.numbers(files.reference);
    double[] cur = ValueFile.numbers(files.current);
    double w = Wasserstein.distance(ref, cur);
    double std = new StandardDeviation().evaluate(ref);
    double normalized = std > 0 ? w / std : w;
    ObjectNode out = result("wasserstein", w, Double.NaN, "exact", ref.length, cur.length);
    out.put("normalized", normalized);
    out.put("threshold", threshold);
    out.put("drift", DriftTest.WASSERSTEIN.isDrift(normalized, threshold));
    return print(out);
  }

  private int distance(String test, double d, String method, long nRef, long nCur, DriftTest kind, double threshold) {
    ObjectNode out = result(test, d, Double.NaN, method, nRef, nCur);
    out.put("threshold", threshold);
    out.put("drift", kind.isDrift(d, threshold));
    return print(out);
  }

  private static ObjectNode result(String test, double statistic, double pValue, String method, long nRef, long nCur) {
    ObjectNode out = Json.mapper().createObjectNode();
    out.put("test", test);
    out.put("statistic", statistic);
    if (!Double.isNaN(pValue)) {
      out.put("p_value", pValue);
    }
    out.put("method", method);
    out.put("n_reference", nRef);
    out.put("n_current", nCur);
    return out;
  }

  private int print(ObjectNode out) {
    spec.commandLine().getOut().println(out.toString());
    spec.commandLine().getOut().flush();
    return 0;
  }

  private static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
