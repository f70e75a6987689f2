package dev.driftline.jobs.driftdetection;

import dev.driftline.core.baseline.BaselineBuilder;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.io.CsvTable;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Baselines built as a user builds them: from a CSV of generated training predictions. */
final class TrainingProfiles {
  private TrainingProfiles() {}

  /** A profile of {@code period} of generated traffic from {@code trainingStart} (seed {@code seed}), created at {@code createdAt}. */
  static BaselineFile build(MonitorSpec spec, Instant trainingStart, Duration period, long seed, Instant createdAt, Path dir)
      throws IOException {
    return build(spec, trainingStart, period, seed, createdAt, dir, false);
  }

  /**
   * As {@link #build(MonitorSpec, Instant, Duration, long, Instant, Path)}, with {@code withLabels} the
   * label column too (rows whose label never came are left out), as training data with known
   * outcomes has it.
   */
  static BaselineFile build(MonitorSpec spec, Instant trainingStart, Duration period, long seed, Instant createdAt,
      Path dir, boolean withLabels) throws IOException {
    Path training = dir.resolve("training-" + seed + (withLabels ? "-labelled" : "") + ".csv");
    List<String> names = spec.features().stream().map(FeatureSpec::name).toList();
    Map<String, String> labels = new HashMap<>();
    List<TrafficEvent> predictions = new ArrayList<>();
    TrafficGenerator.stream(TrafficConfig.of(spec, trainingStart, period, 1, seed)).forEach(e -> {
      if (e.type() == TrafficEvent.Type.PREDICTION) {
        predictions.add(e);
      } else {
        labels.put(e.body().get(spec.fields().predictionId()).asText(), e.body().get(spec.fields().label()).asText());
      }
    });
    try (Writer w = Files.newBufferedWriter(training)) {
      w.write(String.join(",", names) + ",score" + (withLabels ? "," + spec.fields().label() : "") + "\n");
      for (TrafficEvent e : predictions) {
        String label = labels.get(e.body().get(spec.fields().predictionId()).asText());
        if (withLabels && label == null) {
          continue;
        }
        List<String> row = new ArrayList<>();
        names.forEach(n -> row.add(e.body().get("features").get(n).asText()));
        row.add(e.body().get("score").asText());
        if (withLabels) {
          row.add(label);
        }
        w.write(String.join(",", row) + "\n");
      }
    }
    return BaselineBuilder.build(spec, CsvTable.read(training), createdAt);
  }
  /**
   * As {@link #build}, with each prediction's label as a column too (every label, at once): the
   * profile then has the spec's calibration of the score.
   */
  static BaselineFile buildLabelled(MonitorSpec spec, Instant trainingStart, Duration period, long seed,
      Instant createdAt, Path dir) throws IOException {
    Path training = dir.resolve("training-labelled-" + seed + ".csv");
    List<String> names = spec.features().stream().map(FeatureSpec::name).toList();
    java.util.Map<String, List<String>> waiting = new java.util.HashMap<>();
    try (Writer w = Files.newBufferedWriter(training)) {
      w.write(String.join(",", names) + ",score,label\n");
      TrafficGenerator.stream(TrafficConfig.of(spec, trainingStart, period, 1, seed).withLabels(Duration.ZERO, 0.0))
          .forEach(e -> {
            String id = e.body().get("prediction_id").asText();
            if (e.type() == TrafficEvent.Type.PREDICTION) {
              List<String> row = new ArrayList<>();
              names.forEach(n -> row.add(e.body().get("features").get(n).asText()));
              row.add(e.body().get("score").asText());
              waiting.put(id, row);
              return;
            }
            List<String> row = waiting.remove(id);
            row.add(e.body().get("label").asText());
            try {
              w.write(String.join(",", row) + "\n");
            } catch (IOException ex) {
              throw new UncheckedIOException(ex);
            }
          });
    }
    return BaselineBuilder.build(spec, CsvTable.read(training), createdAt);
  }
}
