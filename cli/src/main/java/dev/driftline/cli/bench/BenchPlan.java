package dev.driftline.cli.bench;

import dev.driftline.core.io.InputException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Which runs a benchmark makes, in order: the selected ones, then the two derived drift+labels runs. */
final class BenchPlan {
  static final String PASS_THROUGH = "pass-through";
  static final String DRIFT = "drift";
  static final String DRIFT_LABELS = "drift+labels";
  static final String FEATURES = "features";
  static final String NAIVE = "naive";
  static final String TEN_X_WINDOW = "drift+labels@10x-window";
  static final String P1 = "drift+labels@p1";
  /** An untimed drift+labels run first, so that no reported run pays for class loading and JIT compilation. */
  static final String WARM_UP = "warm-up";
  static final List<String> ALL = List.of(PASS_THROUGH, DRIFT, DRIFT_LABELS, FEATURES, NAIVE);

  enum Kind { PASS_THROUGH, DRIFT, DRIFT_LABELS, FEATURES, NAIVE }

  /**
   * One run.
   *
   * @param tenXWindow reads the same traffic through windows 10× as long: 10× predictions per window,
   *     same total and same rate (so the label join holds the same number of predictions)
   */
  record Run(String name, Kind kind, int parallelism, boolean tenXWindow, int round) {
    Run(String name, Kind kind, int parallelism, boolean tenXWindow) {
      this(name, kind, parallelism, tenXWindow, 1);
    }

    /** The same run again, with its own output topics, consumer group and checkpoints. */
    Run again(int nextRound) {
      return new Run(name, kind, parallelism, tenXWindow, nextRound);
    }

    /** True for runs whose results are per window, so that their latency can be measured. */
    boolean windowed() {
      return kind == Kind.DRIFT || kind == Kind.DRIFT_LABELS || kind == Kind.NAIVE;
    }

    /** The name as it may appear in Kafka topic names and file names. */
    String slug() {
      String slug = name.replace("+", "-and-").replace("@", "-at-").replaceAll("[^A-Za-z0-9._-]", "_");
      return round == 1 ? slug : slug + "-r" + round;
    }
  }

  private BenchPlan() {}

  /** Parses {@code --runs}: known names separated by commas; empty or null means all. */
  static List<String> parseRuns(String text) {
    if (text == null || text.isBlank()) {
      return ALL;
    }
    Set<String> chosen = new LinkedHashSet<>();
    for (String part : text.split(",")) {
      String name = part.trim();
      if (!ALL.contains(name)) {
        throw new InputException("--runs: expected names from " + String.join(",", ALL) + ", got \"" + name + "\"");
      }
      chosen.add(name);
    }
    return ALL.stream().filter(chosen::contains).toList();
  }

  /** The runs for {@code selected} names; derived runs only when drift+labels is among them. */
  static List<Run> runs(List<String> selected, boolean derived, int parallelism) {
    List<Run> out = new ArrayList<>();
    for (String name : ALL) {
      if (selected.contains(name)) {
        out.add(new Run(name, kind(name), parallelism, false));
      }
    }
    if (derived && selected.contains(DRIFT_LABELS)) {
      out.add(new Run(TEN_X_WINDOW, Kind.DRIFT_LABELS, parallelism, true));
      out.add(new Run(P1, Kind.DRIFT_LABELS, 1, false));
    }
    return out;
  }

  /** The warm-up run: the full drift+labels job on the normal traffic, not reported. */
  static Run warmUp(int parallelism) {
    return new Run(WARM_UP, Kind.DRIFT_LABELS, parallelism, false);
  }

  private static Kind kind(String name) {
    return switch (name) {
      case PASS_THROUGH -> Kind.PASS_THROUGH;
      case DRIFT -> Kind.DRIFT;
      case DRIFT_LABELS -> Kind.DRIFT_LABELS;
      case FEATURES -> Kind.FEATURES;
      case NAIVE -> Kind.NAIVE;
      default -> throw new IllegalArgumentException("unknown run " + name);
    };
  }
}
