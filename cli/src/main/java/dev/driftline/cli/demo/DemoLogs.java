package dev.driftline.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

/**
 * Where the logs go while {@code driftline demo} runs: everything the processes' libraries log
 * (Flink's MiniCluster, the Kafka clients, the Elasticsearch client) and Driftline's own classes
 * into {@code <dir>/logs/driftline-demo.log}; the broker and the node write their own logs beside
 * it. The console keeps the demo's story (printed, not logged) and, from Driftline's own loggers,
 * warnings a person must act on, one line each, without stack traces. {@link #close()} restores the
 * CLI's usual configuration ({@code log4j2.xml}). One instance at a time per JVM.
 */
final class DemoLogs implements AutoCloseable {
  static final String FILE = "driftline-demo.log";
  static final String STATUS_FILE = "log4j-status.log";
  /** The file's layout; DemoCommandTest recognises a framework line on the console by it. */
  static final String LAYOUT = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%t] %c - %msg%n";

  private final Path dir;

  private DemoLogs(Path dir) {
    this.dir = dir;
  }

  /** From now on, logs go to {@code dir} (created if missing). */
  static DemoLogs to(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(FILE).toAbsolutePath();
    ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
    // Log4j's own warnings (e.g. about a library's log call with one argument too many) go beside the logs too.
    b.setConfigurationName("driftline-demo").setStatusLevel(Level.WARN)
        .setDestination(dir.resolve(STATUS_FILE).toAbsolutePath().toString());
    b.add(b.newAppender("file", "File").addAttribute("fileName", file.toString()).addAttribute("append", false)
        .add(b.newLayout("PatternLayout").addAttribute("pattern", LAYOUT)));
    // One line per warning: newlines folded, no stack trace; the file has the whole event.
    b.add(b.newAppender("console", "Console").addAttribute("target", "SYSTEM_ERR")
        .add(b.newLayout("PatternLayout").addAttribute("alwaysWriteExceptions", false)
            .addAttribute("pattern", "driftline: %level{WARN=warning, ERROR=error, FATAL=error}: %replace{%msg}{[\\r\\n]+}{ } (more in "
                + file + ")%n"))
        .add(b.newFilter("ThresholdFilter", Filter.Result.ACCEPT, Filter.Result.DENY).addAttribute("level", Level.WARN)));
    b.add(b.newLogger("dev.driftline", Level.INFO).add(b.newAppenderRef("console")));
    // Kafka clients log their whole configuration at INFO for every producer a transactional sink opens.
    b.add(b.newLogger("org.apache.kafka", Level.WARN));
    b.add(b.newRootLogger(Level.INFO).add(b.newAppenderRef("file")));
    Configurator.reconfigure(b.build());
    return new DemoLogs(dir);
  }

  Path dir() {
    return dir;
  }

  @Override
  public void close() {
    Configurator.reconfigure();
  }
}
