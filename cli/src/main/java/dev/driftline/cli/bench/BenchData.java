package dev.driftline.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.baseline.BaselineBuilder;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.baseline.FeatureBaseline;
import dev.driftline.core.io.CsvTable;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.FeatureSpec;
import dev.driftline.core.spec.FeatureType;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import dev.driftline.core.topics.NamedTopic;
import dev.driftline.core.topics.Topic;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.services.CheckedProducer;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The benchmark's data: baselines built from generated training rows, and the traffic
 * preloaded into Kafka. Every record's Kafka timestamp is its event time (the latency probe relies
 * on it); predictions and labels are keyed by prediction id so that one model spreads over all
 * partitions.
 */
public final class BenchData {
  /** Event time of the first prediction; fixed, so that runs of one seed see the same data. */
  static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
  static final Duration LABEL_DELAY = Duration.ofSeconds(30);
  static final int TRAINING_ROWS = 10_000;
  static final int CARDS = 10_000;

  private final KafkaConfig kafka;

  BenchData(KafkaConfig kafka) {
    this.kafka = kafka;
  }

  /** What was written to a predictions topic and its labels topic. */
  record Produced(long predictions, long labels) {}

  /** A profile of {@code spec} from {@value #TRAINING_ROWS} generated rows (so numeric features keep every value). */
  public static BaselineFile profile(MonitorSpec spec, long seed, Path dir) throws IOException {
    Path training = dir.resolve(spec.modelId() + "-training.csv");
    List<String> names = spec.features().stream().map(FeatureSpec::name).toList();
    try (Writer w = Files.newBufferedWriter(training)) {
      w.write(String.join(",", names) + ",score\n");
      TrafficConfig config = TrafficConfig.of(spec, START.minus(Duration.ofDays(7)), Duration.ofSeconds(TRAINING_ROWS), 1,
          seed + 100).withLabels(Duration.ZERO, 1.0);
      for (TrafficEvent e : (Iterable<TrafficEvent>) TrafficGenerator.stream(config)::iterator) {
        List<String> row = new ArrayList<>();
        names.forEach(n -> row.add(e.body().get(TrafficGenerator.FEATURES_FIELD).get(n).asText()));
        row.add(e.body().get(spec.fields().score()).asText());
        w.write(String.join(",", row) + "\n");
      }
    }
    return BaselineBuilder.build(spec, CsvTable.read(training), START);
  }

  /** Per spec feature the sorted reference values of the numeric ones (null for categorical ones). */
  static double[][] referenceSamples(MonitorSpec spec, BaselineFile profile) {
    double[][] out = new double[spec.features().size()][];
    for (int f = 0; f < out.length; f++) {
      FeatureSpec feature = spec.features().get(f);
      if (feature.type() == FeatureType.NUMERIC) {
        FeatureBaseline p = profile.features().get(feature.name());
        if (p == null || p.numeric() == null || p.numeric().values() == null) {
          throw new IllegalStateException("the reference of " + feature.name() + " keeps no values");
        }
        out[f] = p.numeric().values();
      }
    }
    return out;
  }

  /**
   * Writes {@code predictions} predictions of the models in {@code specs} (shared equally), at
   * {@code perWindow} predictions per window of event time, and the labels of {@code labelShare} of them;
   * with {@code segments} > 0 each prediction is in one of that many segments.
   */
  Produced produceTraffic(Collection<MonitorSpec> specs, Map<String, BaselineFile> profiles, long predictions,
      int perWindow, Duration window, double labelShare, int segments, long seed, String predictionsTopic,
      String labelsTopic) {
    int models = specs.size();
    double rate = perWindow / (window.toMillis() / 1000.0);
    Duration duration = Duration.ofMillis(Math.round(predictions * 1000.0 / rate));
    List<MonitorSpec> specList = List.copyOf(specs);
    List<TrafficGenerator> generators = new ArrayList<>();
    long k = 0;
    for (MonitorSpec spec : specList) {
      generators.add(new TrafficGenerator(TrafficConfig.of(spec, START, duration, rate / models, seed + k++)
          .withReference(profiles.get(spec.modelId())).withLabels(LABEL_DELAY, 1 - labelShare)));
    }
    long predictionCount = 0;
    long labelCount = 0;
    try (KafkaProducer<String, String> producer = producer()) {
      // The generators each run in event-time order; merge them so every partition is in order too.
      PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparingLong((Head h) -> h.event.ts()).thenComparingInt(h -> h.index));
      for (int i = 0; i < generators.size(); i++) {
        if (generators.get(i).hasNext()) {
          heads.add(new Head(generators.get(i).next(), i));
        }
      }
      while (!heads.isEmpty()) {
        Head h = heads.poll();
        TrafficEvent e = h.event;
        MonitorSpec spec = specList.get(h.index);
        String key = e.body().get(spec.fields().predictionId()).asText();
        boolean prediction = e.type() == TrafficEvent.Type.PREDICTION;
        if (prediction && segments > 0) {
          // Segments equally likely, from the prediction's count: the same traffic for the same seed.
          e.body().put(spec.fields().segment(), "segment_" + (char) ('a' + predictionCount % segments));
        }
        producer.send(new ProducerRecord<>(prediction ? predictionsTopic : labelsTopic, null, e.ts(), key, e.json()));
        if (prediction) {
          predictionCount++;
        } else {
          labelCount++;
        }
        TrafficGenerator g = generators.get(h.index);
        if (g.hasNext()) {
          heads.add(new Head(g.next(), h.index));
        }
      }
    }
    return new Produced(predictionCount, labelCount);
  }

  private record Head(TrafficEvent event, int index) {}

  /**
   * Writes {@code count} card transactions like the demo's (lognormal amounts, {@value #CARDS} cards,
   * 80 merchants) spread evenly over {@code duration} of event time, keyed by card.
   */
  long produceCardTransactions(String topic, long count, Duration duration, long seed) {
    SplittableRandom random = new SplittableRandom(seed + 7);
    double step = (double) duration.toMillis() / count;
    long start = START.toEpochMilli();
    try (KafkaProducer<String, String> producer = producer()) {
      for (long i = 0; i < count; i++) {
        long ts = start + (long) Math.floor((i + random.nextDouble()) * step);
        String card = "card-" + random.nextInt(CARDS);
        double amount = Math.round(Math.exp(3.5 + random.nextGaussian()) * 100) / 100.0;
        ObjectNode txn = Json.mapper().createObjectNode().put("card_id", card).put("ts", ts).put("amount", amount)
            .put("merchant_id", "m-" + random.nextInt(80));
        producer.send(new ProducerRecord<>(topic, null, ts, card, txn.toString()));
      }
    }
    return count;
  }

  /** In order (one request in flight, no idempotent retries that could wedge), batched for throughput, checked. */
  private KafkaProducer<String, String> producer() {
    Properties p = kafka.clientProperties();
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 * 1024));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "60000");
    return new CheckedProducer<>(p); // a record the broker did not get fails the run, not its numbers
  }

  /**
   * Creates {@code topics} with {@code partitions} each and their catalogue's cleanup policy. Not its
   * retention: the generated traffic's record timestamps start on {@link #START}, which a retention
   * of days would already have expired.
   */
  void createTopics(List<NamedTopic> topics, int partitions) throws Exception {
    Properties p = kafka.clientProperties();
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    List<NewTopic> all = new ArrayList<>();
    for (NamedTopic t : topics) {
      Map<String, String> configs = new java.util.HashMap<>(t.configs());
      configs.put(Topic.RETENTION_MS, "-1");
      all.add(new NewTopic(t.name(), partitions, (short) 1).configs(configs));
    }
    try (Admin admin = Admin.create(p)) {
      admin.createTopics(all).all().get(60, TimeUnit.SECONDS);
    }
  }
}
