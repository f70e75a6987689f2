package dev.driftline.cli.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The benchmark's two outputs: a markdown table for people and a JSON document for scripts (its
 * key names are an interface: keep them).
 */
final class BenchReport {
  private BenchReport() {}

  /** The machine the numbers were measured on. */
  record Machine(int cores, long maxHeapBytes, String java, String os, String cpu, String date) {}

  /** Of one run made several times, the one with the median records/s (the lower middle one of an even count). */
  static RunResult median(List<RunResult> rounds) {
    List<RunResult> sorted = new ArrayList<>(rounds);
    sorted.sort(Comparator.comparingDouble(RunResult::recordsPerSecond));
    return sorted.get((sorted.size() - 1) / 2);
  }

  static Optional<RunResult> find(List<RunResult> runs, String name) {
    return runs.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /** {@code run}'s records/s ÷ pass-through's, or null when pass-through was not run. */
  static Double ratioToPassThrough(List<RunResult> runs, RunResult run) {
    return ratio(find(runs, run.name()), find(runs, BenchPlan.PASS_THROUGH));
  }

  /** drift+labels with 10× predictions per window ÷ drift+labels, in records/s; null when either is missing. */
  static Double windowGrowthRatio(List<RunResult> runs) {
    return ratio(find(runs, BenchPlan.TEN_X_WINDOW), find(runs, BenchPlan.DRIFT_LABELS));
  }

  /** drift+labels at --parallelism ÷ at parallelism 1, in records/s; null when either is missing. */
  static Double scalingRatio(List<RunResult> runs) {
    return ratio(find(runs, BenchPlan.DRIFT_LABELS), find(runs, BenchPlan.P1));
  }

  private static Double ratio(Optional<RunResult> a, Optional<RunResult> b) {
    if (a.isEmpty() || b.isEmpty() || b.get().recordsPerSecond() <= 0) {
      return null;
    }
    return a.get().recordsPerSecond() / b.get().recordsPerSecond();
  }

  static ObjectNode json(Machine machine, ObjectNode settings, List<RunResult> runs) {
    ObjectNode root = Json.mapper().createObjectNode();
    ObjectNode m = root.putObject("machine");
    m.put("cores", machine.cores()).put("max_heap_bytes", machine.maxHeapBytes()).put("java", machine.java())
        .put("os", machine.os()).put("cpu", machine.cpu()).put("date", machine.date());
    root.set("settings", settings);
    ArrayNode array = root.putArray("runs");
    for (RunResult r : runs) {
      ObjectNode n = array.addObject();
      n.put("name", r.name());
      n.put("records", r.records());
      n.put("seconds", round(r.seconds(), 3));
      n.put("records_per_s", round(r.recordsPerSecond(), 1));
      Double ratio = ratioToPassThrough(runs, r);
      putOrNull(n, "ratio_to_pass_through", ratio == null ? null : round(ratio, 4));
      putOrNull(n, "latency_ms_p50", r.latencyMsP50());
      putOrNull(n, "latency_ms_p99", r.latencyMsP99());
      n.put("checkpoint_bytes", r.checkpointBytes());
      n.put("peak_heap_bytes", r.peakHeapBytes());
      putOrNull(n, "state_bytes_per_key", r.stateBytesPerKey());
      putOrNull(n, "cpu_busy", r.cpuBusy() == null ? null : round(r.cpuBusy(), 3));
      putOrNull(n, "feature_windows", r.featureWindows());
      Double join = r.joinMicrosPerPrediction();
      putOrNull(n, "join_cpu_us_per_prediction", join == null ? null : round(join, 2));
      Double close = r.windowCloseMicrosPerFeature();
      putOrNull(n, "window_close_cpu_us_per_feature", close == null ? null : round(close, 2));
      ObjectNode tasks = n.putObject("task_cpu_ms");
      r.taskCpuMs().forEach(tasks::put);
    }
    Double growth = windowGrowthRatio(runs);
    Double scaling = scalingRatio(runs);
    putOrNull(root, "window_growth_ratio", growth == null ? null : round(growth, 4));
    putOrNull(root, "scaling_ratio_p2_p1", scaling == null ? null : round(scaling, 4));
    return root;
  }

  private static void putOrNull(ObjectNode n, String key, Number value) {
    if (value == null) {
      n.putNull(key);
    } else if (value instanceof Long l) {
      n.put(key, l);
    } else {
      n.put(key, value.doubleValue());
    }
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  /** The markdown table, one row per run, and the two derived lines below it. */
  static String table(List<RunResult> runs, int parallelism) {
    StringBuilder t = new StringBuilder();
    t.append("| run | records | seconds | records/s | × pass-through | latency p50 | latency p99 | checkpoint | peak heap | state/key | cpu busy |\n");
    t.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (RunResult r : runs) {
      Double ratio = ratioToPassThrough(runs, r);
      t.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %d | %s | %s | %s | %s | %s | %s | %s |%n",
          r.name(), r.records(), r.seconds(), Math.round(r.recordsPerSecond()),
          ratio == null ? "–" : String.format(Locale.ROOT, "%.2f", ratio),
          millis(r.latencyMsP50()), millis(r.latencyMsP99()), bytes(r.checkpointBytes()), bytes(r.peakHeapBytes()),
          r.stateBytesPerKey() == null ? "–" : bytes(r.stateBytesPerKey()),
          r.cpuBusy() == null ? "–" : String.format(Locale.ROOT, "%.0f %%", 100 * r.cpuBusy())));
    }
    t.append('\n');
    Optional<RunResult> normal = find(runs, BenchPlan.DRIFT_LABELS);
    Optional<RunResult> tenX = find(runs, BenchPlan.TEN_X_WINDOW);
    Double growth = windowGrowthRatio(runs);
    t.append("window growth (drift+labels@10x-window ÷ drift+labels, records/s): ")
        .append(growth == null ? "not measured" : String.format(Locale.ROOT, "%.2f", growth));
    if (growth != null) {
      t.append("; state/key (drift + performance window) ").append(stateBytes(normal)).append(" → ").append(stateBytes(tenX));
    }
    t.append('\n');
    Optional<RunResult> naive = find(runs, BenchPlan.NAIVE);
    if (naive.isPresent() && naive.get().recordsPerSecond() > 0) {
      List<String> parts = new ArrayList<>();
      for (String name : List.of(BenchPlan.DRIFT, BenchPlan.DRIFT_LABELS)) {
        find(runs, name).ifPresent(r -> parts.add(String.format(Locale.ROOT, "%s %.2f", name,
            r.recordsPerSecond() / naive.get().recordsPerSecond())));
      }
      t.append("against naive (records/s ÷ naive's): ").append(parts.isEmpty() ? "not measured" : String.join(", ", parts))
          .append('\n');
    }
    List<String> join = new ArrayList<>();
    List<String> close = new ArrayList<>();
    for (RunResult r : runs) {
      if (r.joinMicrosPerPrediction() != null) {
        join.add(String.format(Locale.ROOT, "%s %.1f µs", r.name(), r.joinMicrosPerPrediction()));
      }
      if (r.windowCloseMicrosPerFeature() != null) {
        close.add(String.format(Locale.ROOT, "%s %.1f µs", r.name(), r.windowCloseMicrosPerFeature()));
      }
    }
    if (!join.isEmpty()) {
      t.append("label join CPU per prediction (its threads, which also summarize drift locally, ÷ predictions): ").append(String.join(", ", join)).append('\n');
    }
    if (!close.isEmpty()) {
      t.append("drift tests CPU per window close and feature: ").append(String.join(", ", close)).append('\n');
    }
    Double scaling = scalingRatio(runs);
    t.append("scaling (drift+labels p").append(parallelism).append(" ÷ p1, records/s): ")
        .append(scaling == null ? "not measured" : String.format(Locale.ROOT, "%.2f", scaling)).append('\n');
    return t.toString();
  }

  private static String stateBytes(Optional<RunResult> r) {
    return r.map(RunResult::stateBytesPerKey).map(BenchReport::bytes).orElse("n/a");
  }

  /** Milliseconds as {@code 850 ms} or {@code 2.3 s}; a dash for none. */
  static String millis(Long ms) {
    if (ms == null) {
      return "–";
    }
    return Math.abs(ms) < 10_000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  /** Bytes in decimal units: {@code 512 B}, {@code 12.3 kB}, {@code 4.5 MB}, {@code 1.20 GB}. */
  static String bytes(long b) {
    if (b < 1000) {
      return b + " B";
    }
    if (b < 1_000_000) {
      return String.format(Locale.ROOT, "%.1f kB", b / 1e3);
    }
    if (b < 1_000_000_000) {
      return String.format(Locale.ROOT, "%.1f MB", b / 1e6);
    }
    return String.format(Locale.ROOT, "%.2f GB", b / 1e9);
  }
}
