package dev.driftline.runtime.options;

import dev.driftline.core.io.InputException;
import dev.driftline.core.spec.SpecException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** How every job's {@code main} runs its command: bad input is one line and exit code 2. */
public final class JobCommands {
  private JobCommands() {}

  /** Runs {@code command} (a picocli command) with {@code args}; errors go to {@code err} as {@code name: message}. */
  public static int execute(Object command, String name, String[] args, PrintWriter err) {
    CommandLine cmd = new CommandLine(command);
    cmd.setErr(err);
    cmd.setExecutionExceptionHandler((e, c, parsed) -> {
      if (e instanceof SpecException || e instanceof InputException || e instanceof IllegalArgumentException
          || e instanceof IllegalStateException) {
        c.getErr().println(name + ": " + e.getMessage());
        c.getErr().flush();
        return 2;
      }
      throw e;
    });
    return cmd.execute(args);
  }

  /** Runs a job's launcher; without Flink on the classpath that is one line saying how to submit the jar. */
  public static int launch(String jar, Callable<Integer> launcher) throws Exception {
    try {
      return launcher.call();
    } catch (NoClassDefFoundError e) {
      if (String.valueOf(e.getMessage()).startsWith("org/apache/flink/")) {
        throw new IllegalArgumentException("Flink is not on the classpath (" + e.getMessage()
            + "); submit this jar to a cluster with: flink run " + jar + " ...");
      }
      throw e;
    }
  }
}
