package dev.driftline.core.window;

import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.drift.FeatureDrift;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One fixed window (30,000 predictions: a continuous, an integer and a categorical feature and the
 * score) against one fixed reference window, evaluated with every test. {@code main(orderSeed)}
 * adds the predictions in an order and a merge tree drawn from {@code orderSeed}, passes every
 * partial through its binary form (as Flink state does), and prints the results as JSON.
 */
public final class WindowDeterminismMain {
  static final MonitorSpec SPEC = MonitorSpecParser.parse("determinism.yaml", String.join("\n",
      "model_id: credit",
      "task: binary_classification",
      "features:",
      "  - {name: income, type: numeric}",
      "  - {name: age, type: numeric}",
      "  - {name: plan, type: categorical}",
      "  - {name: balance, type: numeric, tests: auto}",
      "reference: {source: previous_window}",
      "window: {size: 1h}",
      "tests:",
      "  numeric: {ks: {}, psi: {}, wasserstein: {}, jensen_shannon: {}, hellinger: {}}",
      "  categorical: {chi2: {}, psi: {}, jensen_shannon: {}, hellinger: {}}"));

  private WindowDeterminismMain() {}

  public static void main(String[] args) {
    System.out.println(resultsJson(Long.parseLong(args[0])));
  }

  static List<Prediction> predictions(long seed, int n, double shift) {
    SplittableRandom r = new SplittableRandom(seed);
    String[] plans = {"basic", "plus", "pro", "team"};
    List<Prediction> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double income = Math.exp(10.5 + shift + 0.6 * r.nextGaussian());
      double age = Math.max(18, Math.min(90, Math.round(40 + 12 * r.nextGaussian())));
      double balance = 1000 * r.nextGaussian();
      out.add(new Prediction("credit", "p" + i, i, null, null, new double[] {income, age, Double.NaN, balance},
          new String[] {null, null, plans[(int) Math.floor(4 * Math.pow(r.nextDouble(), 1.3))], null},
          r.nextDouble(), null));
    }
    return out;
  }

  /** The window's results, with the window built in the order and merge tree of {@code orderSeed}. */
  static String resultsJson(long orderSeed) {
    WindowSummary reference = WindowSummary.empty(SPEC);
    predictions(1, 72_000, 0).forEach(reference::add);
    Baseline baseline = Baseline.fromWindow(reference, SPEC, "reference");

    List<Prediction> window = new ArrayList<>(predictions(2, 30_000, 0.02));
    SplittableRandom r = new SplittableRandom(orderSeed);
    for (int i = window.size() - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      Prediction t = window.get(i);
      window.set(i, window.get(j));
      window.set(j, t);
    }
    List<WindowSummary> partials = new ArrayList<>();
    int i = 0;
    while (i < window.size()) {
      int len = Math.min(window.size() - i, 1 + r.nextInt(10_000));
      WindowSummary partial = WindowSummary.empty(SPEC);
      window.subList(i, i + len).forEach(partial::add);
      partials.add(roundTrip(partial));
      i += len;
    }
    while (partials.size() > 1) {
      WindowSummary a = partials.remove(r.nextInt(partials.size()));
      a.merge(partials.remove(r.nextInt(partials.size())));
      partials.add(roundTrip(a));
    }
    List<FeatureDrift> results = WindowDrift.evaluate(SPEC, baseline, partials.get(0));
    return new String(Json.bytes(results), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static WindowSummary roundTrip(WindowSummary s) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        s.write(out);
      }
      return WindowSummary.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
