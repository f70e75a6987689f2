package dev.driftline.core.window;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The two classes of a binary classifier's labels, named {@code "0"} and {@code "1"} in label drift
 * whatever the training data called them. A profile's label column holds the CSV's strings; the
 * label topic accepts 0/1, true/false (any case) and "0"/"1", so the same spellings are read here,
 * plus numbers equal to 0 or 1 ({@code 1.0}), which a CSV written by a numeric tool holds.
 */
public final class LabelClasses {
  public static final String NEGATIVE = "0";
  public static final String POSITIVE = "1";

  private LabelClasses() {}

  /** {@code "0"} or {@code "1"} for a spelling of a class, null for anything else. */
  public static String of(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    switch (t) {
      case "false":
        return NEGATIVE;
      case "true":
        return POSITIVE;
      default:
        try {
          double d = Double.parseDouble(t);
          return d == 0 ? NEGATIVE : d == 1 ? POSITIVE : null;
        } catch (NumberFormatException e) {
          return null;
        }
    }
  }

  /**
   * A profile's label counts per class ({@code "1"} and {@code "true"} add up), or null when a
   * category is not a spelling of 0 or 1.
   */
  public static Map<String, Long> normalize(Map<String, Long> categories) {
    Map<String, Long> out = new TreeMap<>();
    for (Map.Entry<String, Long> e : categories.entrySet()) {
      String c = of(e.getKey());
      if (c == null) {
        return null;
      }
      out.merge(c, e.getValue(), Long::sum);
    }
    return out;
  }

  /** The first category that is not a class, or null when all are. */
  public static String firstInvalid(Map<String, Long> categories) {
    return categories.keySet().stream().filter(c -> of(c) == null).findFirst().orElse(null);
  }
}
