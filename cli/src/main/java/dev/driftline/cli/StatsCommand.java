package dev.driftline.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.baseline.BaselineBuilder;
import dev.driftline.core.baseline.NumericSummary;
import dev.driftline.core.drift.DriftTest;
import dev.driftline.core.drift.DriftTests;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.drift.NumericSample;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.DriftTestSpec;
import dev.driftline.core.spec.FeatureType;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * {@code driftline stats <test>}: one drift test between two files of one value per line, printed
 * as one JSON object. There is one subcommand per test in {@link DriftTests}, with that test's
 * options (alpha or threshold, bins, the feature type), so a new test appears here by itself.
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

  /** Adds one subcommand per registered drift test to {@code stats}. */
  static void addTests(CommandLine stats) {
    for (DriftTest test : DriftTests.comparisons()) {
      TestRun run = new TestRun(test);
      CommandSpec cs = CommandSpec.wrapWithoutInspection(run);
      run.spec = cs;
      String name = test.aliases().isEmpty() ? test.id() : test.aliases().get(0);
      cs.name(name);
      if (!name.equals(test.id())) {
        cs.aliases(test.id());
      }
      cs.mixinStandardHelpOptions(true);
      cs.usageMessage().description(test.description());
      cs.addOption(OptionSpec.builder("--reference").required(true).paramLabel("FILE").type(Path.class)
          .description("Reference values, one per line.").build());
      cs.addOption(OptionSpec.builder("--current").required(true).paramLabel("FILE").type(Path.class)
          .description("Current values, one per line.").build());
      if (test.isPValueTest()) {
        cs.addOption(OptionSpec.builder("--alpha").type(double.class)
            .defaultValue(Double.toString(test.defaultThreshold()))
            .description("Drift when p < alpha (default ${DEFAULT-VALUE}).").build());
      } else if (!Double.isNaN(test.defaultThreshold())) {
        cs.addOption(OptionSpec.builder("--threshold").type(double.class)
            .defaultValue(Double.toString(test.defaultThreshold()))
            .description("Drift when the statistic > threshold (default ${DEFAULT-VALUE}).").build());
      }
      if (test.binned(FeatureType.NUMERIC)) {
        cs.addOption(OptionSpec.builder("--bins").type(int.class).defaultValue("10")
            .description("Reference-quantile bins for numbers (default ${DEFAULT-VALUE}).").build());
      }
      for (Map.Entry<String, DriftTest.Option> o : extraOptions(test).entrySet()) {
        DriftTest.Option option = o.getValue();
        cs.addOption(OptionSpec.builder(flagName(o.getKey())).type(option.flag() ? boolean.class : double.class).arity("1")
            .defaultValue(option.flag() ? Boolean.toString(option.fallback() != 0) : Double.toString(option.fallback()))
            .description("Spec option " + o.getKey() + " (default ${DEFAULT-VALUE}).").build());
      }
      if (test.featureTypes().size() > 1) {
        FeatureType other = test.featureTypes().get(1);
        cs.addOption(OptionSpec.builder("--" + other.id()).type(boolean.class).arity("0")
            .description("Treat each line as " + (other == FeatureType.CATEGORICAL ? "a category" : "a number")
                + " (default: " + (other == FeatureType.CATEGORICAL ? "numbers" : "categories") + ").")
            .build());
      }
      stats.addSubcommand(name, new CommandLine(cs));
    }
  }

  /** The test's own spec options over all its feature types, by spec key. */
  static Map<String, DriftTest.Option> extraOptions(DriftTest test) {
    Map<String, DriftTest.Option> out = new java.util.TreeMap<>();
    for (FeatureType type : test.featureTypes()) {
      out.putAll(test.extraOptions(type));
    }
    return out;
  }

  /** {@code size_aware} as {@code --size-aware}. */
  static String flagName(String key) {
    return "--" + key.replace('_', '-');
  }

  /** One test run on two value files. */
  static final class TestRun implements Callable<Integer> {
    private final DriftTest test;
    CommandSpec spec;

    TestRun(DriftTest test) {
      this.test = test;
    }

    private <T> T option(String name) {
      OptionSpec o = spec.findOption(name);
      return o == null ? null : o.getValue();
    }

    @Override
    public Integer call() {
      Path reference = option("--reference");
      Path current = option("--current");
      FeatureType type = test.featureTypes().get(0);
      if (test.featureTypes().size() > 1 && Boolean.TRUE.equals(option("--" + test.featureTypes().get(1).id()))) {
        type = test.featureTypes().get(1);
      }
      double threshold = test.isPValueTest() ? option("--alpha")
          : Double.isNaN(test.defaultThreshold()) ? Double.NaN : (double) option("--threshold");
      Integer bins = option("--bins");
      if (bins != null && bins < 2) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--bins: expected at least 2, got " + bins);
      }
      DriftTestSpec settings = new DriftTestSpec(test, threshold, bins == null ? DriftTestSpec.DEFAULT_BINS : bins);
      if (test.appliesTo(type)) {
        for (Map.Entry<String, DriftTest.Option> o : test.extraOptions(type).entrySet()) {
          Object value = option(flagName(o.getKey()));
          DriftTest.Option range = o.getValue();
          if (value instanceof Double d && (d < range.min() || d > range.max())) {
            throw new CommandLine.ParameterException(spec.commandLine(), flagName(o.getKey()) + ": expected a number in ["
                + range.min() + ", " + range.max() + "], got " + d);
          }
          settings = settings.withOption(o.getKey(), value instanceof Boolean b ? (b ? 1 : 0) : (Double) value);
        }
      }
      FeatureDrift r;
      if (type == FeatureType.NUMERIC) {
        double[] ref = ValueFile.numbers(reference);
        double[] cur = ValueFile.numbers(current);
        // Batch values are in memory: keep them all, so every test is exact.
        NumericSummary summary = BaselineBuilder.summarize(ref, new int[] {settings.bins()}, Integer.MAX_VALUE);
        r = test.numeric("values", summary, ref.length, NumericSample.of(cur), settings);
      } else {
        Map<String, Long> ref = ValueFile.categories(reference);
        Map<String, Long> cur = ValueFile.categories(current);
        r = test.categorical("values", ref, cur, settings);
      }
      ObjectNode out = Json.mapper().createObjectNode();
      out.put("test", spec.name());
      out.put("statistic", test.statsStatistic(r));
      if (r.pValue() != null) {
        out.put("p_value", r.pValue());
      }
      out.put("method", r.method());
      out.put("n_reference", r.nReference());
      out.put("n_current", r.nCurrent());
      test.statsFields(r).forEach((k, v) -> out.set(k, Json.mapper().valueToTree(v)));
      if (r.methodReason() != null) {
        out.put("test", r.test());
      }
      out.put(test.isPValueTest() || r.pValue() != null ? "alpha" : "threshold", r.threshold());
      out.put("drift", r.drift());
      spec.commandLine().getOut().println(out.toString());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
