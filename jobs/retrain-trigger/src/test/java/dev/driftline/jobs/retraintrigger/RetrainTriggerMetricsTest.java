package dev.driftline.jobs.retraintrigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.trigger.PolicyEngine;
import dev.driftline.runtime.deadletter.DeadLetterClasses;
import dev.driftline.runtime.deadletter.DeadLetterJson;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSources;
import dev.driftline.runtime.metrics.DriftlineMetric;
import dev.driftline.services.ElasticsearchExtension;
import dev.driftline.services.KafkaBroker;
import dev.driftline.services.KafkaExtension;
import dev.driftline.services.PrometheusMetrics.Sample;
import dev.driftline.services.PrometheusMetrics;
import dev.driftline.services.TopicReader;
import dev.driftline.services.Waits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The trigger job's metrics, read over HTTP from Flink's Prometheus reporter while the job runs on
 * the scripted drift results of {@link ScriptedDrift} (unbounded sources, cancelled after the
 * scrape): retrain triggers and alerts counted by model and segment equal the triggers and alerts
 * topics, dead letters the dead-letter topic, and the trigger job's metrics are exported under their
 * {@link DriftlineMetric} names.
 */
@ExtendWith({KafkaExtension.class, ElasticsearchExtension.class})
class RetrainTriggerMetricsTest {
  static final int METRICS_PORT = PrometheusMetrics.freePort();
  static final String JOB = "retrain trigger metrics";
  static final int WINDOWS = 60;

  static MonitorSpec spec;
  static int results;
  static JobClient job;
  static List<Sample> metrics;
  static List<JsonNode> triggers;
  static List<JsonNode> alerts;
  static Map<String, Long> deadLetters = new TreeMap<>();

  @BeforeAll
  static void runJobAndScrape() throws Exception {
    ScriptedDrift script = ScriptedDrift.of(WINDOWS);
    spec = script.spec();
    KafkaBroker broker = KafkaExtension.broker();
    broker.createTopics(1, "rm-drift", "rm-performance");
    broker.createTopics(2, "rm-triggers", "rm-alerts", "rm-dead");
    try (KafkaProducer<String, String> producer = broker.stringProducer()) {
      for (DriftResult r : script.results()) {
        producer.send(new ProducerRecord<>("rm-drift", r.modelId(), new String(Json.bytes(r))));
        results++;
      }
      producer.send(new ProducerRecord<>("rm-drift", "m", "{\"model_id\": \"m\", \"oops\": 1}"));
      producer.send(new ProducerRecord<>("rm-drift", "m", "not json"));
    }
    ElasticsearchConfig es = ElasticsearchConfig.of(ElasticsearchExtension.url());
    TriggerOutputs.installTemplates(es);
    KafkaConfig kafka = KafkaConfig.of(broker.bootstrapServers());
    // From @BeforeAll the job runs on a local cluster of its own, which serves /metrics on METRICS_PORT.
    Configuration conf = PrometheusMetrics.enable(new Configuration(), Integer.toString(METRICS_PORT));
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.enableCheckpointing(1_000);
    new RetrainTriggerJob(
        KafkaSources.raw(kafka, List.of("rm-drift"), "rm"),
        KafkaSources.raw(kafka, List.of("rm-performance"), "rm"),
        TriggerOutputs.create(kafka, es, new TriggerOutputs.Topics("rm-triggers", "rm-alerts", "rm-dead", "rm")),
        new ModelRegistry(List.of(spec)), Duration.ofSeconds(2)).build(env);
    job = env.executeAsync(JOB);

    String url = PrometheusMetrics.url(METRICS_PORT);
    // The end is definite: every drift result sent decoded, the two malformed ones dead letters, and
    // as many triggers and alerts as the policy decides on the script's windows, all but the last: the
    // watermark of the unbounded source stops 1 ms before the newest window end, where its timer is.
    List<PolicyEngine.Decision> decisions = script.decisions(0, WINDOWS - 1);
    long expectedTriggers = decisions.stream().filter(d -> d.trigger() != null).count();
    long expectedAlerts = decisions.stream().mapToLong(d -> d.alerts().size()).sum();
    Waits.until(results + " drift results decoded, 2 dead letters, " + expectedTriggers + " triggers and " + expectedAlerts
        + " alerts (the policy's decisions on the script)", Duration.ofSeconds(180), () -> {
      List<Sample> s = PrometheusMetrics.ofJob(PrometheusMetrics.scrape(url), JOB);
      return sum(s, DriftlineMetric.RECORDS_DECODED) == results && sum(s, DriftlineMetric.DEAD_LETTERS) == 2
          && sum(s, DriftlineMetric.RETRAIN_TRIGGERS) == expectedTriggers && sum(s, DriftlineMetric.ALERTS) == expectedAlerts;
    }, () -> {
      List<Sample> s = PrometheusMetrics.ofJob(PrometheusMetrics.scrape(url), JOB);
      return "arrived: decoded " + sum(s, DriftlineMetric.RECORDS_DECODED) + ", dead letters " + sum(s, DriftlineMetric.DEAD_LETTERS)
          + ", triggers " + sum(s, DriftlineMetric.RETRAIN_TRIGGERS) + ", alerts " + sum(s, DriftlineMetric.ALERTS);
    });
    metrics = PrometheusMetrics.ofJob(PrometheusMetrics.scrape(url), JOB);
    String bootstrap = KafkaExtension.broker().bootstrapServers();
    triggers = TopicReader.readAllJson(bootstrap, "rm-triggers", (int) sum(metrics, DriftlineMetric.RETRAIN_TRIGGERS));
    alerts = TopicReader.readAllJson(bootstrap, "rm-alerts", (int) sum(metrics, DriftlineMetric.ALERTS));
    TopicReader.readAll(broker.bootstrapServers(), "rm-dead", 2).stream().map(r -> DeadLetterJson.fromJson(r.value()))
        .forEach(d -> deadLetters.merge(DeadLetterClasses.source(d.stage()) + "|" + DeadLetterClasses.reason(d.stage(), d.reason()),
            1L, Long::sum));
    System.out.printf("trigger job metrics: %d triggers, %d alerts, dead letters %s%n", triggers.size(), alerts.size(),
        deadLetters);
  }

  @AfterAll
  static void cancel() throws Exception {
    if (job != null) {
      job.cancel().get();
    }
  }

  static double sum(List<Sample> samples, DriftlineMetric m) {
    return PrometheusMetrics.sum(samples, m.prometheusName(), s -> true);
  }

  static Map<String, Long> byLabels(DriftlineMetric m) {
    Map<String, Long> out = new TreeMap<>();
    for (Sample s : metrics) {
      if (s.name().equals(m.prometheusName()) && s.value() > 0) {
        out.merge(m.labels().stream().map(s::label).collect(Collectors.joining("|")), (long) s.value(), Long::sum);
      }
    }
    return out;
  }

  static Map<String, Long> byModelAndSegment(List<JsonNode> records) {
    Map<String, Long> out = new TreeMap<>();
    records.forEach(r -> out.merge(r.get("model_id").asText() + "|" + r.get("segment").asText(), 1L, Long::sum));
    return out;
  }

  @Test
  void triggersAndAlertsCountedEqualTheirTopics() {
    assertThat(triggers).hasSizeGreaterThanOrEqualTo(2);
    assertThat(alerts).hasSizeGreaterThan(triggers.size());
    assertThat(byLabels(DriftlineMetric.RETRAIN_TRIGGERS)).isEqualTo(byModelAndSegment(triggers));
    assertThat(byLabels(DriftlineMetric.ALERTS)).isEqualTo(byModelAndSegment(alerts));
  }

  @Test
  void deadLettersAndDecodedRecordsEqualWhatWasSent() {
    assertThat(byLabels(DriftlineMetric.DEAD_LETTERS)).isEqualTo(deadLetters)
        .isEqualTo(Map.of("decode:drift-results|invalid_value", 2L)); // "not a drift result: ..." both
    assertThat(PrometheusMetrics.sum(metrics, DriftlineMetric.RECORDS_DECODED.prometheusName(),
        s -> "decode:drift-results".equals(s.label("source")))).isEqualTo(results);
  }

  @Test
  void theTriggerJobsMetricsAreExported() {
    Set<String> exported = metrics.stream().map(Sample::name).collect(Collectors.toCollection(TreeSet::new));
    assertThat(exported).contains(DriftlineMetric.RETRAIN_TRIGGERS.prometheusName(), DriftlineMetric.ALERTS.prometheusName(),
        DriftlineMetric.RECORDS_DECODED.prometheusName(), DriftlineMetric.DEAD_LETTERS.prometheusName(),
        DriftlineMetric.EVENT_TIME_LAG.prometheusName(), DriftlineMetric.ELASTICSEARCH_BULK_RETRIES.prometheusName(),
        DriftlineMetric.ELASTICSEARCH_REQUESTS_IN_FLIGHT.prometheusName());
  }
}
