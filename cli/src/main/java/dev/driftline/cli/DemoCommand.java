package dev.driftline.cli;

import dev.driftline.core.drift.BatchDrift;
import dev.driftline.core.drift.DriftReport;
import dev.driftline.core.io.CsvTable;
import dev.driftline.core.io.InputException;
import dev.driftline.core.profile.ProfileBuilder;
import dev.driftline.core.profile.ReferenceProfile;
import dev.driftline.core.profile.ReferenceProfiles;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.synth.CreditDefaultData;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code driftline demo}: the example credit-default model end to end on generated data — a
 * baseline from training data, then drift reports for a stable and a drifted period.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Generate example traffic for the credit-default model, build its baseline and report drift "
        + "for a stable and a drifted period.")
final class DemoCommand implements Callable<Integer> {
  static final String EXAMPLE_SPEC = "/examples/credit-default/monitor.yaml";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--dir", defaultValue = "target/driftline-demo", paramLabel = "DIR",
      description = "Working directory for generated files (default ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated traffic (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws IOException {
    var out = spec.commandLine().getOut();
    Files.createDirectories(dir);
    MonitorSpec monitor;
    try (InputStream in = DemoCommand.class.getResourceAsStream(EXAMPLE_SPEC)) {
      if (in == null) {
        throw new InputException("the example spec is missing from this build: " + EXAMPLE_SPEC);
      }
      monitor = MonitorSpecParser.parse("examples/credit-default/monitor.yaml",
          new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    long start = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    Path training = generate("training.csv", new CreditDefaultData(seed, CreditDefaultData.Shift.NONE), 20_000, start);
    Path stable = generate("current-stable.csv", new CreditDefaultData(seed + 1, CreditDefaultData.Shift.NONE), 3_000, start);
    Path drifted = generate("current-drifted.csv",
        new CreditDefaultData(seed + 2, CreditDefaultData.Shift.INCOME_AND_PURPOSE), 3_000, start);
    out.printf("generated %s (20000 rows), %s and %s (3000 rows each)%n", training, stable, drifted);

    ReferenceProfile profile = ProfileBuilder.build(monitor, CsvTable.read(training), Instant.now());
    Path profileFile = dir.resolve("profile.json");
    ReferenceProfiles.write(profile, profileFile);
    out.printf("baseline %s written to %s%n%n", profile.profileId(), profileFile);

    for (Path current : new Path[] {stable, drifted}) {
      DriftReport report = BatchDrift.run(monitor, profile, CsvTable.read(current));
      ReportCommand.printTable(report, out);
      Path json = dir.resolve(current.getFileName().toString().replace(".csv", "-report.json"));
      ReportCommand.write(report, json);
      out.printf("report written to %s%n%n", json);
    }
    out.flush();
    return 0;
  }

  private Path generate(String name, CreditDefaultData data, int rows, long startMillis) throws IOException {
    Path file = dir.resolve(name);
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      data.writeCsv(w, rows, startMillis);
    }
    return file;
  }
}
