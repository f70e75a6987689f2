package dev.driftline.cli.soak;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/** The options of {@code soak} and {@code overload} that name the services and the job jar to run on. */
final class ServiceOptions {
  @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "Use this Kafka instead of starting one.")
  String kafkaAddress;

  @Option(names = "--es-url", paramLabel = "URL", description = "Use this Elasticsearch instead of starting one.")
  String esUrl;

  @Option(names = "--job-jar", paramLabel = "JAR", description = "The drift-detection job jar (default: the one in"
      + " jobs/drift-detection/target, built by mvn package).")
  Path jobJar;

  /** {@code --job-jar}, else the one in {@code jobs/drift-detection/target}; fails with one line when there is none. */
  Path jar() throws IOException {
    Path jar = jobJar != null ? jobJar : defaultJobJar(Path.of("jobs", "drift-detection", "target"));
    InputException.require(Files.isRegularFile(jar), "--job-jar: " + jar + ": no such file; build it with mvn package");
    return jar;
  }

  /** Adds what was chosen to a run's settings. */
  ObjectNode describe(ObjectNode settings, Path jar) {
    return settings.put("kafka", kafkaAddress == null ? "embedded" : kafkaAddress)
        .put("elasticsearch", esUrl == null ? "embedded" : esUrl).put("job_jar", jar.toString());
  }

  /** The shaded job jar in {@code target}: the one {@code driftline-drift-detection-*.jar} that is not Maven's original. */
  static Path defaultJobJar(Path target) throws IOException {
    if (!Files.isDirectory(target)) {
      throw new InputException("--job-jar: " + target + ": no such directory; build the job with mvn package or give the jar");
    }
    try (Stream<Path> files = Files.list(target)) {
      List<Path> jars = files.filter(f -> f.getFileName().toString().matches("driftline-drift-detection-[^/]*\\.jar"))
          .filter(f -> !f.getFileName().toString().endsWith("-tests.jar")).toList();
      if (jars.size() != 1) {
        throw new InputException("--job-jar: expected one driftline-drift-detection-*.jar in " + target + ", found " + jars.size());
      }
      return jars.get(0);
    }
  }
}
