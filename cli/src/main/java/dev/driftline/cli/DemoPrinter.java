package dev.driftline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.connectors.kafka.KafkaConfig;
import dev.driftline.core.drift.DriftTests;
import dev.driftline.core.io.Json;
import dev.driftline.core.topics.Topic;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Follows the output topics as a read_committed consumer and prints what matters as it arrives. */
final class DemoPrinter {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final DemoConsole console;
  /** Topics whose records the summary and the report read; the others are only counted. */
  private static final java.util.Set<String> KEPT = java.util.Set.of(Topic.DRIFT_RESULTS.defaultName(),
      Topic.PERFORMANCE.defaultName(), Topic.RETRAIN_TRIGGERS.defaultName(), Topic.ALERTS.defaultName(), Topic.BASELINES.defaultName());
  private final Map<String, List<JsonNode>> records = new ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> counts = new ConcurrentHashMap<>();
  private final Map<String, TreeSet<String>> drifted = new TreeMap<>();
  /** Per model, the window whose results are still arriving, and its drifted features so far. */
  private final Map<String, Map.Entry<String, TreeSet<String>>> open = new TreeMap<>();
  /** Per model, the failed data-quality checks ("feature check") of its window in {@link #open}. */
  private final Map<String, TreeSet<String>> openFailedChecks = new TreeMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  /** Set by {@link #drain}: counted down by the loop once it has read every output to its committed end. */
  private volatile CountDownLatch drainRequest;
  private Map<TopicPartition, Long> drainTarget;
  private Thread thread;

  DemoPrinter(KafkaConfig kafka, DemoConsole console) {
    Properties p = kafka.clientProperties();
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "driftline-demo-printer");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    this.consumer = new KafkaConsumer<>(p);
    this.console = console;
  }

  void start() {
    consumer.subscribe(DemoCommand.OUTPUTS);
    thread = new Thread(this::loop, "driftline-demo-printer");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running.get()) {
      var batch = consumer.poll(Duration.ofMillis(300));
      for (ConsumerRecord<byte[], byte[]> r : batch) {
        counts.computeIfAbsent(r.topic(), k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
        if (!KEPT.contains(r.topic())) {
          continue; // labelled predictions and feature records are many: counting them is enough
        }
        JsonNode n;
        try {
          n = Json.mapper().readTree(r.value());
        } catch (IOException e) {
          continue;
        }
        records.computeIfAbsent(r.topic(), k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(n);
        switch (r.topic()) {
          case "drift-results" -> {
            // Label drift comes as labels arrive, after its window's features: not part of "window closed".
            if (n.path("segment").asText().equals("__all__") && !n.path("feature_type").asText().equals("label")) {
              String model = n.path("model_id").asText();
              String window = n.path("window_start").asText();
              var current = open.get(model);
              if (current == null || !current.getKey().equals(window)) {
                // A model's results arrive in window order (one partition per model): the earlier window is complete.
                if (current != null) {
                  printWindow(model, current);
                }
                current = Map.entry(window, new TreeSet<>());
                open.put(model, current);
              }
              TreeSet<String> set = current.getValue();
              // A failed check is not drift: named on its own line, not counted as a drifted window.
              if (n.path("drift").asBoolean() && DriftTests.isQualityCheck(n.path("test").asText())) {
                openFailedChecks.computeIfAbsent(model, k -> new TreeSet<>())
                    .add(n.path("feature").asText() + " " + n.path("test").asText());
              } else if (n.path("drift").asBoolean()) {
                set.add(n.path("feature").asText());
                synchronized (drifted) {
                  drifted.computeIfAbsent(n.path("model_id").asText(), k -> new TreeSet<>()).add(n.path("window_start").asText());
                }
              }
            }
          }
          case "alerts" -> {
            if (n.path("severity").asText().equals("warning")) {
              print("  alert (warning) " + n.path("message").asText());
            }
          }
          case "retrain-triggers" -> print("  RETRAIN TRIGGER " + n.path("trigger_id").asText() + " " + n.path("model_id").asText()
              + " [" + n.path("segment").asText() + "]: " + String.join("; ", reasons(n)));
          case "baselines" -> print("  new baseline published: " + n.path("profile_id").asText());
          case "performance" -> {
            if (n.path("estimated").asBoolean() && n.path("segment").asText().equals("__all__")) {
              JsonNode e = n.path("estimate");
              print(String.format(Locale.ROOT, "  %s window %s estimated before labels: accuracy %s, auc %s",
                  n.path("model_id").asText(), n.path("window_start").asText().substring(11, 16),
                  interval(e.path("accuracy")), interval(e.path("auc"))));
            }
          }
          default -> { }
        }
      }
      checkDrain();
      if (!batch.isEmpty()) {
        console.status(String.format(Locale.ROOT, "  %d drift results, %d performance updates, %d feature records, %d labelled predictions",
            count("drift-results"), count("performance"), count("features.card_transactions"), count("labelled-predictions")));
      }
    }
    open.forEach(this::printWindow);
    consumer.close();
  }

  private void printWindow(String model, Map.Entry<String, TreeSet<String>> window) {
    print("  " + model + " window " + window.getKey().substring(11, 16) + " closed: "
        + (window.getValue().isEmpty() ? "no drift" : "DRIFT in " + String.join(", ", window.getValue())));
    TreeSet<String> failed = openFailedChecks.remove(model);
    if (failed != null) {
      print("  " + model + " data quality: " + String.join(", ", failed) + " failed in window " + window.getKey().substring(11, 16));
    }
  }

  private static String interval(JsonNode m) {
    return m.isMissingNode() ? "-" : String.format(Locale.ROOT, "%.3f [%.3f, %.3f]",
        m.path("value").asDouble(), m.path("lower").asDouble(), m.path("upper").asDouble());
  }

  private static List<String> reasons(JsonNode t) {
    List<String> out = new ArrayList<>();
    t.path("reasons").forEach(r -> out.add(r.asText()));
    return out;
  }

  private void print(String line) {
    console.line(line);
  }

  /**
   * Waits until the printer has read every output topic up to its last committed record as of now
   * (the jobs before it have finished and committed, so that is everything they wrote); gives up
   * after a minute.
   */
  void drain() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    drainRequest = done;
    done.await(60, TimeUnit.SECONDS);
    drainRequest = null;
  }

  /** On the loop's thread (the consumer is not thread-safe): whether a drain asked for is complete. */
  private void checkDrain() {
    CountDownLatch request = drainRequest;
    if (request == null) {
      drainTarget = null;
      return;
    }
    if (drainTarget == null) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : DemoCommand.OUTPUTS) {
        consumer.partitionsFor(topic).forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
      }
      // read_committed: the end offsets are the last stable ones, after the last committed transaction
      drainTarget = consumer.endOffsets(partitions);
    }
    var assigned = consumer.assignment();
    for (Map.Entry<TopicPartition, Long> end : drainTarget.entrySet()) {
      if (end.getValue() > 0 && (!assigned.contains(end.getKey()) || consumer.position(end.getKey()) < end.getValue())) {
        return;
      }
    }
    drainTarget = null;
    request.countDown();
  }

  void stop() throws InterruptedException {
    running.set(false);
    thread.join(10_000);
  }

  int count(String topic) {
    var n = counts.get(topic);
    return n == null ? 0 : n.get();
  }

  List<JsonNode> records(String topic) {
    return records.getOrDefault(topic, List.of());
  }

  int driftedWindows() {
    synchronized (drifted) {
      return drifted.values().stream().mapToInt(TreeSet::size).sum();
    }
  }
}
