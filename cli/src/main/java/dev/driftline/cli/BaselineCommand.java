package dev.driftline.cli;

import dev.driftline.core.io.CsvTable;
import dev.driftline.core.profile.ProfileBuilder;
import dev.driftline.core.profile.ReferenceProfile;
import dev.driftline.core.profile.ReferenceProfiles;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code driftline baseline build}: a model's reference profile from training data. */
@Command(name = "baseline", mixinStandardHelpOptions = true,
    description = "Build reference profiles (drift baselines).")
final class BaselineCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "build", mixinStandardHelpOptions = true,
      description = "Profile every spec feature of a training CSV (header row; empty cell = missing): "
          + "deterministic histogram, exact quantile bins and, up to 10000 values, the values themselves; category counts.")
  int build(
      @Option(names = "--spec", required = true, paramLabel = "SPEC", description = "Monitor spec (YAML).") Path specFile,
      @Option(names = "--input", required = true, paramLabel = "TRAINING.csv", description = "Training data with a header row.") Path input,
      @Option(names = "--out", required = true, paramLabel = "PROFILE.json", description = "Where to write the profile.") Path out) {
    MonitorSpec monitor = MonitorSpecParser.load(specFile);
    ReferenceProfile profile = ProfileBuilder.build(monitor, CsvTable.read(input), Instant.now());
    ReferenceProfiles.write(profile, out);
    spec.commandLine().getOut().printf("wrote %s: profile %s, %d rows, %d features%n",
        out, profile.profileId(), profile.rows(), profile.features().size());
    if (profile.calibration() != null) {
      spec.commandLine().getOut().printf("calibration: %s on %d labelled rows (%d positive): windows get estimated performance before labels%n",
          profile.calibration().method(), profile.calibration().rows(), profile.calibration().positives());
    } else if (ReferenceProfiles.noEstimationReason(profile, monitor) != null) {
      spec.commandLine().getOut().println(ReferenceProfiles.noEstimationReason(profile, monitor));
    }
    spec.commandLine().getOut().flush();
    return 0;
  }
}
