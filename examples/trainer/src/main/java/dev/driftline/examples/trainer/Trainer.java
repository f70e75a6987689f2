package dev.driftline.examples.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.baseline.BaselineBuilder;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.baseline.BaselineFiles;
import dev.driftline.core.io.CsvTable;
import dev.driftline.core.io.Json;
import dev.driftline.core.metrics.ClassificationMetrics;
import dev.driftline.core.schema.RecordSchema;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.topics.Topic;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * An example trainer that closes the loop: it consumes retrain triggers (read_committed), pulls
 * the labelled predictions of the suggested range from the drift job's output, fits a logistic
 * regression, profiles the training data (with the new model's scores) as the new reference, and
 * publishes it on the baselines topic, where the drift job picks it up without a restart. The
 * profile records the trigger it answers ({@code trigger_id}); a trigger already answered on the
 * baselines topic is not answered again.
 */
@Command(name = "trainer", mixinStandardHelpOptions = true,
    description = "Retrain on retrain triggers and publish the new baseline.")
public final class Trainer implements Callable<Integer> {
  @Option(names = "--bootstrap-servers", required = true, description = "Kafka brokers.")
  String bootstrapServers;

  @Option(names = "--spec", required = true, arity = "1..*", description = "Monitor specs of the models this trainer serves.")
  List<Path> specs;

  // Defaults from Driftline's topic catalogue.
  @Option(names = "--trigger-topic", description = "Default: ${DEFAULT-VALUE}.")
  String triggerTopic = Topic.RETRAIN_TRIGGERS.defaultName();

  @Option(names = "--labelled-topic", description = "Default: ${DEFAULT-VALUE}.")
  String labelledTopic = Topic.LABELLED_PREDICTIONS.defaultName();

  @Option(names = "--baselines-topic", description = "Default: ${DEFAULT-VALUE}.")
  String baselinesTopic = Topic.BASELINES.defaultName();

  @Option(names = "--group-id", defaultValue = "driftline-trainer", description = "Default: ${DEFAULT-VALUE}.")
  String groupId;

  @Option(names = "--work-dir", defaultValue = "target/trainer", description = "Training files and profiles (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(names = "--once", description = "Handle the triggers available now, then exit.")
  boolean once;

  @Option(names = "--min-rows", defaultValue = "200", description = "Fewer labelled rows than this: no retraining (default: ${DEFAULT-VALUE}).")
  int minRows;

  @CommandLine.Spec CommandLine.Model.CommandSpec command;

  /** Where the trainer's lines go: the command line's out (a caller sets it with {@code CommandLine.setOut}). */
  private PrintWriter out;

  /** One retraining: the trigger, the rows used, and the profile published. */
  public record Outcome(String triggerId, String modelId, int rows, double trainingAuc, String profileId) {}

  final List<Outcome> outcomes = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(new CommandLine(new Trainer()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    out = command.commandLine().getOut();
    Map<String, MonitorSpec> models = new HashMap<>();
    for (Path p : specs) {
      MonitorSpec spec = MonitorSpecParser.load(p);
      models.put(spec.modelId(), spec);
    }
    Files.createDirectories(workDir);
    Set<String> seen = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> triggers = consumer(groupId);
        KafkaProducer<byte[], byte[]> producer = producer()) {
      if (once) {
        // Everything committed so far, from the group's position to the end of the topic now.
        List<TopicPartition> partitions = triggers.partitionsFor(triggerTopic).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        triggers.assign(partitions);
        Map<TopicPartition, Long> end = triggers.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> triggers.position(p) < end.get(p))) {
          handle(triggers.poll(Duration.ofMillis(500)), models, seen, producer);
        }
        triggers.commitSync();
      } else {
        triggers.subscribe(List.of(triggerTopic));
        while (true) {
          handle(triggers.poll(Duration.ofMillis(500)), models, seen, producer);
          triggers.commitSync();
        }
      }
    }
    return 0;
  }

  private void handle(Iterable<ConsumerRecord<byte[], byte[]>> records, Map<String, MonitorSpec> models, Set<String> seen,
      KafkaProducer<byte[], byte[]> producer) throws IOException {
    for (ConsumerRecord<byte[], byte[]> r : records) {
      JsonNode trigger = Json.mapper().readTree(r.value());
      String id = trigger.path("trigger_id").asText();
      MonitorSpec spec = models.get(trigger.path("model_id").asText());
      if (spec == null || !seen.add(id)) {
        continue; // another trainer's model, or a repeat of a trigger already handled
      }
      retrain(trigger, spec, producer);
    }
  }

  void retrain(JsonNode trigger, MonitorSpec spec, KafkaProducer<byte[], byte[]> producer) throws IOException {
    String id = trigger.path("trigger_id").asText();
    Instant from = Instant.parse(trigger.path("training_from").asText());
    Instant to = Instant.parse(trigger.path("training_to").asText());
    String segment = trigger.path("segment").asText("__all__");
    String answeredBy = answered().get(id);
    if (answeredBy != null) {
      out.printf("%s [%s]: %s: already answered by baseline %s; nothing to do%n", spec.modelId(), segment, id, answeredBy);
      return;
    }
    List<JsonNode> rows = labelled(spec.modelId(), segment, from, to);
    if (rows.size() < minRows) {
      out.printf("%s [%s]: %s: only %d labelled rows in %s..%s (need %d); not retrained%n", spec.modelId(), segment, id,
          rows.size(), from, to, minRows);
      return;
    }
    Encoder encoder = new Encoder(spec, rows);
    double[][] x = new double[rows.size()][];
    double[] y = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      x[i] = encoder.encode(rows.get(i).get("features"));
      y[i] = rows.get(i).get("label").asDouble();
    }
    LogisticRegression model = LogisticRegression.fit(x, y, 1.0, 25);
    double[] scores = new double[rows.size()];
    int[] labels = new int[rows.size()];
    Path csv = workDir.resolve(spec.modelId() + "-" + id + ".csv");
    try (Writer w = Files.newBufferedWriter(csv)) {
      List<String> names = spec.features().stream().map(FeatureSpec::name).toList();
      w.write(String.join(",", names) + "," + spec.fields().score() + "," + spec.fields().label() + "\n");
      for (int i = 0; i < rows.size(); i++) {
        scores[i] = model.predict(x[i]);
        labels[i] = (int) y[i];
        List<String> cells = new ArrayList<>();
        for (String name : names) {
          JsonNode v = rows.get(i).get("features").get(name);
          cells.add(v == null || v.isNull() ? "" : quote(v.asText()));
        }
        cells.add(Double.toString(scores[i]));
        cells.add(Integer.toString(labels[i]));
        w.write(String.join(",", cells) + "\n");
      }
    }
    BaselineFile profile = BaselineBuilder.build(spec, CsvTable.read(csv), Instant.now()).answering(id);
    Path profileFile = workDir.resolve(spec.modelId() + "-" + id + "-profile.json");
    BaselineFiles.write(profile, profileFile);
    producer.send(new ProducerRecord<>(baselinesTopic, null, null, spec.modelId().getBytes(), Files.readAllBytes(profileFile),
        List.of(new RecordHeader(RecordSchema.HEADER, RecordSchema.BASELINE.headerBytes()))));
    producer.flush();
    double auc = ClassificationMetrics.of(scores, labels, spec.classificationThreshold()).rocAuc();
    outcomes.add(new Outcome(id, spec.modelId(), rows.size(), auc, profile.profileId()));
    out.printf(Locale.ROOT, "%s [%s]: %s: retrained on %d labelled rows (%s..%s), training AUC %.3f; published baseline %s%n",
        spec.modelId(), segment, id, rows.size(), from, to, auc, profile.profileId());
  }

  /**
   * Trigger id → profile id of every baseline on the baselines topic that records the trigger it
   * answers: a trigger seen again (a restart, a new consumer group) is answered once, even when
   * the work directory is gone.
   */
  Map<String, String> answered() {
    Map<String, String> out = new HashMap<>();
    readAll(baselinesTopic, value -> {
      JsonNode n;
      try {
        n = Json.mapper().readTree(value);
      } catch (IOException e) {
        return; // not a profile: the drift job dead-letters it, and it answers no trigger
      }
      if (n.hasNonNull("trigger_id")) {
        out.put(n.get("trigger_id").asText(), n.path("profile_id").asText());
      }
    });
    return out;
  }

  /**
   * Every labelled prediction of {@code model} (and {@code segment}, unless it is the whole model,
   * {@code __all__}) with prediction time in [from, to), read to the end of the topic.
   */
  List<JsonNode> labelled(String model, String segment, Instant from, Instant to) {
    List<JsonNode> rows = new ArrayList<>();
    readAll(labelledTopic, value -> {
      JsonNode n;
      try {
        n = Json.mapper().readTree(value);
      } catch (IOException e) {
        throw new UncheckedIOException(labelledTopic + ": not a labelled prediction: " + e.getMessage(), e);
      }
      long ts = n.path("ts").asLong();
      boolean inSegment = segment.equals("__all__") || segment.equals(n.path("segment").asText());
      if (n.path("model_id").asText().equals(model) && inSegment && ts >= from.toEpochMilli() && ts < to.toEpochMilli()) {
        rows.add(n);
      }
    });
    // In a fixed order, not the order the partitions were read in: the fit sums over rows in order,
    // so the same rows give the same model and scores to the last bit.
    rows.sort(Comparator.<JsonNode>comparingLong(n -> n.path("ts").asLong())
        .thenComparing(n -> n.path("prediction_id").asText()));
    return rows;
  }

  /** Passes every committed record of {@code topic}, from the beginning to the end now, to {@code each}. */
  private void readAll(String topic, Consumer<byte[]> each) {
    try (KafkaConsumer<byte[], byte[]> c = consumer(null)) {
      List<TopicPartition> partitions = c.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = c.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> c.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          each.accept(r.value());
        }
      }
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer(String group) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    if (group != null) {
      p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    }
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return new KafkaConsumer<>(p);
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
    return new KafkaProducer<>(p);
  }

  private static String quote(String v) {
    return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }

  /** Numeric features standardized (missing → mean), categorical ones one-hot over the categories seen. */
  static final class Encoder {
    private final List<FeatureSpec> features;
    private final double[] mean;
    private final double[] sd;
    private final List<List<String>> categories = new ArrayList<>();

    Encoder(MonitorSpec spec, List<JsonNode> rows) {
      features = spec.features();
      mean = new double[features.size()];
      sd = new double[features.size()];
      for (int f = 0; f < features.size(); f++) {
        String name = features.get(f).name();
        if (features.get(f).type() == FeatureType.NUMERIC) {
          double s = 0;
          double s2 = 0;
          int n = 0;
          for (JsonNode r : rows) {
            JsonNode v = r.get("features").get(name);
            if (v != null && v.isNumber()) {
              s += v.asDouble();
              s2 += v.asDouble() * v.asDouble();
              n++;
            }
          }
          mean[f] = n == 0 ? 0 : s / n;
          sd[f] = n < 2 ? 1 : Math.max(1e-9, Math.sqrt(Math.max(0, s2 / n - mean[f] * mean[f])));
          categories.add(List.of());
        } else {
          TreeSet<String> seen = new TreeSet<>();
          rows.forEach(r -> {
            JsonNode v = r.get("features").get(name);
            if (v != null && !v.isNull()) {
              seen.add(v.asText());
            }
          });
          categories.add(new ArrayList<>(seen));
        }
      }
    }

    double[] encode(JsonNode values) {
      List<Double> out = new ArrayList<>();
      for (int f = 0; f < features.size(); f++) {
        JsonNode v = values.get(features.get(f).name());
        if (features.get(f).type() == FeatureType.NUMERIC) {
          double x = v != null && v.isNumber() ? v.asDouble() : mean[f];
          out.add((x - mean[f]) / sd[f]);
        } else {
          String c = v == null || v.isNull() ? null : v.asText();
          // The first category is the baseline level: one column fewer keeps the fit identifiable.
          for (int k = 1; k < categories.get(f).size(); k++) {
            out.add(categories.get(f).get(k).equals(c) ? 1.0 : 0.0);
          }
        }
      }
      return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
  }
}
