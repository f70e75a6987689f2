package dev.driftline.jobs.driftdetection;

import dev.driftline.core.io.CsvTable;
import dev.driftline.core.profile.ProfileBuilder;
import dev.driftline.core.profile.ReferenceProfile;
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
import java.util.List;

/** Reference profiles built as a user builds them: from a CSV of generated training predictions. */
final class TrainingProfiles {
  private TrainingProfiles() {}

  /** A profile of {@code period} of generated traffic from {@code trainingStart} (seed {@code seed}), created at {@code createdAt}. */
  static ReferenceProfile build(MonitorSpec spec, Instant trainingStart, Duration period, long seed, Instant createdAt, Path dir)
      throws IOException {
    Path training = dir.resolve("training-" + seed + ".csv");
    List<String> names = spec.features().stream().map(FeatureSpec::name).toList();
    try (Writer w = Files.newBufferedWriter(training)) {
      w.write(String.join(",", names) + ",score\n");
      TrafficGenerator.stream(TrafficConfig.of(spec, trainingStart, period, 1, seed))
          .filter(e -> e.type() == TrafficEvent.Type.PREDICTION)
          .forEach(e -> {
            List<String> row = new ArrayList<>();
            names.forEach(n -> row.add(e.body().get("features").get(n).asText()));
            row.add(e.body().get("score").asText());
            try {
              w.write(String.join(",", row) + "\n");
            } catch (IOException ex) {
              throw new UncheckedIOException(ex);
            }
          });
    }
    return ProfileBuilder.build(spec, CsvTable.read(training), createdAt);
  }
  /**
   * As {@link #build}, with each prediction's label as a column too (every label, at once): the
   * profile then has the spec's calibration of the score.
   */
  static ReferenceProfile buildLabelled(MonitorSpec spec, Instant trainingStart, Duration period, long seed,
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
    return ProfileBuilder.build(spec, CsvTable.read(training), createdAt);
  }
}
