package dev.driftline.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the fault and poison-input tests leave their measured numbers: one markdown table row per
 * check in {@code target/reliability/} of the module that ran it, which {@code bin/reliability-table}
 * gathers into the table of RELIABILITY.md after {@code mvn -B verify}. Each row is also printed.
 */
public final class ReliabilityLog {
  private ReliabilityLog() {}

  /**
   * @param fault the fault or input, e.g. {@code TaskManager killed (drift job)}
   * @param injected what the test did
   * @param checked what it required
   * @param numbers what it measured: records in, results out, duplicates, dead letters, recovery time
   * @param test the test class (and method)
   */
  public static void row(String fault, String injected, String checked, String numbers, String test) {
    String row = "| " + String.join(" | ", fault, injected, checked, numbers, "`" + test + "`") + " |";
    System.out.println("RELIABILITY " + row);
    try {
      Path dir = Path.of("target", "reliability");
      Files.createDirectories(dir);
      String file = (test + "-" + fault).replaceAll("[^A-Za-z0-9.-]+", "_") + ".md";
      Files.writeString(dir.resolve(file), row + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
