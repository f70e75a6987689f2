package dev.driftline.cli;

import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.baseline.BaselineFiles;
import dev.driftline.core.io.DurationText;
import dev.driftline.core.io.InputException;
import dev.driftline.core.schema.RecordSchema;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.synth.DriftInjection;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficCounts;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import dev.driftline.core.topics.Topic;
import dev.driftline.runtime.kafka.KafkaSinks;
import dev.driftline.runtime.options.KafkaClientOptions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code driftline generate}: seeded synthetic predictions and delayed labels for a monitored
 * model, with injected drift, to JSON-lines files or Kafka topics. A multiclass model's predictions
 * carry a probability per class ({@code "scores": {"billing": 0.7, ...}}) and its labels a class name.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate synthetic traffic for a monitored model: predictions at --rate per second of event time "
        + "over --duration, and their labels after an exponential delay, in event-time order; optionally drifted. "
        + "Writes DIR/predictions.jsonl and DIR/labels.jsonl, or produces to Kafka (key = model id).")
final class GenerateCommand implements Callable<Integer> {
  private static final Pattern KAFKA = Pattern.compile("kafka://([^:/\\s]+):(\\d{1,5})");
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--spec", required = true, paramLabel = "SPEC", description = "Monitor spec (YAML).")
  Path specFile;

  @Option(names = "--rate", required = true, paramLabel = "N", description = "Predictions per second of event time (> 0).")
  String rate;

  @Option(names = "--duration", required = true, paramLabel = "D", description = "Event-time span, e.g. 1h, 90m, 7d.")
  String duration;

  @Option(names = "--start", paramLabel = "ISO", description = "First event time, e.g. 2026-01-01T00:00:00Z "
      + "(default: now minus the duration, to the second).")
  String start;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Seed; the same seed gives the same bytes (default ${DEFAULT-VALUE}).")
  String seed;

  @Option(names = {"--baseline", "--reference"}, paramLabel = "BASELINE.json",
      description = "Draw features from this baseline (driftline baseline build) instead of synthetic distributions.")
  Path reference;

  @Option(names = "--label-delay", defaultValue = "10m", paramLabel = "D", description = "Mean label delay (exponential; default ${DEFAULT-VALUE}).")
  String labelDelay;

  @Option(names = "--label-missing", defaultValue = "0.05", paramLabel = "P", description = "Fraction of predictions never labelled (default ${DEFAULT-VALUE}).")
  String labelMissing;

  @Option(names = "--drift", paramLabel = "FEATURE@TIME:KIND",
      description = "Inject drift from TIME (offset from start such as 30m, or an ISO instant): shift[=k] (mean + k sd, "
          + "default 1) or scale[=f] (spread × f, default 2) for numeric features, mix (popularity reversed) for "
          + "categorical ones, performance@TIME:decay[=p] (labels ignore the score with probability p, default 0.5), "
          + "label@TIME:shift[=k] (labels' log-odds + k, or a regressor's labels + k sd; scores unchanged), "
          + "label@TIME:mix for a multiclass model (its classes' shares reversed; scores unchanged), "
          + "missing[=p] for any feature (its value sent as null with probability p, default 0.5), "
          + "FEATURE+FEATURE@TIME:correlation[=r] for two numeric features (a Gaussian copula of rank correlation r, "
          + "default 0.8; each feature keeps its distribution). Repeatable.")
  List<String> drifts = new ArrayList<>();

  @Option(names = "--to", required = true, paramLabel = "kafka://HOST:PORT|DIR", description = "Where to write.")
  String to;

  @Option(names = "--predictions-topic", paramLabel = "TOPIC", description = "Kafka topic of predictions (default ${DEFAULT-VALUE}).")
  String predictionsTopic = Topic.PREDICTIONS.defaultName();

  @Option(names = "--labels-topic", paramLabel = "TOPIC", description = "Kafka topic of labels (default ${DEFAULT-VALUE}).")
  String labelsTopic = Topic.LABELS.defaultName();

  @CommandLine.Mixin KafkaClientOptions client = new KafkaClientOptions();

  @Override
  public Integer call() {
    TrafficConfig config = config();
    String target;
    TrafficCounts counts;
    try (Sink sink = openSink()) {
      TrafficGenerator generator = new TrafficGenerator(config);
      while (generator.hasNext()) {
        sink.write(generator.next());
      }
      sink.finish();
      counts = generator.counts();
      target = sink.describe();
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(summary(config, counts, target));
    out.flush();
    return 0;
  }

  static String summary(TrafficConfig config, TrafficCounts counts, String target) {
    String driftText = config.drifts().isEmpty() ? "no drift"
        : config.drifts().size() + " drift window" + (config.drifts().size() == 1 ? "" : "s") + " ("
            + config.drifts().stream().map(DriftInjection::describe).collect(Collectors.joining(", ")) + ")";
    return String.format("%s: %d predictions, %d labels, %d missing labels, %s; %s to %s; %s",
        config.spec().modelId(), counts.predictions(), counts.labels(), counts.missingLabels(), driftText,
        config.start(), config.end(), target);
  }

  /** Every option read and checked; each failure is one line naming the option. */
  TrafficConfig config() {
    double perSecond = number("--rate", rate, "a number of predictions per second > 0");
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      throw new InputException("--rate: expected a number of predictions per second > 0, got \"" + rate + "\"");
    }
    Duration span = duration("--duration", duration);
    if (span.isZero()) {
      throw new InputException("--duration: must be > 0, got \"" + duration + "\"");
    }
    if (Math.round(perSecond * span.toMillis() / 1000.0) < 1) {
      throw new InputException("--rate " + rate + " over --duration " + duration + " is less than one prediction");
    }
    Instant first;
    if (start == null) {
      first = TrafficConfig.defaultStart(Instant.now(), span);
    } else {
      try {
        first = Instant.parse(start);
      } catch (DateTimeParseException e) {
        throw new InputException("--start: expected an ISO instant such as 2026-01-01T00:00:00Z, got \"" + start + "\"");
      }
    }
    long seedValue;
    try {
      seedValue = Long.parseLong(seed.trim());
    } catch (NumberFormatException e) {
      throw new InputException("--seed: expected an integer, got \"" + seed + "\"");
    }
    Duration delay = duration("--label-delay", labelDelay);
    double missing = number("--label-missing", labelMissing, "a fraction in [0, 1]");
    if (!(missing >= 0 && missing <= 1)) {
      throw new InputException("--label-missing: expected a fraction in [0, 1], got \"" + labelMissing + "\"");
    }
    checkTarget();

    MonitorSpec monitor = MonitorSpecParser.load(specFile);
    List<DriftInjection> injections = new ArrayList<>();
    for (String d : drifts) {
      try {
        injections.add(DriftInjection.parse(d, monitor, first, span));
      } catch (InputException e) {
        throw new InputException("--drift " + d + ": " + e.getMessage());
      }
    }
    TrafficConfig config = new TrafficConfig(monitor, first, span, perSecond, seedValue, null, delay, missing, injections);
    if (reference != null) {
      BaselineFile profile = BaselineFiles.read(reference);
      BaselineFiles.checkCovers(profile, reference.toString(), monitor);
      config = config.withReference(profile);
    }
    return config;
  }

  private static double number(String option, String text, String expected) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new InputException(option + ": expected " + expected + ", got \"" + text + "\"");
    }
  }

  private static Duration duration(String option, String text) {
    try {
      return DurationText.parse(text);
    } catch (InputException e) {
      throw new InputException(option + ": " + e.getMessage());
    }
  }

  private void checkTarget() {
    if (to.startsWith("kafka://")) {
      var m = KAFKA.matcher(to);
      if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65_535) {
        throw new InputException("--to: expected kafka://HOST:PORT, got \"" + to + "\"");
      }
      for (String[] t : new String[][] {{"--predictions-topic", predictionsTopic}, {"--labels-topic", labelsTopic}}) {
        if (!TOPIC.matcher(t[1]).matches() || t[1].equals(".") || t[1].equals("..")) {
          throw new InputException(t[0] + ": expected a Kafka topic name (letters, digits, '.', '_', '-'; "
              + "at most 249), got \"" + t[1] + "\"");
        }
      }
      if (predictionsTopic.equals(labelsTopic)) {
        throw new InputException("--labels-topic: must differ from --predictions-topic, both are \"" + labelsTopic + "\"");
      }
    } else if (to.contains("://")) {
      throw new InputException("--to: expected kafka://HOST:PORT or a directory, got \"" + to + "\"");
    } else if (Files.exists(Path.of(to)) && !Files.isDirectory(Path.of(to))) {
      throw new InputException("--to " + to + ": not a directory");
    }
  }

  private Sink openSink() {
    return to.startsWith("kafka://") ? new KafkaSink(to, predictionsTopic, labelsTopic, kafkaProperties()) : new DirectorySink(Path.of(to));
  }

  /** Where generated events go; {@link #finish} after the last one, then close. */
  private interface Sink extends AutoCloseable {
    void write(TrafficEvent event);

    void finish();

    String describe();

    @Override
    void close();
  }

  /** {@code DIR/predictions.jsonl} and {@code DIR/labels.jsonl}, one JSON object per line. */
  private static final class DirectorySink implements Sink {
    private final Path predictionsFile;
    private final Path labelsFile;
    private final BufferedWriter predictions;
    private final BufferedWriter labels;

    DirectorySink(Path dir) {
      this.predictionsFile = dir.resolve("predictions.jsonl");
      this.labelsFile = dir.resolve("labels.jsonl");
      BufferedWriter p = null;
      try {
        Files.createDirectories(dir);
        p = Files.newBufferedWriter(predictionsFile);
        this.predictions = p;
        this.labels = Files.newBufferedWriter(labelsFile);
      } catch (IOException e) {
        closeQuietly(p);
        throw new InputException(dir + ": cannot write: " + e.getMessage());
      }
    }

    @Override
    public void write(TrafficEvent event) {
      boolean isPrediction = event.type() == TrafficEvent.Type.PREDICTION;
      try {
        BufferedWriter w = isPrediction ? predictions : labels;
        w.write(event.json());
        w.write('\n');
      } catch (IOException e) {
        throw new InputException((isPrediction ? predictionsFile : labelsFile) + ": cannot write: " + e.getMessage());
      }
    }

    @Override
    public void finish() {
      try {
        predictions.flush();
        labels.flush();
      } catch (IOException e) {
        throw new InputException(predictionsFile.getParent() + ": cannot write: " + e.getMessage());
      }
    }

    @Override
    public String describe() {
      return "wrote " + predictionsFile + " and " + labelsFile;
    }

    @Override
    public void close() {
      closeQuietly(predictions);
      closeQuietly(labels);
    }

    private static void closeQuietly(BufferedWriter w) {
      if (w == null) {
        return;
      }
      try {
        w.close();
      } catch (IOException e) {
        // finish() has flushed and reported any failure; a close after a failure has nothing to add.
      }
    }
  }

  private Map<String, String> kafkaProperties() {
    try {
      return client.properties();
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
  }

  /** Two topics, key = model id; acks=all with idempotence, flushed before the summary. */
  private static final class KafkaSink implements Sink {
    private final String url;
    private final String predictionsTopic;
    private final String labelsTopic;
    private final KafkaProducer<String, String> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    KafkaSink(String url, String predictionsTopic, String labelsTopic, Map<String, String> clientProperties) {
      this.url = url;
      this.predictionsTopic = predictionsTopic;
      this.labelsTopic = labelsTopic;
      Properties props = new Properties();
      props.putAll(clientProperties);
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, url.substring("kafka://".length()));
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "driftline-generate");
      // A wrong address should fail within seconds, not after the client's one-minute default
      // (unless --kafka-property says how long).
      props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
      props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
      props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
      try {
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
      } catch (KafkaException e) {
        throw new InputException("--to " + url + ": " + e.getMessage());
      }
    }

    @Override
    public void write(TrafficEvent event) {
      String topic = event.type() == TrafficEvent.Type.PREDICTION ? predictionsTopic : labelsTopic;
      check();
      try {
        producer.send(new ProducerRecord<>(topic, null, null, event.key(), event.json(),
            KafkaSinks.headers(event.type() == TrafficEvent.Type.PREDICTION ? RecordSchema.PREDICTION : RecordSchema.LABEL)),
            (metadata, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
        });
      } catch (KafkaException e) {
        throw new InputException("--to " + url + ": cannot produce to " + topic + ": " + e.getMessage());
      }
    }

    @Override
    public void finish() {
      try {
        producer.flush();
      } catch (KafkaException e) {
        throw new InputException("--to " + url + ": " + e.getMessage());
      }
      check();
    }

    private void check() {
      Exception e = failure.get();
      if (e != null) {
        throw new InputException("--to " + url + ": cannot produce: " + e.getMessage());
      }
    }

    @Override
    public String describe() {
      return "produced to " + url + " topics " + predictionsTopic + " and " + labelsTopic;
    }

    @Override
    public void close() {
      // After finish() nothing is pending; after a failure, do not wait out the delivery timeout.
      producer.close(Duration.ofSeconds(10));
    }
  }
}
