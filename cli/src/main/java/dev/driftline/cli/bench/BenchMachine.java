package dev.driftline.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Describes the machine the benchmark runs on. */
final class BenchMachine {
  private BenchMachine() {}

  static BenchReport.Machine describe() {
    return new BenchReport.Machine(Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory(),
        System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        cpu(readCpuInfo()), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
  }

  /** The first {@code model name} of /proc/cpuinfo text, or "unknown". */
  static String cpu(List<String> cpuinfo) {
    for (String line : cpuinfo) {
      if (line.startsWith("model name")) {
        int colon = line.indexOf(':');
        if (colon >= 0) {
          return line.substring(colon + 1).trim();
        }
      }
    }
    return "unknown";
  }

  private static List<String> readCpuInfo() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo"));
    } catch (IOException e) {
      return List.of(); // not Linux: the CPU is reported as unknown
    }
  }
}
