package dev.driftline.core.drift.methods;

import java.util.Map;

final class Counts {
  private Counts() {}

  static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
