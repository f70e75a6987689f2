package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.synth.DriftInjection;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.runtime.deadletter.DeadLetterClasses;
import dev.driftline.runtime.deadletter.DeadLetterJson;
import dev.driftline.runtime.metrics.DriftlineMetric;
import dev.driftline.runtime.metrics.FlinkMetric;
import dev.driftline.services.ElasticsearchExtension;
import dev.driftline.services.KafkaBroker;
import dev.driftline.services.KafkaExtension;
import dev.driftline.services.PoisonCorpus;
import dev.driftline.services.PrometheusMetrics.Sample;
import dev.driftline.services.PrometheusMetrics;
import dev.driftline.services.TopicReader;
import dev.driftline.services.Waits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift job on the real broker and node with Flink's Prometheus reporter on its local cluster:
 * 40 minutes of generated credit-default traffic (income shifted after 20 minutes) with poison in it (the corpus's small malformed
 * predictions and labels, labels of predictions that never come, and repeated predictions and
 * labels). The sources are unbounded, so the job is still running when {@code /metrics} is read
 * over HTTP (Flink drops a job's metrics when it ends); an end-of-input prediction and label, sent
 * last, close the last generated window, and once that window is committed the counters must equal
 * what the job wrote: dead letters by source and
 * reason class = the dead-letter topic, drift results and flags by segment and test = the drift
 * topic, performance updates = the performance topic, records decoded = records sent minus their
 * dead letters. Every exported name is one of {@link DriftlineMetric}, and every metric of the drift
 * job is exported.
 */
@ExtendWith({KafkaExtension.class, ElasticsearchExtension.class})
class DriftJobMetricsTest {
  static final int METRICS_PORT = PrometheusMetrics.freePort();
  @TempDir static Path dir;

  static final String PREFIX = "mx";
  static final String JOB = PREFIX + " drift job";
  static final Instant START = Instant.parse("2026-10-05T00:00:00Z");
  static final Duration LENGTH = Duration.ofMinutes(40);
  static final int REPEATED = 5;

  static MonitorSpec spec;
  static long lastEventTs;
  static long lastPredictionTs;
  static int validPredictions;
  static int validLabels;
  static int poisonPredictions;
  static int poisonLabels;
  static int unmatchedLabels;
  static JobClient job;
  static List<Sample> metrics;
  static long scrapedAt;
  static List<JsonNode> drift;
  static List<JsonNode> performance;
  static List<DeadLetter> deadLetters;

  @BeforeAll
  static void runJobAndScrape() throws Exception {
    String yaml = DriftTraffic.exampleYaml("{size: 10m, max_out_of_orderness: 30s, idle_timeout: 2s}");
    spec = MonitorSpecParser.parse("credit-default-metrics-test.yaml", yaml);
    BaselineFile profile = TrainingProfiles.build(spec, START.minus(Duration.ofDays(2)), Duration.ofHours(3), 1, START,
        dir, true);
    List<TrafficEvent> events = new ArrayList<>();
    new TrafficGenerator(TrafficConfig.of(spec, START, LENGTH, 1, 17).withReference(profile)
        .withLabels(Duration.ofMinutes(2), 0.05)
        .withDrifts(List.of(DriftInjection.parse("income@20m:shift=1", spec, START, LENGTH)))).forEachRemaining(events::add);
    produce(events);

    job = BoundedDriftJob.start(PREFIX, spec, Map.of(spec.modelId(), Baseline.fromProfile(profile, spec)),
        PrometheusMetrics.enable(new Configuration(), Integer.toString(METRICS_PORT)));
    String url = PrometheusMetrics.url(METRICS_PORT);
    int deadLettersSent = poisonPredictions + poisonLabels + unmatchedLabels + 2 * REPEATED;
    int predictionsSent = validPredictions + REPEATED + poisonPredictions;
    int labelsSent = validLabels + REPEATED + unmatchedLabels + poisonLabels;
    // Every input record counted, as an event or as a dead letter of its decode step ...
    Waits.until("every input record counted", Duration.ofSeconds(90), () -> {
      List<Sample> s = PrometheusMetrics.ofJob(PrometheusMetrics.scrape(url), JOB);
      return decoded(s, "decode:predictions") + deadLetters(s, "decode:predictions") == predictionsSent
          && decoded(s, "decode:labels") + deadLetters(s, "decode:labels") == labelsSent;
    }, () -> "sent " + predictionsSent + " predictions, " + labelsSent + " labels; metrics at " + url + ": "
        + summary(PrometheusMetrics.ofJob(PrometheusMetrics.scrape(url), JOB)));
    // ... and a definite end: the end-of-input markers are the last records of their partitions and
    // the only ones whose watermark closes the window of the last generated prediction, so once that
    // window's drift results and performance are committed every generated record has passed every
    // operator (the join's timers included). Then the counters must equal the committed topics
    // (nothing emitted is left in an open transaction); the tests compare the dead letters with those sent.
    KafkaBroker broker = KafkaExtension.broker();
    String lastWindow = START.plus(DriftTraffic.WINDOW.multipliedBy(
        (lastPredictionTs - START.toEpochMilli()) / DriftTraffic.WINDOW.toMillis())).toString();
    String[] arrived = {""};
    Waits.until("drift results and performance of the last window " + lastWindow + " committed, and the drift "
        + "result, performance update and dead-letter counters equal to their committed topics", Duration.ofSeconds(180), () -> {
      List<Sample> s = PrometheusMetrics.ofJob(PrometheusMetrics.scrape(url), JOB);
      List<JsonNode> d = TopicReader.readAllJson(broker.bootstrapServers(), PREFIX + "-drift", 0);
      List<JsonNode> p = TopicReader.readAllJson(broker.bootstrapServers(), PREFIX + "-performance", 0);
      int dead = TopicReader.readAll(broker.bootstrapServers(), PREFIX + "-dead-letters", 0).size();
      arrived[0] = String.format("counted: drift results %.0f, performance updates %.0f, dead letters %.0f; committed: "
          + "%d, %d, %d; last window on the drift topic %s, on the performance topic %s", sum(s, DriftlineMetric.DRIFT_RESULTS),
          sum(s, DriftlineMetric.PERFORMANCE_UPDATES), sum(s, DriftlineMetric.DEAD_LETTERS), d.size(), p.size(), dead,
          hasWindow(d, lastWindow), hasWindow(p, lastWindow)) + "; dead letters counted by source: "
          + bySource(s) + ", expected " + deadLettersSent;
      return hasWindow(d, lastWindow) && hasWindow(p, lastWindow) && sum(s, DriftlineMetric.DEAD_LETTERS) == dead
          && sum(s, DriftlineMetric.DRIFT_RESULTS) == d.size() && sum(s, DriftlineMetric.PERFORMANCE_UPDATES) == p.size();
    }, () -> arrived[0]);
    metrics = PrometheusMetrics.ofJob(PrometheusMetrics.scrape(url), JOB);
    scrapedAt = System.currentTimeMillis();

    drift = TopicReader.readAllJson(broker.bootstrapServers(), PREFIX + "-drift",
        (int) sum(metrics, DriftlineMetric.DRIFT_RESULTS));
    performance = TopicReader.readAllJson(broker.bootstrapServers(), PREFIX + "-performance",
        (int) sum(metrics, DriftlineMetric.PERFORMANCE_UPDATES));
    deadLetters = TopicReader.readAll(broker.bootstrapServers(), PREFIX + "-dead-letters",
            (int) sum(metrics, DriftlineMetric.DEAD_LETTERS)).stream()
        .map(r -> DeadLetterJson.fromJson(r.value())).toList();
    System.out.printf("drift job metrics: %d samples at %s; %s; topics: %d drift results, %d performance, %d dead letters;"
        + " sent %d predictions (%d poison, %d repeated), %d labels (%d poison, %d unmatched, %d repeated), expecting %d dead letters%n",
        metrics.size(), url, summary(metrics), drift.size(), performance.size(), deadLetters.size(), predictionsSent,
        poisonPredictions, REPEATED, labelsSent, poisonLabels, unmatchedLabels, REPEATED, deadLettersSent);
  }

  @AfterAll
  static void cancel() throws Exception {
    if (job != null) {
      job.cancel().get();
    }
  }

  /**
   * Per topic: the poison first (the corpus's small records, whose timestamps are older than any
   * valid record's, so they move no watermark), then the generated events in order, the first
   * {@link #REPEATED} predictions and labels each sent twice in a row.
   */
  static void produce(List<TrafficEvent> events) throws Exception {
    BoundedDriftJob.produce(PREFIX, List.of());
    KafkaBroker broker = KafkaExtension.broker();
    byte[] key = spec.modelId().getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<byte[], byte[]> producer = broker.bytesProducer(1 << 20)) {
      for (String topic : List.of("predictions", "labels")) {
        for (PoisonCorpus.Entry e : PoisonCorpus.load(topic)) {
          boolean plain = e.body().has("text") || e.body().has("base64");
          if (!plain || e.bytes().length > 500_000 || e.expect().startsWith("segment")) {
            // templates need a valid record to copy; the large payloads need large-message topics; this
            // test's spec reads no segment field, so a bad segment is no error here
            continue;
          }
          producer.send(new ProducerRecord<>(PREFIX + "-" + topic, key, e.bytes()));
          if (e.stage().equals("join")) {
            unmatchedLabels++;
          } else if (topic.equals("predictions")) {
            poisonPredictions++;
          } else {
            poisonLabels++;
          }
        }
      }
      int repeatedPredictions = 0;
      int repeatedLabels = 0;
      for (TrafficEvent e : events) {
        boolean prediction = e.type() == TrafficEvent.Type.PREDICTION;
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(PREFIX + (prediction ? "-predictions" : "-labels"), key,
            e.json().getBytes(StandardCharsets.UTF_8));
        producer.send(r);
        if (prediction && repeatedPredictions < REPEATED) {
          producer.send(r);
          repeatedPredictions++;
        } else if (!prediction && repeatedLabels < REPEATED) {
          producer.send(r);
          repeatedLabels++;
        }
        if (prediction) {
          validPredictions++;
        } else {
          validLabels++;
        }
        lastEventTs = Math.max(lastEventTs, e.ts());
        if (prediction) {
          lastPredictionTs = Math.max(lastPredictionTs, e.ts());
        }
      }
      // The end-of-input markers: a prediction and its label 31 s after every generated record, so
      // that their watermark closes the window of the last generated prediction (and no later one).
      long markerTs = lastEventTs + DriftTraffic.OUT_OF_ORDERNESS.toMillis() + 1_000;
      for (TrafficEvent.Type type : List.of(TrafficEvent.Type.PREDICTION, TrafficEvent.Type.LABEL)) {
        TrafficEvent last = events.stream().filter(e -> e.type() == type).reduce((a, b) -> b).orElseThrow();
        ObjectNode marker = (ObjectNode) Json.mapper().readTree(last.json());
        marker.put(spec.fields().predictionId(), "end-of-input");
        marker.put(spec.fields().timestamp(), markerTs);
        boolean prediction = type == TrafficEvent.Type.PREDICTION;
        producer.send(new ProducerRecord<>(PREFIX + (prediction ? "-predictions" : "-labels"), key,
            Json.mapper().writeValueAsBytes(marker)));
        if (prediction) {
          validPredictions++;
        } else {
          validLabels++;
        }
      }
      lastEventTs = markerTs;
    }
    assertThat(poisonPredictions).isGreaterThan(100);
    assertThat(poisonLabels).isGreaterThan(100);
    assertThat(unmatchedLabels).isEqualTo(50);
  }

  static double sum(List<Sample> samples, DriftlineMetric m) {
    return PrometheusMetrics.sum(samples, m.prometheusName(), s -> true);
  }

  static double deadLetters(List<Sample> samples, String source) {
    return PrometheusMetrics.sum(samples, DriftlineMetric.DEAD_LETTERS.prometheusName(), s -> source.equals(s.label("source")));
  }

  static double decoded(List<Sample> samples, String source) {
    return PrometheusMetrics.sum(samples, DriftlineMetric.RECORDS_DECODED.prometheusName(),
        s -> source.equals(s.label("source")));
  }

  /** Per label values (joined by |), the sum of {@code m}'s samples. */
  static Map<String, Long> byLabels(DriftlineMetric m) {
    Map<String, Long> out = new TreeMap<>();
    for (Sample s : metrics) {
      if (s.name().equals(m.prometheusName()) && s.value() > 0) {
        String key = m.labels().stream().map(s::label).collect(Collectors.joining("|"));
        out.merge(key, (long) s.value(), Long::sum);
      }
    }
    return out;
  }

  static String summary(List<Sample> samples) {
    Map<String, Double> sums = new TreeMap<>();
    for (DriftlineMetric m : DriftlineMetric.values()) {
      if (m.kind() == DriftlineMetric.Kind.COUNTER) {
        sums.put(m.metricName(), sum(samples, m));
      }
    }
    return sums.toString();
  }

  static Map<String, Long> bySource(List<Sample> samples) {
    Map<String, Long> out = new TreeMap<>();
    samples.stream().filter(x -> x.name().equals(DriftlineMetric.DEAD_LETTERS.prometheusName()) && x.value() > 0)
        .forEach(x -> out.merge(x.label("source") + "|" + x.label("reason"), (long) x.value(), Long::sum));
    return out;
  }

  static boolean hasWindow(List<JsonNode> records, String windowStart) {
    return records.stream().anyMatch(r -> r.get("window_start").asText().equals(windowStart));
  }

  static Map<String, Long> countBy(List<JsonNode> records, java.util.function.Predicate<JsonNode> filter, String... fields) {
    Map<String, Long> out = new TreeMap<>();
    for (JsonNode r : records) {
      if (filter.test(r)) {
        List<String> values = new ArrayList<>();
        for (String f : fields) {
          values.add(r.get(f).asText());
        }
        out.merge(String.join("|", values), 1L, Long::sum);
      }
    }
    return out;
  }

  @Test
  void deadLettersCountedEqualTheDeadLetterTopicBySourceAndReason() {
    Map<String, Long> topic = new TreeMap<>();
    for (DeadLetter d : deadLetters) {
      topic.merge(DeadLetterClasses.source(d.stage()) + "|" + DeadLetterClasses.reason(d.stage(), d.reason()), 1L, Long::sum);
    }
    assertThat(deadLetters).hasSize(poisonPredictions + poisonLabels + unmatchedLabels + 2 * REPEATED);
    assertThat(byLabels(DriftlineMetric.DEAD_LETTERS)).isEqualTo(topic);
    assertThat(topic).containsEntry("join:labels|unmatched", (long) unmatchedLabels)
        .containsEntry("join:labels|duplicate", (long) REPEATED)
        .containsEntry("dedup:predictions|duplicate", (long) REPEATED)
        .containsKeys("decode:predictions|invalid_json", "decode:predictions|invalid_time",
            "decode:predictions|invalid_value", "decode:predictions|unknown_model", "decode:predictions|missing_field",
            "decode:labels|invalid_json", "decode:labels|invalid_time", "decode:labels|unknown_model");
    assertThat(byLabels(DriftlineMetric.LABELS_UNMATCHED)).isEqualTo(Map.of(spec.modelId(), (long) unmatchedLabels));
    assertThat(byLabels(DriftlineMetric.LABELS_DUPLICATE)).isEqualTo(Map.of(spec.modelId(), (long) REPEATED));
  }

  @Test
  void recordsDecodedAreRecordsSentMinusTheirDeadLetters() {
    long predictionDeadLetters = deadLetters.stream().filter(d -> d.stage().equals("decode:predictions")).count();
    long labelDeadLetters = deadLetters.stream().filter(d -> d.stage().equals("decode:labels")).count();
    int predictionsSent = validPredictions + REPEATED + poisonPredictions;
    int labelsSent = validLabels + REPEATED + unmatchedLabels + poisonLabels;
    assertThat(decoded(metrics, "decode:predictions")).isEqualTo(predictionsSent - predictionDeadLetters);
    assertThat(decoded(metrics, "decode:labels")).isEqualTo(labelsSent - labelDeadLetters);
    assertThat(predictionDeadLetters).isEqualTo(poisonPredictions);
    assertThat(labelDeadLetters).isEqualTo(poisonLabels);
  }

  @Test
  void driftResultsAndFlagsCountedEqualTheDriftTopicBySegmentAndTest() {
    assertThat(drift).hasSizeGreaterThan(50);
    assertThat(byLabels(DriftlineMetric.DRIFT_RESULTS)).isEqualTo(countBy(drift, r -> true, "model_id", "segment", "test"));
    Map<String, Long> flags = countBy(drift, r -> r.get("drift").asBoolean(), "model_id", "segment", "test");
    assertThat(byLabels(DriftlineMetric.DRIFT_FLAGS)).isEqualTo(flags);
    // income shifts by one standard deviation after 20 minutes: KS and PSI flag it from the third window on
    assertThat(drift.stream().filter(r -> r.get("feature").asText().equals("income") && r.get("drift").asBoolean()
        && r.get("segment").asText().equals("__all__")).map(r -> r.get("window_start").asText()).distinct())
        .contains("2026-10-05T00:20:00Z");
    // A window of every segment closed is one set of feature results (the reference is a profile).
    Map<String, Set<String>> windows = new TreeMap<>();
    drift.stream().filter(r -> !r.get("feature").asText().equals("__label__")).forEach(r ->
        windows.computeIfAbsent(r.get("model_id").asText() + "|" + r.get("segment").asText(), k -> new TreeSet<>())
            .add(r.get("window_start").asText()));
    Map<String, Long> windowCounts = new TreeMap<>();
    windows.forEach((k, v) -> windowCounts.put(k, (long) v.size()));
    assertThat(byLabels(DriftlineMetric.WINDOWS_CLOSED)).isEqualTo(windowCounts);
    // 40 minutes of 10-minute windows: at least the first three close (the last may wait for the watermark).
    assertThat(windowCounts.get(spec.modelId() + "|__all__")).isBetween(3L, 4L);
  }

  @Test
  void performanceUpdatesAndLabelCoverageMatchThePerformanceTopic() {
    assertThat(byLabels(DriftlineMetric.PERFORMANCE_UPDATES)).isEqualTo(countBy(performance, r -> true, "model_id", "segment"));
    Map<String, Double> lastCoverage = new HashMap<>();
    performance.stream().filter(r -> !r.path("estimated").asBoolean())
        .forEach(r -> lastCoverage.put(r.get("model_id").asText() + "|" + r.get("segment").asText(),
            r.get("label_coverage").asDouble()));
    Map<String, Double> gauge = new HashMap<>();
    metrics.stream().filter(s -> s.name().equals(DriftlineMetric.LABEL_COVERAGE.prometheusName()))
        .forEach(s -> gauge.put(s.label("model") + "|" + s.label("segment"), s.value()));
    assertThat(gauge).isEqualTo(lastCoverage);
    assertThat(gauge.get(spec.modelId() + "|__all__")).isBetween(0.5, 1.0);
  }

  @Test
  void eventTimeLagIsNowMinusAWatermarkWithinTheTraffic() {
    List<Sample> lag = metrics.stream().filter(s -> s.name().equals(DriftlineMetric.EVENT_TIME_LAG.prometheusName())).toList();
    assertThat(lag).isNotEmpty();
    for (Sample s : lag) {
      // scraped before scrapedAt; the watermark lies between the first event and the last
      assertThat(s.value()).as(s.labels().toString())
          .isBetween((double) (scrapedAt - 60_000 - lastEventTs), (double) (scrapedAt - START.toEpochMilli()));
    }
  }

  @Test
  void elasticsearchSinksReportRetriesAndRequestsInFlight() {
    assertThat(sum(metrics, DriftlineMetric.ELASTICSEARCH_BULK_RETRIES)).isZero();
    List<Sample> inFlight = metrics.stream()
        .filter(s -> s.name().equals(DriftlineMetric.ELASTICSEARCH_REQUESTS_IN_FLIGHT.prometheusName())).toList();
    assertThat(inFlight).isNotEmpty().allSatisfy(s -> assertThat(s.value()).isBetween(0.0, 50.0));
  }

  @Test
  void everyMetricOfTheDriftJobIsExportedUnderItsListedName() {
    Set<String> exported = metrics.stream().map(Sample::name)
        .filter(n -> n.startsWith(DriftlineMetric.OPERATOR_PREFIX + DriftlineMetric.GROUP + "_"))
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> drift = new TreeSet<>(DriftlineMetric.prometheusNames());
    drift.remove(DriftlineMetric.RETRAIN_TRIGGERS.prometheusName());
    drift.remove(DriftlineMetric.ALERTS.prometheusName());
    for (DriftlineMetric feature : List.of(DriftlineMetric.FEATURE_UPDATES, DriftlineMetric.ENTITIES_FORGOTTEN,
        DriftlineMetric.FRESHNESS, DriftlineMetric.LAST_FRESHNESS)) {
      drift.remove(feature.prometheusName());
    }
    assertThat(exported).isEqualTo(drift);
  }

  /**
   * The metrics of Flink and its Kafka connector that the alert rules read (FlinkMetric: source lag,
   * restarts, checkpoints) are exported under those names for this job; the lag for each source that has read.
   */
  @Test
  void theFlinkMetricsTheAlertRulesReadAreExported() {
    Set<String> exported = metrics.stream().map(Sample::name).collect(Collectors.toCollection(TreeSet::new));
    assertThat(exported).containsAll(FlinkMetric.prometheusNames());
    Set<String> lagged = metrics.stream().filter(s -> s.name().equals(FlinkMetric.PENDING_RECORDS.prometheusName()))
        .map(s -> s.label("operator_name")).collect(Collectors.toCollection(TreeSet::new));
    // The baselines source has read nothing here: the Kafka consumer reports a partition's lag once it has fetched from it.
    assertThat(lagged).contains("Source: predictions", "Source: labels");
  }
}
