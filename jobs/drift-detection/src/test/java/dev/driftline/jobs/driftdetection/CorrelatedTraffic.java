package dev.driftline.jobs.driftdetection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.baseline.BaselineBuilder;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.io.CsvTable;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.synth.TrafficEvent;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;

/**
 * A model of four N(0, 1) features in two pairs, (a, b) and (c, d), whose correlation within each
 * pair is a parameter, so every feature keeps its distribution whatever the correlation; its spec
 * with and without {@code pca}, baselines built from its rows, and its predictions.
 */
final class CorrelatedTraffic {
  private CorrelatedTraffic() {}

  static final String MODEL = "correlated";
  static final String[] FEATURES = {"a", "b", "c", "d"};
  static final String SPEC = String.join("\n",
      "model_id: " + MODEL,
      "task: binary_classification",
      "labels: none",
      "features:",
      "  - {name: a, type: numeric}",
      "  - {name: b, type: numeric}",
      "  - {name: c, type: numeric}",
      "  - {name: d, type: numeric}",
      "reference: {source: profile, path: correlated-profile.json}",
      "window: {size: 10m, max_out_of_orderness: 0s, idle_timeout: 1h}",
      "tests:",
      "  numeric:",
      "    ks: {alpha: 0.01}",
      "multiple_testing: bh");
  static final MonitorSpec WITH_PCA = MonitorSpecParser.parse("correlated.yaml", SPEC + "\npca: {chunk_size: 500}");
  static final MonitorSpec WITHOUT_PCA = MonitorSpecParser.parse("correlated.yaml", SPEC);

  /** {@code n} rows of a, b, c, d (then a uniform score in the last column) with correlation {@code rho} in each pair. */
  static double[][] rows(int n, double rho, Random random) {
    double[][] rows = new double[n][];
    double noise = Math.sqrt(1 - rho * rho);
    for (int i = 0; i < n; i++) {
      double a = random.nextGaussian();
      double c = random.nextGaussian();
      rows[i] = new double[] {a, rho * a + noise * random.nextGaussian(), c, rho * c + noise * random.nextGaussian(),
          random.nextDouble()};
    }
    return rows;
  }

  /** The profile of {@code rows} as {@code driftline baseline build} makes it from a CSV of them. */
  static BaselineFile profile(MonitorSpec spec, double[][] rows, Instant createdAt, Path dir) throws IOException {
    Path csv = dir.resolve("training-" + createdAt.toEpochMilli() + ".csv");
    try (Writer w = Files.newBufferedWriter(csv)) {
      w.write("a,b,c,d,score\n");
      for (double[] r : rows) {
        w.write(r[0] + "," + r[1] + "," + r[2] + "," + r[3] + "," + r[4] + "\n");
      }
    }
    return BaselineBuilder.build(spec, CsvTable.read(csv), createdAt);
  }

  /** Row {@code row} as the prediction record a model server sends. */
  static TrafficEvent event(String id, long ts, double[] row) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("model_id", MODEL).put("prediction_id", id).put("ts", ts);
    ObjectNode features = body.putObject("features");
    for (int j = 0; j < FEATURES.length; j++) {
      features.put(FEATURES[j], row[j]);
    }
    body.put("score", row[4]);
    return new TrafficEvent(TrafficEvent.Type.PREDICTION, ts, MODEL, body);
  }

  /** Row {@code row} as the job holds it once decoded. */
  static Prediction prediction(String id, long ts, double[] row) {
    return new Prediction(MODEL, id, ts, null, null, new double[] {row[0], row[1], row[2], row[3]}, new String[4], row[4],
        null);
  }

  /** The row's features alone, in the order a {@code PcaModel} reads them. */
  static double[] features(double[] row) {
    return new double[] {row[0], row[1], row[2], row[3]};
  }
}
