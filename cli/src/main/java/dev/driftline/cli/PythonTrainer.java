package dev.driftline.cli;

import dev.driftline.core.io.InputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The Python example trainer ({@code examples/python-trainer/trainer.py}, shipped inside the CLI)
 * as a child process: which interpreter can run it, where the program is written, and the command
 * it calls back to run this build's {@code driftline}.
 */
public final class PythonTrainer {
  /** The Debian packages the program imports. */
  public static final String PACKAGES = "python3-confluent-kafka python3-sklearn python3-pandas";
  /** Debian's interpreter first: the packages are installed for it, not for a pyenv or venv python3 on PATH. */
  static final List<String> INTERPRETERS = List.of("/usr/bin/python3", "python3");

  private PythonTrainer() {}

  /** The first interpreter of {@link #INTERPRETERS} that imports confluent_kafka, sklearn and pandas. */
  public static Optional<String> interpreter() {
    for (String python : INTERPRETERS) {
      try {
        Process p = new ProcessBuilder(python, "-c", "import confluent_kafka, sklearn, pandas")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return Optional.of(python);
        }
        p.destroyForcibly();
      } catch (IOException e) {
        // not installed: try the next one
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Why there is no interpreter, in one line, with the install command. */
  public static String missing() {
    return "no Python 3 that imports confluent_kafka, sklearn and pandas (tried " + String.join(", ", INTERPRETERS)
        + "); install them with: apt-get install -y " + PACKAGES;
  }

  /** Writes the program into {@code dir} and returns its path. */
  public static Path install(Path dir) throws IOException {
    try (InputStream in = PythonTrainer.class.getResourceAsStream("/examples/python-trainer/trainer.py")) {
      if (in == null) {
        throw new InputException("the example /examples/python-trainer/trainer.py is missing from this build");
      }
      Files.createDirectories(dir);
      Path script = dir.resolve("trainer.py");
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
      return script;
    }
  }

  /**
   * This build's {@code driftline}, as one shell-quoted command line for the program's
   * {@code --driftline}: the running JVM's java with its class path.
   */
  public static String driftlineCommand() {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    return List.of(java, "-cp", System.getProperty("java.class.path"), DriftlineCli.class.getName()).stream()
        .map(PythonTrainer::quote).collect(Collectors.joining(" "));
  }

  /** Runs the program; every line it prints (stdout and stderr) goes to {@code lines}. Returns its exit code. */
  public static int run(String python, Path script, List<String> args, Consumer<String> lines) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(python, script.toString()));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.accept(line);
      }
    } finally {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    }
    return p.exitValue();
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\"'\"'") + "'";
  }
}
