package dev.driftline.runtime.options;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/**
 * Kafka client properties passed through (security.protocol, sasl.*, ssl.*), as options every job
 * and command that talks to Kafka takes (a picocli mixin). A properties file keeps a
 * {@code sasl.jaas.config} with its password out of the program arguments.
 */
public final class KafkaClientOptions {
  @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
      description = "Kafka client property passed through (e.g. security.protocol=SASL_SSL); repeatable. "
          + "Put secrets (sasl.jaas.config) in --kafka-properties-file instead.")
  public Map<String, String> properties = new HashMap<>();

  @Option(names = "--kafka-properties-file", paramLabel = "FILE",
      description = "Kafka client properties (Java properties format) read from FILE; --kafka-property overrides them.")
  public Path propertiesFile;

  /**
   * The file's properties, then the {@code --kafka-property} ones over them.
   *
   * @throws IllegalArgumentException one line naming the file, when it cannot be read
   */
  public Map<String, String> properties() {
    Map<String, String> out = new TreeMap<>();
    if (propertiesFile != null) {
      Properties p = new Properties();
      try (Reader in = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
        p.load(in);
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalArgumentException("--kafka-properties-file " + propertiesFile + ": cannot read it ("
            + e.getClass().getSimpleName() + ")");
      }
      p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    }
    out.putAll(properties);
    return out;
  }
}
