package dev.driftline.jobs.retraintrigger;

import dev.driftline.core.io.InputException;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.spec.SpecException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point of the retrain-trigger job for {@code flink run}. It validates its arguments; the pipeline
 * itself is wired in by a later change.
 */
@Command(name = "retrain-trigger", mixinStandardHelpOptions = true,
    description = "Driftline retrain-trigger job (submit with flink run).")
public final class RetrainTriggerMain implements Callable<Integer> {
  @Option(names = "--spec", required = true, arity = "1..*", paramLabel = "FILE",
      description = "The monitor spec (YAML) with a policy; repeat for several.")
  List<Path> files;

  public static void main(String[] args) {
    CommandLine cmd = new CommandLine(new RetrainTriggerMain());
    cmd.setExecutionExceptionHandler((e, c, parsed) -> {
      if (e instanceof SpecException || e instanceof InputException) {
        c.getErr().println("retrain-trigger: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    int code = cmd.execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() {
    for (Path file : files) {
        MonitorSpecParser.load(file);
    }
    System.err.println("retrain-trigger: arguments valid; this build has no pipeline for this job yet");
    return 1;
  }
}
