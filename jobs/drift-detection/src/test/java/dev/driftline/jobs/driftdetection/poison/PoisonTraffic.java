package dev.driftline.jobs.driftdetection.poison;

import dev.driftline.core.baseline.BaselineBuilder;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.io.CsvTable;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
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

/**
 * The valid side of the poison tests: the credit-default spec of {@code examples/} with 10-minute
 * windows (the corpus in {@code services/.../poison} is written for its field names), a reference
 * profile from a training period, and seeded live traffic that starts at {@link #START}, the
 * corpus's timestamp, so no poison record is ever ahead of the valid ones in event time.
 */
final class PoisonTraffic {
  static final Instant START = Instant.parse("2026-03-02T00:00:00Z");

  private PoisonTraffic() {}

  static MonitorSpec spec() throws IOException {
    String yaml = Files.readString(Path.of("../../examples/credit-default/monitor.yaml"))
        .replaceAll("(?s)window:.*?tests:", "window: {size: 10m, max_out_of_orderness: 30s, idle_timeout: 5s}\n\ntests:");
    return MonitorSpecParser.parse("credit-default-poison.yaml", yaml);
  }

  /** A profile of a training period two days before the traffic, with the score column. */
  static BaselineFile profile(MonitorSpec spec, Path dir) throws IOException {
    Path training = dir.resolve("training.csv");
    List<String> names = spec.features().stream().map(FeatureSpec::name).toList();
    try (Writer w = Files.newBufferedWriter(training)) {
      w.write(String.join(",", names) + ",score\n");
      for (TrafficEvent e : TrafficGenerator.stream(TrafficConfig.of(spec, START.minus(Duration.ofDays(2)),
          Duration.ofMinutes(40), 1, 1)).filter(e -> e.type() == TrafficEvent.Type.PREDICTION).toList()) {
        List<String> row = new ArrayList<>();
        names.forEach(n -> row.add(e.body().get("features").get(n).asText()));
        row.add(e.body().get("score").asText());
        w.write(String.join(",", row) + "\n");
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return BaselineBuilder.build(spec, CsvTable.read(training), START.minus(Duration.ofDays(1)));
  }

  /** Predictions and labels in arrival order: one prediction a second for {@code duration}. */
  static List<TrafficEvent> events(MonitorSpec spec, BaselineFile profile, Duration duration) {
    List<TrafficEvent> out = new ArrayList<>();
    new TrafficGenerator(TrafficConfig.of(spec, START, duration, 1, 2)
        .withReference(profile)
        .withLabels(Duration.ofMinutes(5), 0.05)).forEachRemaining(out::add);
    return out;
  }
}
