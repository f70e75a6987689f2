package dev.driftline.cli;

import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code driftline spec validate}: checks a monitor spec and summarizes it. */
@Command(name = "spec", mixinStandardHelpOptions = true, description = "Work with monitor specs.")
final class SpecCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Validate a monitor spec; exit 2 with a one-line error naming the path in the document.")
  int validate(@Option(names = "--spec", required = true, paramLabel = "SPEC") Path file) {
    MonitorSpec m = MonitorSpecParser.load(file);
    long numeric = m.features().stream().filter(f -> f.type() == FeatureType.NUMERIC).count();
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%s: valid. model %s (%s), %d features (%d numeric, %d categorical), window %s, reference %s, spec hash %s%n",
        file, m.modelId(), m.task().id(), m.features().size(), numeric, m.features().size() - numeric,
        m.window().describe(), m.reference().source().id(), m.specHash().substring(0, 12));
    out.flush();
    return 0;
  }
}
