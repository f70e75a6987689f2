package dev.driftline.cli.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.baseline.BaselineBuilder;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.baseline.BaselineFiles;
import dev.driftline.core.features.FeatureView;
import dev.driftline.core.io.CsvTable;
import dev.driftline.core.io.Json;
import dev.driftline.core.schema.RecordSchema;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.Task;
import dev.driftline.core.synth.DriftInjection;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import dev.driftline.core.topics.Topic;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSinks;
import dev.driftline.services.CheckedProducer;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The demo's data, all from one seed: the start profiles built from generated training traffic,
 * the traffic of the three models with its injected drift, card transactions for the feature store,
 * and a few malformed records, written to the input topics.
 */
final class DemoTraffic {
  /** Where the traffic's event time starts. */
  static final Instant START = Instant.parse("2026-03-02T08:00:00Z");
  /** The generated training traffic of the start profiles: four hours, a week before the demo's traffic. */
  private static final Instant TRAINING_FROM = START.minus(Duration.ofDays(7));
  private static final Duration TRAINING_SPAN = Duration.ofHours(4);
  /** credit-default's two numeric features that move together (rank correlation 0.8) until the drift breaks the link. */
  static final String CORRELATED = "age+months_employed";

  private final Path dir;
  private final long seed;
  private final int hours;
  private final double rate;
  private final DemoConsole console;

  /**
   * @param dir where the training files and profiles are written
   * @param hours event time the traffic covers
   * @param rate predictions per second of event time, per model
   */
  DemoTraffic(Path dir, long seed, int hours, double rate, DemoConsole console) {
    this.dir = dir;
    this.seed = seed;
    this.hours = hours;
    this.rate = rate;
    this.console = console;
  }

  /** The start profiles: credit-default's and ticket-routing's drift references, and churn's, for its calibration only. */
  record Profiles(BaselineFile credit, BaselineFile churn, BaselineFile tickets) {}

  /** Builds the three models' start profiles and says so. */
  Profiles baselines(DemoSpecs specs) throws IOException {
    BaselineFile credit = baseline(specs.credit(), 100);
    console.line("baseline " + credit.profileId() + " built from " + credit.rows() + " generated training rows, with an "
        + credit.calibration().method() + " calibration of the score for estimated performance before labels");
    // churn's drift reference is the previous window; its profile is for the calibration only.
    BaselineFile churn = baseline(specs.churn(), 101);
    console.line("churn calibration (" + churn.calibration().method() + ") from " + churn.rows() + " generated training rows");
    BaselineFile tickets = baseline(specs.tickets(), 102);
    console.line("baseline " + tickets.profileId() + " of ticket-routing (multiclass, " + specs.tickets().classes().size()
        + " queues) built from " + tickets.rows() + " generated training rows");
    return new Profiles(credit, churn, tickets);
  }

  /**
   * A profile of four hours of generated, labelled training traffic of {@code model}, seeded by
   * {@code seedOffset}; its training CSV and the profile are written into the directory.
   */
  private BaselineFile baseline(MonitorSpec model, long seedOffset) throws IOException {
    Path training = dir.resolve(model.modelId() + "-training.csv");
    List<String> names = model.features().stream().map(FeatureSpec::name).toList();
    // A multiclass model's scores are an object per class: a column per class (scores.<class>), from
    // which the profile gets each class's calibration for the estimates before labels.
    boolean multiclass = model.task() == Task.MULTICLASS_CLASSIFICATION;
    List<String> scoreColumns = multiclass
        ? model.classes().stream().map(c -> BaselineBuilder.classScoreColumn(model, c)).toList()
        : List.of("score");
    // With each prediction's label (all of them, at once), so the profile has a calibration of the score.
    Map<String, List<String>> waiting = new HashMap<>();
    try (Writer w = Files.newBufferedWriter(training)) {
      w.write(String.join(",", names) + "," + String.join(",", scoreColumns) + ",label\n");
      for (TrafficEvent e : (Iterable<TrafficEvent>) TrafficGenerator.stream(
          TrafficConfig.of(model, TRAINING_FROM, TRAINING_SPAN, 2, seed + seedOffset)
              .withLabels(Duration.ZERO, 0.0).withDrifts(trainingCorrelation(model)))::iterator) {
        String id = e.body().get(model.fields().predictionId()).asText();
        if (e.type() == TrafficEvent.Type.PREDICTION) {
          List<String> row = new ArrayList<>();
          names.forEach(n -> row.add(e.body().get("features").get(n).asText()));
          if (multiclass) {
            model.classes().forEach(c -> row.add(e.body().get(model.fields().score()).get(c).asText()));
          } else {
            row.add(e.body().get("score").asText());
          }
          waiting.put(id, row);
        } else {
          List<String> row = waiting.remove(id);
          row.add(e.body().get(model.fields().label()).asText());
          w.write(String.join(",", row) + "\n");
        }
      }
    }
    // Stamped with the end of its training data, not the wall clock: the profile id is in every drift
    // result tested against it (reference_id), so two demos with the same seed write the same results.
    BaselineFile profile = BaselineBuilder.build(model, CsvTable.read(training), TRAINING_FROM.plus(TRAINING_SPAN));
    BaselineFiles.write(profile, dir.resolve(model.modelId() + "-profile.json"));
    return profile;
  }

  /** credit-default's training data has the correlation its traffic carries until the drift; churn's none. */
  private static List<DriftInjection> trainingCorrelation(MonitorSpec model) {
    return model.modelId().equals("credit-default")
        ? List.of(DriftInjection.parse(CORRELATED + "@0s:correlation=0.8", model, TRAINING_FROM, TRAINING_SPAN))
        : List.of();
  }

  /**
   * Generates the three models' traffic with its drift injected a third of the way in, and card
   * transactions, writes them to the input topics, then the malformed records.
   *
   * @param profiles the references credit-default's and ticket-routing's generated features come from
   */
  void replay(KafkaConfig kafka, DemoSpecs specs, Profiles profiles) throws Exception {
    BaselineFile creditProfile = profiles.credit();
    MonitorSpec credit = specs.credit();
    MonitorSpec churn = specs.churn();
    Duration span = Duration.ofHours(hours);
    Duration shiftAt = Duration.ofMinutes(hours * 60L / 3);
    String at = shiftAt.toMinutes() + "m";
    List<TrafficEvent> events = new ArrayList<>();
    new TrafficGenerator(TrafficConfig.of(credit, START, span, rate, seed).withReference(creditProfile)
        .withLabels(Duration.ofMinutes(20), 0.05)
        .withDrifts(List.of(DriftInjection.parse("income@" + at + ":shift=1", credit, START, span),
            DriftInjection.parse("loan_purpose@" + at + ":mix", credit, START, span),
            DriftInjection.parse("credit_utilization@" + at + ":missing=0.6", credit, START, span),
            DriftInjection.parse(CORRELATED + "@0s:correlation=0.8", credit, START, span),
            DriftInjection.parse(CORRELATED + "@" + at + ":correlation=0", credit, START, span)))).forEachRemaining(events::add);
    new TrafficGenerator(TrafficConfig.of(churn, START, span, rate, seed + 1).withLabels(Duration.ofMinutes(15), 0.02)
        .withDrifts(List.of(DriftInjection.parse("performance@" + at + ":decay=0.9", churn, START, span))))
        .forEachRemaining(events::add);
    MonitorSpec tickets = specs.tickets();
    // At half the rate: the third model adds little to the demo's run time.
    new TrafficGenerator(TrafficConfig.of(tickets, START, span, rate / 2, seed + 2).withReference(profiles.tickets())
        .withLabels(Duration.ofMinutes(10), 0.02)
        .withDrifts(List.of(DriftInjection.parse("performance@" + at + ":decay=0.9", tickets, START, span))))
        .forEachRemaining(events::add);
    int cardEvents = produce(kafka, events, specs.cards(), span);
    console.line(String.format(Locale.ROOT, "replayed %d predictions and labels of 3 models and %d card transactions over %d h of event time;"
        + " drift injected at +%s: credit-default income +1σ, loan_purpose mix, 60%% of credit_utilization missing and"
        + " age and months_employed decoupled (rank correlation 0.8 → 0, each as before), churn labels decouple from scores"
        + ", ticket-routing labels decouple from its class scores",
        events.size(), cardEvents, hours, at));
    TrafficEvent first = events.stream().filter(e -> e.type() == TrafficEvent.Type.PREDICTION
        && e.body().path("model_id").asText().equals(credit.modelId())).findFirst().orElseThrow();
    console.line("sent " + malformed(kafka, first) + " malformed records (a truncated prediction, a score of \"n/a\","
        + " a label of 7): the jobs set them aside as dead letters with their reasons");
  }

  /** Writes {@code events} in event-time order (sorting the list), then the card transactions; returns how many of those. */
  private int produce(KafkaConfig kafka, List<TrafficEvent> events, FeatureView cards, Duration span) {
    Properties p = stringProducer(kafka);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    int cardEvents = 0;
    SplittableRandom random = new SplittableRandom(seed + 7);
    try (KafkaProducer<String, String> producer = new CheckedProducer<>(p)) {
      events.sort((a, b) -> Long.compare(a.ts(), b.ts()));
      for (TrafficEvent e : events) {
        String topic = e.type() == TrafficEvent.Type.PREDICTION ? Topic.PREDICTIONS.defaultName() : Topic.LABELS.defaultName();
        producer.send(new ProducerRecord<>(topic, null, null,
            e.key(), e.json(), KafkaSinks.headers(e.type() == TrafficEvent.Type.PREDICTION ? RecordSchema.PREDICTION : RecordSchema.LABEL)));
      }
      long end = START.plus(span).toEpochMilli();
      for (long ts = START.toEpochMilli(); ts < end; ts += 500 + random.nextInt(1000)) {
        String card = "card-" + random.nextInt(300);
        double amount = Math.round(Math.exp(3.5 + random.nextGaussian()) * 100) / 100.0;
        ObjectNode txn = Json.mapper().createObjectNode().put("card_id", card).put("ts", ts).put("amount", amount)
            .put("merchant_id", "m-" + random.nextInt(80));
        producer.send(new ProducerRecord<>(cards.topic(), null, null, card, txn.toString(), KafkaSinks.headers(RecordSchema.FEATURE_EVENT)));
        cardEvents++;
      }
    }
    return cardEvents;
  }

  /** Records no job can use, as real producers sometimes send (without the schema header); returns how many. */
  private static int malformed(KafkaConfig kafka, TrafficEvent prediction) throws Exception {
    List<ProducerRecord<String, String>> records = List.of(
        new ProducerRecord<>(Topic.PREDICTIONS.defaultName(), prediction.key(), "{\"model_id\":\"credit-default\",\"prediction_id\""),
        new ProducerRecord<>(Topic.PREDICTIONS.defaultName(), prediction.key(),
            prediction.json().replaceFirst("\"score\":[^,}]+", "\"score\":\"n/a\"")),
        new ProducerRecord<>(Topic.LABELS.defaultName(), prediction.key(), "{\"model_id\":\"credit-default\",\"prediction_id\":\"p-malformed\","
            + "\"ts\":" + prediction.ts() + ",\"label\":7}"));
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(stringProducer(kafka))) {
      for (ProducerRecord<String, String> r : records) {
        producer.send(r).get();
      }
    }
    return records.size();
  }

  private static Properties stringProducer(KafkaConfig kafka) {
    Properties p = kafka.clientProperties();
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return p;
  }
}
