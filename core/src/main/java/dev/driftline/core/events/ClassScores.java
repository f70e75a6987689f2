package dev.driftline.core.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.io.Decoded;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A multiclass classifier's class probabilities in a prediction record: an object of class name
 * to probability ({@code "scores": {"a": 0.7, "b": 0.2, "c": 0.1}}) or an array in the order of
 * the spec's {@code classes} ({@code "scores": [0.7, 0.2, 0.1]}).
 *
 * <p>Every class has a finite, non-negative number, no other key is allowed, and the numbers sum
 * to 1 within {@link #SUM_TOLERANCE}; they are then divided by their sum, so that rounding in the
 * producer (six decimals, float32) does not reach the metrics. Anything else refuses the record
 * with a one-line reason naming the field. Stateless and thread-safe.
 */
public final class ClassScores {
  /** How far from 1 the probabilities of a record may sum before it is refused. */
  public static final double SUM_TOLERANCE = 1e-6;

  private ClassScores() {}

  /** The probabilities of {@code classes}, in their order, from {@code v}, the value of field {@code field}. */
  public static Decoded<double[]> decode(String field, JsonNode v, List<String> classes) {
    int k = classes.size();
    double[] p = new double[k];
    if (v != null && v.isArray()) {
      if (v.size() != k) {
        return Decoded.error(field + ": expected " + k + " probabilities (one per class " + String.join("|", classes)
            + "), got " + v.size());
      }
      for (int c = 0; c < k; c++) {
        String bad = read(field + "[" + c + "]", v.get(c), p, c);
        if (bad != null) {
          return Decoded.error(bad);
        }
      }
    } else if (v != null && v.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        int c = classes.indexOf(e.getKey());
        if (c < 0) {
          return Decoded.error(field + "." + e.getKey() + ": unknown class; expected one of " + String.join("|", classes));
        }
        String bad = read(field + "." + e.getKey(), e.getValue(), p, c);
        if (bad != null) {
          return Decoded.error(bad);
        }
      }
      for (String name : classes) {
        if (!v.has(name)) {
          return Decoded.error(field + "." + name + ": missing; expected a probability for every class "
              + String.join("|", classes));
        }
      }
    } else {
      return Decoded.error(field + ": expected an object of class to probability, got " + EventJson.describe(v));
    }
    double sum = 0;
    for (double x : p) {
      sum += x;
    }
    if (!(Math.abs(sum - 1) <= SUM_TOLERANCE)) {
      return Decoded.error(field + ": expected probabilities summing to 1 (within " + SUM_TOLERANCE + "), got a sum of "
          + sum);
    }
    if (sum != 1) {
      for (int c = 0; c < k; c++) {
        p[c] /= sum;
      }
    }
    return Decoded.ok(p);
  }

  /** The most probable class (the first of equal ones, as {@code argmax}). */
  public static int argmax(double[] p) {
    int best = 0;
    for (int c = 1; c < p.length; c++) {
      if (p[c] > p[best]) {
        best = c;
      }
    }
    return best;
  }

  private static String read(String where, JsonNode v, double[] p, int c) {
    if (v == null || !EventJson.finite(v)) {
      return where + ": expected a finite number, got " + EventJson.describe(v);
    }
    double d = v.asDouble();
    if (d < 0) {
      return where + ": expected a probability (not negative), got " + EventJson.describe(v);
    }
    p[c] = d;
    return null;
  }
}
