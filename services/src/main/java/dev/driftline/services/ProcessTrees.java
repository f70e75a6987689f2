package dev.driftline.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The service launchers' child processes: their log configuration, stopping one with everything it
 * started, reading the end of its log for an error message, waiting between readiness checks.
 */
public final class ProcessTrees {
  private ProcessTrees() {}

  /** Time a stopped process (and each of its children) gets to exit before it is killed. */
  private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** CPU time (user and system) used so far by {@code process} and every process below it, in milliseconds. */
  public static long cpuMillis(Process process) {
    return Stream.concat(Stream.of(process.toHandle()), process.descendants())
        .mapToLong(h -> h.info().totalCpuDuration().map(Duration::toMillis).orElse(0L)).sum();
  }

  /** Asks the process and everything it started to stop, waits for each, kills what is still there. */
  public static void destroy(Process process) {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(0, process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + GRACE_NANOS;
    for (ProcessHandle h : tree) {
      try {
        h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        h.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        h.destroyForcibly();
      }
    }
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Writes a log4j2 configuration that sends everything at INFO and above to {@code logFile}, laid
   * out by {@code pattern}; {@code loggers} are further lines (other levels for some loggers).
   * Returns {@code config}.
   */
  public static Path writeFileLog4j(Path config, Path logFile, String pattern, String... loggers) throws IOException {
    List<String> lines = new ArrayList<>(List.of(
        "rootLogger.level=INFO",
        "rootLogger.appenderRef.file.ref=file",
        "appender.file.type=File",
        "appender.file.name=file",
        "appender.file.fileName=" + logFile,
        "appender.file.layout.type=PatternLayout",
        "appender.file.layout.pattern=" + pattern));
    lines.addAll(List.of(loggers));
    lines.add("");
    Files.writeString(config, String.join("\n", lines), StandardCharsets.UTF_8);
    return config;
  }

  /** The last {@code lines} lines of {@code file}, or a note saying why it could not be read. */
  public static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  /** Sleeps; an interrupt is kept and ends the wait with an exception. */
  public static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
