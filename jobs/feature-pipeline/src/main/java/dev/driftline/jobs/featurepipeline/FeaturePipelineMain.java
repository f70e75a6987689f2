package dev.driftline.jobs.featurepipeline;

import dev.driftline.core.io.InputException;
import dev.driftline.core.spec.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point of the feature-pipeline job for {@code flink run}. It validates its arguments; the pipeline
 * itself is wired in by a later change.
 */
@Command(name = "feature-pipeline", mixinStandardHelpOptions = true,
    description = "Driftline feature-pipeline job (submit with flink run).")
public final class FeaturePipelineMain implements Callable<Integer> {
  @Option(names = "--view", required = true, arity = "1..*", paramLabel = "FILE",
      description = "The feature view (YAML); repeat for several.")
  List<Path> files;

  public static void main(String[] args) {
    CommandLine cmd = new CommandLine(new FeaturePipelineMain());
    cmd.setExecutionExceptionHandler((e, c, parsed) -> {
      if (e instanceof SpecException || e instanceof InputException) {
        c.getErr().println("feature-pipeline: " + e.getMessage());
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
        if (!Files.isRegularFile(file)) {
          throw new InputException(file + ": no such file");
        }
    }
    System.err.println("feature-pipeline: arguments valid; this build has no pipeline for this job yet");
    return 1;
  }
}
