package dev.driftline.cli.soak;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.io.Json;
import dev.driftline.core.io.WrittenAt;
import dev.driftline.core.results.DriftResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Committed drift results (JSON as read from the topic) against the results of an uninterrupted run,
 * by id ({@link DriftResult#id()}) and value (the JSON without the fields that say when it was
 * written): copies beyond the first, expected ids never seen, ids not expected, and ids seen with
 * another value than expected, with the first such difference.
 *
 * @param results records read
 * @param difference the first id whose value differs, with both values; null when none does
 */
record DriftComparison(int expected, int results, int duplicates, int missing, int unexpected, int differing,
    String difference) {

  static DriftComparison of(Map<String, DriftResult> expected, List<byte[]> committed) {
    Map<String, Integer> copies = new TreeMap<>();
    Map<String, String> values = new HashMap<>();
    for (byte[] value : committed) {
      JsonNode r = json(value);
      String id = String.join("|", r.path("model_id").asText(), r.path("segment").asText(), r.path("feature").asText(),
          r.path("test").asText(), r.path("window_start").asText(), r.path("window_end").asText());
      copies.merge(id, 1, Integer::sum);
      values.putIfAbsent(id, WrittenAt.without(r));
    }
    int duplicates = copies.values().stream().mapToInt(n -> n - 1).sum();
    int missing = (int) expected.keySet().stream().filter(id -> !copies.containsKey(id)).count();
    int unexpected = (int) copies.keySet().stream().filter(id -> !expected.containsKey(id)).count();
    int differing = 0;
    String difference = null;
    for (var e : new TreeMap<>(expected).entrySet()) {
      String seen = values.get(e.getKey());
      String want = WrittenAt.without(e.getValue());
      if (seen != null && !seen.equals(want)) {
        differing++;
        if (difference == null) {
          difference = e.getKey() + ": committed " + seen + ", expected " + want;
        }
      }
    }
    return new DriftComparison(expected.size(), committed.size(), duplicates, missing, unexpected, differing, difference);
  }

  /** A record's value as read from a topic: JSON, which the topic's schema check has already seen parse. */
  static JsonNode json(byte[] value) {
    try {
      return Json.mapper().readTree(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True when every expected result was committed once, with its value, and nothing else. */
  boolean exact() {
    return duplicates == 0 && missing == 0 && unexpected == 0 && differing == 0;
  }
}
