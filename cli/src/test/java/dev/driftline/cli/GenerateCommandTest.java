package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftline.core.events.Label;
import dev.driftline.core.events.LabelDecoder;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.Prediction;
import dev.driftline.core.events.PredictionDecoder;
import dev.driftline.core.io.Decoded;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.synth.CreditDefaultData;
import dev.driftline.core.synth.DriftInjection;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GenerateCommandTest {
  private static final String SPEC = "../examples/credit-default/monitor.yaml";
  private static final String START = "2026-01-01T00:00:00Z";
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  /** Runs generate with defaults for every option; {@code extra} replaces (or, for --drift, adds) options. */
  private static CliRun generate(Path out, String... extra) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("--spec", SPEC);
    options.put("--rate", "5");
    options.put("--duration", "10m");
    options.put("--start", START);
    options.put("--seed", "3");
    options.put("--to", out.toString());
    List<String> args = new ArrayList<>(List.of("generate"));
    for (int i = 0; i < extra.length; i += 2) {
      if (extra[i].equals("--drift")) {
        args.add(extra[i] + "=" + extra[i + 1]);
      } else {
        options.put(extra[i], extra[i + 1]);
      }
    }
    options.forEach((k, v) -> args.add(k + "=" + v));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void writesPredictionsAndLabelsAsTheGeneratorMakesThem() throws IOException {
    Path out = dir.resolve("out");
    CliRun r = generate(out, "--drift", "income@5m:shift=2", "--drift", "performance@8m:decay", "--label-delay", "1m");
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();

    List<String> predictions = Files.readAllLines(out.resolve("predictions.jsonl"));
    List<String> labels = Files.readAllLines(out.resolve("labels.jsonl"));
    assertThat(predictions).hasSize(3000);
    assertThat(r.out()).isEqualTo(String.format("credit-default: 3000 predictions, %d labels, %d missing labels, "
        + "2 drift windows (income shift=2.0 from 2026-01-01T00:05:00Z, performance decay=0.5 from 2026-01-01T00:08:00Z); "
        + "2026-01-01T00:00:00Z to 2026-01-01T00:10:00Z; wrote %s and %s%n",
        labels.size(), 3000 - labels.size(), out.resolve("predictions.jsonl"), out.resolve("labels.jsonl")));
    assertThat(labels.size()).isBetween(2750, 2950);

    // The files hold exactly the core generator's events for the same options.
    MonitorSpec spec = MonitorSpecParser.load(Path.of(SPEC));
    Instant start = Instant.parse(START);
    Duration span = Duration.ofMinutes(10);
    TrafficConfig config = TrafficConfig.of(spec, start, span, 5, 3).withLabels(Duration.ofMinutes(1), 0.05)
        .withDrifts(List.of(DriftInjection.parse("income@5m:shift=2", spec, start, span),
            DriftInjection.parse("performance@8m:decay", spec, start, span)));
    List<TrafficEvent> events = TrafficGenerator.stream(config).toList();
    assertThat(predictions).containsExactlyElementsOf(events.stream()
        .filter(e -> e.type() == TrafficEvent.Type.PREDICTION).map(TrafficEvent::json).toList());
    assertThat(labels).containsExactlyElementsOf(events.stream()
        .filter(e -> e.type() == TrafficEvent.Type.LABEL).map(TrafficEvent::json).toList());

    JsonNode first = JSON.readTree(predictions.get(0));
    assertThat(first.get("model_id").asText()).isEqualTo("credit-default");
    assertThat(first.get("features").size()).isEqualTo(12);
    JsonNode label = JSON.readTree(labels.get(0));
    assertThat(label.get("label").asInt()).isBetween(0, 1);
  }

  @Test
  void writesAMulticlassModelsClassScoresAndClassLabels() throws IOException {
    Path out = dir.resolve("tickets");
    CliRun r = generate(out, "--spec", "../examples/ticket-routing/monitor.yaml", "--drift", "label@5m:mix",
        "--drift", "performance@8m:decay=0.9", "--label-missing", "0");
    assertThat(r.err()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEqualTo(String.format("ticket-routing: 3000 predictions, 3000 labels, 0 missing labels, "
        + "2 drift windows (label mix from 2026-01-01T00:05:00Z, performance decay=0.9 from 2026-01-01T00:08:00Z); "
        + "2026-01-01T00:00:00Z to 2026-01-01T00:10:00Z; wrote %s and %s%n", out.resolve("predictions.jsonl"), out.resolve("labels.jsonl")));

    MonitorSpec spec = MonitorSpecParser.load(Path.of("../examples/ticket-routing/monitor.yaml"));
    ModelRegistry models = new ModelRegistry(List.of(spec));
    PredictionDecoder predictionDecoder = new PredictionDecoder(models);
    LabelDecoder labelDecoder = new LabelDecoder(models);
    Map<String, String> predicted = new HashMap<>();
    for (String line : Files.readAllLines(out.resolve("predictions.jsonl"))) {
      Decoded<Prediction> p = predictionDecoder.decode(line.getBytes(StandardCharsets.UTF_8));
      assertThat(p.isOk()).as(p + ": " + line).isTrue();
      assertThat(p.value().classScores()).hasSize(4);
      predicted.put(p.value().predictionId(), p.value().predictedClass());
    }
    assertThat(predicted).hasSize(3000);
    Map<String, Long> byClass = new TreeMap<>();
    Map<String, Long> rightBeforeMix = new TreeMap<>();
    long beforeMix = Instant.parse("2026-01-01T00:05:00Z").toEpochMilli();
    Map<String, Long> predictionTime = new HashMap<>();
    Files.readAllLines(out.resolve("predictions.jsonl")).forEach(l -> {
      JsonNode n = readTree(l);
      predictionTime.put(n.get("prediction_id").asText(), n.get("ts").asLong());
    });
    for (String line : Files.readAllLines(out.resolve("labels.jsonl"))) {
      Decoded<Label> l = labelDecoder.decode(line.getBytes(StandardCharsets.UTF_8));
      assertThat(l.isOk()).as(l + ": " + line).isTrue();
      String queue = spec.classes().get((int) l.value().value());
      byClass.merge(queue, 1L, Long::sum);
      if (predictionTime.get(l.value().predictionId()) < beforeMix) {
        rightBeforeMix.merge(queue.equals(predicted.get(l.value().predictionId())) ? "right" : "wrong", 1L, Long::sum);
      }
    }
    assertThat(byClass.keySet()).containsExactly("account", "billing", "other", "technical");
    assertThat(byClass.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3000);
    // Before the drift, labels follow the calibrated scores: about 0.8 of about 1500 labels right.
    long right = rightBeforeMix.get("right");
    assertThat(right / (double) (right + rightBeforeMix.get("wrong"))).isBetween(0.74, 0.87);
  }

  @Test
  void sameSeedWritesTheSameBytes() throws IOException {
    generate(dir.resolve("a"));
    generate(dir.resolve("b"));
    for (String f : new String[] {"predictions.jsonl", "labels.jsonl"}) {
      assertThat(Files.readAllBytes(dir.resolve("b").resolve(f))).isEqualTo(Files.readAllBytes(dir.resolve("a").resolve(f)));
    }
  }

  @Test
  void drawsFeaturesFromAReferenceProfile() throws IOException {
    Path training = dir.resolve("training.csv");
    try (Writer w = Files.newBufferedWriter(training)) {
      new CreditDefaultData(5, CreditDefaultData.Shift.NONE).writeCsv(w, 2_000, 0L);
    }
    Path profile = dir.resolve("profile.json");
    assertThat(CliRun.of("baseline", "build", "--spec", SPEC, "--input", training.toString(), "--out", profile.toString())
        .exitCode()).isZero();

    Path out = dir.resolve("out");
    CliRun r = generate(out, "--reference", profile.toString(), "--label-missing", "0");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("3000 predictions, 3000 labels, 0 missing labels, no drift");
    Set<String> terms = Files.readAllLines(out.resolve("predictions.jsonl")).stream()
        .map(l -> readTree(l).get("features").get("loan_term").asText()).collect(Collectors.toSet());
    assertThat(terms).containsExactlyInAnyOrder("36", "60");
  }

  private static JsonNode readTree(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      "--drift | income@30m:mix | --drift income@30m:mix: mix applies to categorical features; income is numeric",
      "--drift | salary@1m:shift | --drift salary@1m:shift: unknown feature salary; the spec has age, income, debt_to_income, "
          + "credit_utilization, num_open_accounts, num_late_payments_12m, months_employed, loan_amount, loan_term, "
          + "home_ownership, loan_purpose, employment_type",
      "--drift | income@1m | --drift income@1m: expected FEATURE@TIME:KIND such as income@30m:shift=2",
      "--drift | income@2h:shift | --drift income@2h:shift: time 2h is outside the run (2026-01-01T00:00:00Z to 2026-01-01T01:00:00Z)",
      "--rate | 0 | --rate: expected a number of predictions per second > 0, got \"0\"",
      "--rate | -3 | --rate: expected a number of predictions per second > 0, got \"-3\"",
      "--rate | fast | --rate: expected a number of predictions per second > 0, got \"fast\"",
      "--rate | 0.0001 | --rate 0.0001 over --duration 10m is less than one prediction",
      "--duration | 0s | --duration: must be > 0, got \"0s\"",
      "--duration | 10 | --duration: expected a duration such as 30s, 10m, 1h, 7d, got \"10\"",
      "--start | yesterday | --start: expected an ISO instant such as 2026-01-01T00:00:00Z, got \"yesterday\"",
      "--seed | x1 | --seed: expected an integer, got \"x1\"",
      "--label-delay | soon | --label-delay: expected a duration such as 30s, 10m, 1h, 7d, got \"soon\"",
      "--label-missing | 1.5 | --label-missing: expected a fraction in [0, 1], got \"1.5\"",
      "--to | http://localhost:9092 | --to: expected kafka://HOST:PORT or a directory, got \"http://localhost:9092\"",
      "--to | kafka://localhost | --to: expected kafka://HOST:PORT, got \"kafka://localhost\"",
      "--to | kafka://localhost:99999 | --to: expected kafka://HOST:PORT, got \"kafka://localhost:99999\"",
  })
  void rejectsABadOptionWithOneLineAndExitTwo(String option, String value, String message) {
    Path out = dir.resolve("out");
    CliRun r = option.equals("--rate") || option.equals("--duration")
        ? generate(out, option, value) : generate(out, "--duration", "1h", option, value);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("driftline: " + message + System.lineSeparator());
    assertThat(r.out()).isEmpty();
    assertThat(out).doesNotExist();
  }

  @Test
  void rejectsBadTopicsBeforeConnecting() {
    CliRun r = generate(dir.resolve("x"), "--to", "kafka://localhost:9092", "--labels-topic", "bad topic");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("driftline: --labels-topic: expected a Kafka topic name (letters, digits, '.', '_', '-'; "
        + "at most 249), got \"bad topic\"" + System.lineSeparator());
    CliRun same = generate(dir.resolve("x"), "--to", "kafka://localhost:9092", "--labels-topic", "predictions");
    assertThat(same.err()).isEqualTo("driftline: --labels-topic: must differ from --predictions-topic, both are \"predictions\""
        + System.lineSeparator());
  }

  @Test
  void refusesAFileAsTheOutputDirectory() throws IOException {
    Path file = Files.writeString(dir.resolve("taken"), "x");
    CliRun r = generate(file);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("driftline: --to " + file + ": not a directory" + System.lineSeparator());
  }
}
