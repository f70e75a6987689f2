package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftline.cli.dashboards.PanelQueries;
import dev.driftline.core.topics.Topic;
import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.runtime.deadletter.DeadLetterJson;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaTopics;
import dev.driftline.services.KafkaBroker;
import dev.driftline.services.KafkaExtension;
import dev.driftline.services.ProcessTrees;
import dev.driftline.services.ServiceLocations;
import dev.driftline.services.TopicReader;
import dev.driftline.services.TopicSchemas;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, end to end on real services: drift is found where it was injected,
 * and the console tells that story and nothing else. The demo runs in a JVM of its own with the
 * flags {@code bin/driftline} passes, so what it writes to the terminal is what a user sees. Kafka is
 * given from outside (the demo's --kafka), so the HTML report can read it afterwards.
 */
@ExtendWith(KafkaExtension.class)
class DemoCommandTest {
  @TempDir Path dir;

  /** A prediction whose JSON never closes, just under the decoder's 1 MiB limit, padded with BEL, quotes and backslashes. */
  static final int HUGE_PREDICTION_BYTES = 996_102;

  @Test
  void findsTheInjectedDriftTriggersRetrainingAndWritesItsReports() throws Exception {
    String kafka = KafkaExtension.broker().bootstrapServers();
    // Upstream already wrote one malformed prediction whose dead letter, escaped whole, is twice what
    // Kafka accepts: the demo still finishes, with it as a fourth dead letter cut to fit.
    RecordMetadata huge = produceHugeMalformedPrediction(KafkaExtension.broker());
    // The dashboard's panels are asked of the demo's Elasticsearch while the demo keeps it up.
    List<PanelQueries.Answer> panels = new ArrayList<>();
    List<PanelQueries.Answer> psiOnNothing = new ArrayList<>();
    DemoRun run = demoInItsOwnJvm(console -> {
      Matcher es = Pattern.compile("Elasticsearch at (http\\S+)").matcher(console);
      assertThat(es.find()).as(console).isTrue();
      String ndjson = Files.readString(repoRoot().resolve("dashboards/driftline.ndjson"));
      // Event time starts at 08:00 on 2026-03-02; alerts and dead letters carry the wall-clock time they were made.
      Instant from = Instant.parse("2026-03-02T00:00:00Z");
      Instant to = Instant.now().plusSeconds(3600);
      panels.addAll(PanelQueries.ask(es.group(1), PanelQueries.of(ndjson, from, to)));
      psiOnNothing.addAll(PanelQueries.ask(es.group(1),
          PanelQueries.of(ndjson.replace("test : \\\"psi\\\"", "test : \\\"nonexistent\\\""), from, to)));
    }, "--dir", dir.toString(), "--hours", "2", "--rate", "1", "--kafka", kafka);

    assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
    assertConsoleTellsTheStoryOnly(run);
    assertThat(run.out()).contains("credit-default window 08:40 closed: DRIFT in income, loan_purpose")
        .contains("credit-default window 08:30 closed: no drift")
        .containsPattern("credit-default data quality: (.+, )?credit_utilization missing_share(, .+)? failed in window 08:40")
        .doesNotContainPattern("credit-default data quality: .* failed in window 08:[0-3]")
        .contains("RETRAIN TRIGGER").contains("where to look:")
        .containsPattern("metrics \\(Prometheus\\) at http://127\\.0\\.0\\.1:\\d+/metrics while the jobs run")
        .containsPattern("credit-default window 08:40 estimated before labels: accuracy 0\\.\\d{3} \\[0\\.\\d{3}, [01]\\.\\d{3}\\], auc 0\\.")
        .containsPattern("churn window 08:40 estimated before labels: accuracy 0\\.\\d{3} \\[0\\.\\d{3}, [01]\\.\\d{3}\\], auc 0\\.")
        .containsPattern("ticket-routing window 08:40 estimated before labels: accuracy 0\\.\\d{3} \\[0\\.\\d{3}, [01]\\.\\d{3}\\], "
            + "macro_f1 0\\.\\d{3} \\[0\\.\\d{3}, [01]\\.\\d{3}\\]");
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("demo-summary.json").toFile());
    JsonNode records = summary.get("records");
    assertCorrelationBreakIsFoundByPcaOnly(run, kafka, records.get("drift-results").asInt());
    assertThat(records.get("drift-results").asInt()).isGreaterThan(1000);
    assertThat(records.get("performance").asInt()).isGreaterThan(20);
    assertThat(records.get("features.card_transactions").asInt()).isGreaterThan(1000);
    assertThat(records.get("dead-letters").asInt()).as("the demo's 3 malformed records and the huge one").isEqualTo(4);
    assertHugePredictionIsADeadLetterCutToFit(kafka, huge);
    assertThat(records.get("baselines").asInt()).as(run.out()).isPositive();
    List<String> creditReasons = new ArrayList<>();
    List<String> churnReasons = new ArrayList<>();
    for (JsonNode t : summary.get("triggers")) {
      List<String> into = t.get("model_id").asText().equals("credit-default") ? creditReasons : churnReasons;
      t.get("reasons").forEach(r -> into.add(r.asText()));
      assertThat(t.get("window_end").asText()).as("no trigger before the drift starts at 08:40")
          .isGreaterThan("2026-03-02T08:40:00Z");
    }
    assertThat(creditReasons).anyMatch(r -> r.contains("income"));
    assertThat(churnReasons).anyMatch(r -> r.startsWith("auc below"));
    assertTicketRoutingsMulticlassPerformance(run, summary);
    String html = Files.readString(dir.resolve("report.html"));
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<h2>credit-default</h2>", "<h2>churn</h2>", "<svg", "trg-");
    assertThat(html).contains("<h2>ticket-routing</h2>", "macro_f1");

    Path fromTopics = dir.resolve("from-topics.html");
    CliRun report = CliRun.of("report", "--html", fromTopics.toString(), "--kafka", kafka);
    assertThat(report.exitCode()).as(report.err()).isZero();
    assertThat(report.out()).startsWith("wrote " + fromTopics + ": " + records.get("drift-results").asInt() + " drift results");
    assertThat(Files.readString(fromTopics)).contains("<h2>credit-default</h2>", "<h2>churn</h2>", "trg-");
    assertThat(CliRun.of("report", "--html", fromTopics.toString()).exitCode()).isEqualTo(2);

    // The demo created every topic as the catalogue says; a baselines topic made non-compacted is named.
    CliRun check = CliRun.of("topics", "check", "--kafka", kafka);
    assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
    assertThat(check.out()).isEmpty();
    KafkaExtension.broker().alterTopicConfig("baselines", "cleanup.policy", "delete");
    CliRun differs = CliRun.of("topics", "check", "--kafka", kafka);
    assertThat(differs.exitCode()).isEqualTo(1);
    assertThat(differs.out()).isEqualTo("baselines: cleanup.policy is delete, expected compact" + System.lineSeparator());

    // Every Lens chart and the saved search would draw something on the demo's indices ...
    assertThat(panels).extracting(PanelQueries.Answer::panel).hasSize(9);
    assertThat(panels).allSatisfy(a -> assertThat(a.empty()).as(a.panel()).isEmpty());
    assertThat(panels).allSatisfy(a -> assertThat(a.hits()).as(a.panel()).isPositive());
    // ... and a chart whose query matches nothing is reported empty, on the same data.
    assertThat(psiOnNothing).filteredOn(a -> !a.empty().isEmpty()).singleElement().satisfies(a -> {
      assertThat(a.panel()).isEqualTo("lens/driftline-psi");
      assertThat(a.hits()).isZero();
      assertThat(a.empty()).first().asString()
          .isEqualTo("lens/driftline-psi (driftline-drift-*, test : \"nonexistent\" and segment : \"__all__\"): no documents");
    });
    System.out.println("dashboard panels on the demo's indices: " + panels.stream().map(a -> a.panel() + "=" + a.hits()).toList());

    assertEveryRecordMatchesItsSchema(kafka, records);
  }

  /**
   * The third model, multiclass ticket-routing (half the rate: 600 predictions per 20-minute window):
   * each window's realized performance, in the summary and on the console; calibrated scores before
   * its labels decouple at 08:40, labels 90% independent of the scores after, and a trigger on macro F1.
   */
  private static void assertTicketRoutingsMulticlassPerformance(DemoRun run, JsonNode summary) throws IOException {
    JsonNode windows = summary.get("multiclass_performance").get("ticket-routing");
    assertThat(windows).as(summary.toString()).hasSize(6);
    List<String> starts = new ArrayList<>();
    windows.forEach(w -> starts.add(w.get("window_start").asText()));
    assertThat(starts).containsExactly("2026-03-02T08:00:00Z", "2026-03-02T08:20:00Z", "2026-03-02T08:40:00Z",
        "2026-03-02T09:00:00Z", "2026-03-02T09:20:00Z", "2026-03-02T09:40:00Z");
    for (JsonNode w : windows) {
      // About 600 predictions, 2% never labelled; the last window's labels come up to an hour later, all replayed.
      assertThat(w.get("labelled").asInt()).as(w.toString()).isBetween(520, 680);
      assertThat(w.get("class_recall").size()).as(w.toString()).isEqualTo(4);
      assertThat(w.get("log_loss").asDouble()).as(w.toString()).isPositive();
    }
    for (int i = 0; i < 2; i++) {
      assertThat(windows.get(i).get("macro_f1").asDouble()).as(windows.get(i).toString()).isBetween(0.68, 0.90);
      assertThat(windows.get(i).get("accuracy").asDouble()).as(windows.get(i).toString()).isBetween(0.72, 0.90);
      assertThat(windows.get(i).get("macro_auc").asDouble()).as(windows.get(i).toString()).isGreaterThan(0.85);
    }
    for (int i = 2; i < 6; i++) {
      assertThat(windows.get(i).get("macro_f1").asDouble()).as(windows.get(i).toString()).isLessThan(0.45);
      assertThat(windows.get(i).get("accuracy").asDouble()).as(windows.get(i).toString()).isLessThan(0.50);
    }
    assertThat(run.out()).containsPattern("ticket-routing window 08:00 on \\d+ labels: macro_f1 0\\.[6-9]\\d{2}, accuracy 0\\.\\d{3}, macro_auc 0\\.\\d{3}")
        .containsPattern("ticket-routing window 09:40 on \\d+ labels: macro_f1 0\\.[0-4]\\d{2}, ");
    List<String> reasons = new ArrayList<>();
    summary.get("triggers").forEach(t -> {
      if (t.get("model_id").asText().equals("ticket-routing")) {
        t.get("reasons").forEach(r -> reasons.add(r.asText()));
      }
    });
    assertThat(reasons).as(summary.get("triggers").toString()).anyMatch(r -> r.startsWith("macro_f1 below 0.7000"));
  }

  /**
   * age and months_employed stop moving together at 08:40, each keeping its distribution: the
   * whole model's pca_reconstruction fires in every window from then on and in none before, while
   * no per-feature test of either feature does.
   */
  private static void assertCorrelationBreakIsFoundByPcaOnly(DemoRun run, String kafka, int driftResults) throws IOException {
    assertThat(run.out()).contains("credit-default multivariate drift: pca_reconstruction fired in window 08:40 (")
        .doesNotContainPattern("multivariate drift: pca_reconstruction fired in window 08:[0-3]");
    Map<String, Boolean> pcaByWindow = new java.util.TreeMap<>();
    List<String> pairFlagged = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(kafka, "drift-results", driftResults)) {
      JsonNode d = json.readTree(r.value());
      if (!d.path("model_id").asText().equals("credit-default") || !d.path("segment").asText().equals("__all__")) {
        continue;
      }
      String window = d.path("window_start").asText().substring(11, 16);
      if (d.path("test").asText().equals("pca_reconstruction")) {
        assertThat(pcaByWindow.put(window, d.path("drift").asBoolean())).as("one pca result per window").isNull();
      } else if (d.path("drift").asBoolean() && List.of("age", "months_employed").contains(d.path("feature").asText())) {
        pairFlagged.add(d.path("feature").asText() + " " + d.path("test").asText() + " " + window);
      }
    }
    assertThat(pcaByWindow).as("pca_reconstruction by window").hasSize(12).allSatisfy((window, fired) ->
        assertThat(fired).as(window).isEqualTo(window.compareTo("08:40") >= 0));
    assertThat(pairFlagged).as("per-feature tests flagging age or months_employed").isEmpty();
  }

  private static RecordMetadata produceHugeMalformedPrediction(KafkaBroker broker) throws Exception {
    // Created as the catalogue says (the demo's `topics check` below compares every topic with it).
    KafkaTopics.create(KafkaConfig.of(broker.bootstrapServers()), List.of(Topic.PREDICTIONS.byDefault()), 2, 1);
    String head = "{\"model_id\":\"credit-default\",\"prediction_id\":\"p-huge\",\"ts\":1772438400000,\"features\":{\"note\":\"";
    StringBuilder value = new StringBuilder(head);
    String fill = "\u0007\"\\\\u0007";
    while (value.length() < HUGE_PREDICTION_BYTES) {
      value.append(fill, 0, Math.min(fill.length(), HUGE_PREDICTION_BYTES - value.length()));
    }
    try (KafkaProducer<byte[], byte[]> producer = broker.bytesProducer(1 << 20)) {
      return producer.send(new ProducerRecord<>("predictions", "credit-default".getBytes(StandardCharsets.UTF_8),
          value.toString().getBytes(StandardCharsets.UTF_8))).get();
    }
  }

  /** Its dead letter names where it is, keeps its length and as much of it as the topic takes. */
  private static void assertHugePredictionIsADeadLetterCutToFit(String kafka, RecordMetadata huge) {
    List<ConsumerRecord<byte[], byte[]>> deadLetters = TopicReader.readAll(kafka, "dead-letters", 4);
    ConsumerRecord<byte[], byte[]> record = deadLetters.stream()
        .filter(r -> DeadLetterJson.fromJson(r.value()).offset() == huge.offset()
            && "predictions".equals(DeadLetterJson.fromJson(r.value()).topic())
            && DeadLetterJson.fromJson(r.value()).partition() == huge.partition())
        .findFirst().orElseThrow(() -> new AssertionError("no dead letter of predictions/" + huge.partition() + "@" + huge.offset()));
    DeadLetter d = DeadLetterJson.fromJson(record.value());
    assertThat(record.value().length).isLessThanOrEqualTo(1_048_576 - 1024);
    assertThat(d.stage()).isEqualTo("decode:predictions");
    assertThat(d.reason()).startsWith("invalid JSON: ");
    assertThat(d.valueLength()).isEqualTo(HUGE_PREDICTION_BYTES);
    assertThat(d.value().length).isGreaterThan(500_000).isLessThan(HUGE_PREDICTION_BYTES);
    assertThat(new String(d.value(), StandardCharsets.UTF_8)).startsWith("{\"model_id\":\"credit-default\",\"prediction_id\":\"p-huge\"");
  }

  private static Path repoRoot() {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(root.resolve("dashboards"))) {
      root = root.getParent();
    }
    return root;
  }

  /**
   * Every record of every topic the demo wrote carries the header naming its schema, and matches
   * that schema ({@link TopicReader} checks each record it reads with {@link TopicSchemas}).
   */
  private static void assertEveryRecordMatchesItsSchema(String kafka, JsonNode counts) {
    Map<String, String> schemaOf = new LinkedHashMap<>();
    schemaOf.put("predictions", "prediction/1");
    schemaOf.put("labels", "label/1");
    schemaOf.put("card-transactions", "feature-event/1");
    schemaOf.put("baselines", "baseline/1");
    schemaOf.put("drift-results", "drift-result/1");
    schemaOf.put("performance", "performance/1");
    schemaOf.put("labelled-predictions", "labelled-prediction/1");
    schemaOf.put("retrain-triggers", "retrain-trigger/1");
    schemaOf.put("alerts", "alert/1");
    schemaOf.put("features.card_transactions", "feature-record/1");
    schemaOf.put("dead-letters", "dead-letter/1");
    Map<String, Long> before = TopicSchemas.validated();
    for (Map.Entry<String, String> t : schemaOf.entrySet()) {
      int expected = counts.path(t.getKey()).asInt(1);
      List<ConsumerRecord<byte[], byte[]>> read = t.getKey().equals("predictions") || t.getKey().equals("labels")
          ? withoutTheMalformed(TopicReader.readAllUnchecked(kafka, t.getKey(), expected), t.getKey().equals("predictions") ? 3 : 1)
          : TopicReader.readAll(kafka, t.getKey(), expected);
      assertThat(read).as(t.getKey()).hasSizeGreaterThanOrEqualTo(Math.max(expected, 1));
      assertThat(read).as(t.getKey() + ": the header on every record")
          .allSatisfy(r -> assertThat(TopicSchemas.header(r)).isEqualTo(t.getValue()));
      long validated = TopicSchemas.validated().getOrDefault(t.getValue(), 0L) - before.getOrDefault(t.getValue(), 0L);
      assertThat(validated).as(t.getKey() + " records validated against " + t.getValue()).isEqualTo(read.size());
    }
  }

  /**
   * The demo's inputs but its malformed records, which it sends without the schema header as a
   * foreign producer would (whether the schema refuses them depends on the spec: a label of 7 or a
   * score of "n/a" is well-formed JSON of a valid shape, refused by the job's decoder): exactly
   * {@code malformed} records have no header; every other one is checked against its schema.
   */
  private static List<ConsumerRecord<byte[], byte[]>> withoutTheMalformed(List<ConsumerRecord<byte[], byte[]>> read,
      int malformed) {
    assertThat(read.stream().filter(r -> TopicSchemas.header(r) == null)).as("records without the schema header")
        .hasSize(malformed)
        .allSatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
            .matches("(?s).*(\"prediction_id\"|\"score\":\"n/a\".*|\"label\":7}|\"prediction_id\":\"p-huge\".*)"));
    List<ConsumerRecord<byte[], byte[]>> ours = read.stream().filter(r -> TopicSchemas.header(r) != null).toList();
    ours.forEach(TopicSchemas::check);
    return ours;
  }

  /** Lines of a log layout or of a stack trace: a library talking, not the demo. */
  static final List<Pattern> FRAMEWORK_LINES = List.of(
      Pattern.compile("^\\S+ \\S+ +(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\\b"),        // date time LEVEL (DemoLogs.LAYOUT, log4j's default)
      Pattern.compile("^\\d{2}:\\d{2}:\\d{2}[.,]\\d{3} +(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)\\b"), // the CLI's usual layout
      Pattern.compile("^(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\\b"),
      Pattern.compile("^\\s+at \\S"),
      Pattern.compile("^Caused by: "),
      Pattern.compile("^\\s*\\.\\.\\. \\d+ more"),
      Pattern.compile("[A-Za-z]+(Exception|Error)(: |$)"),
      Pattern.compile("^(SLF4J|log4j|ERROR StatusLogger)"),
      Pattern.compile("\\b(org\\.apache|co\\.elastic|org\\.elasticsearch)\\.[a-z]+\\."));

  private static void assertConsoleTellsTheStoryOnly(DemoRun run) throws IOException {
    List<String> console = Stream.concat(run.out().lines(), run.err().lines()).toList();
    for (String line : console) {
      for (Pattern p : FRAMEWORK_LINES) {
        assertThat(p.matcher(line).find()).as("a console line that is not the demo's (%s): %s", p, line).isFalse();
      }
    }
    assertThat(run.err().lines()).as("stderr has only Driftline's own one-line warnings")
        .allMatch(l -> l.startsWith("driftline: warning: ") || l.startsWith("driftline: error: "));
    assertThat(console.size()).as(run.out()).isLessThan(250);
    // not a terminal: progress is a plain line at most every 10 s, not one per poll
    long progress = console.stream().filter(l -> l.matches("\\[ *[0-9.]+s\\]   \\d+ drift results, \\d+ performance updates, .*")).count();
    assertThat(progress).as(run.out()).isBetween(1L, 15L);

    Path logs = Path.of(run.out().lines().filter(l -> l.contains("logs of Flink, Kafka and Elasticsearch go to "))
        .findFirst().orElseThrow().replaceFirst(".* go to ", ""));
    assertThat(logs).isEqualTo(Path.of("").toAbsolutePath().resolve(run.dir()).resolve("logs").normalize());
    assertThat(run.out()).contains("  logs        " + logs.resolve("driftline-demo.log") + "  (Flink, the Kafka and Elasticsearch clients)");
    String log = Files.readString(logs.resolve("driftline-demo.log"));
    assertThat(log).containsPattern("(?m)^\\S+ \\S+ INFO  \\[[^]]+\\] org\\.apache\\.flink\\.runtime\\.minicluster\\.MiniCluster - ")
        .contains("driftline demo: drift-detection + feature-pipeline", "driftline demo: retrain-trigger");
    // The sources no longer mirror every Kafka consumer metric under its bare name (a page of collisions per reader).
    Matcher collisions = Pattern.compile("Name collision: .*KafkaConsumer\\]").matcher(log);
    assertThat(collisions.find()).as("a Kafka consumer metric collision in " + logs).isFalse();
    try (Stream<Path> files = Files.list(logs)) {
      Path node = files.filter(f -> f.getFileName().toString().matches("elasticsearch-\\d+\\.log")).findFirst().orElseThrow();
      assertThat(Files.readString(node)).contains("started");
      assertThat(run.out()).contains("              " + node + "  (the Elasticsearch node)");
    }
  }

  /** What runs while the demo's services are still up, given its console so far. */
  interface WhileUp {
    void run(String console) throws Exception;
  }

  /**
   * {@code driftline demo <args>} in a new JVM with bin/driftline's JVM flags; its exit code, stdout
   * and stderr. {@code whileUp} runs when the demo is done and holds its services (its hidden
   * {@code --keep-running-until}); a failure in it fails the test once the demo has exited.
   */
  private static DemoRun demoInItsOwnJvm(WhileUp whileUp, String... args) throws Exception {
    Path release = Path.of(args[1]).resolve("release-services");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(launcherJvmFlags());
    // The demo's JVM and the broker it starts on the client compiler, as the suite's own processes.
    command.addAll(ServiceLocations.quickStart());
    command.add("-D" + ServiceLocations.QUICK_WORKERS + "=true");
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), DriftlineCli.class.getName(), "demo"));
    command.addAll(List.of(args));
    command.addAll(List.of("--keep-running-until", release.toString()));
    Process p = new ProcessBuilder(command).start();
    java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
    try {
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
        StringBuilder console = new StringBuilder();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            console.append(line).append('\n');
            if (line.startsWith("services stay up until ")) {
              try {
                whileUp.run(console.toString());
              } catch (Throwable t) {
                failed.set(t);
              } finally {
                Files.writeString(release, "");
              }
            }
          }
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        return console.toString();
      });
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("the demo finished within 10 minutes").isTrue();
      DemoRun run = new DemoRun(p.exitValue(), out.get(1, TimeUnit.MINUTES), err.get(1, TimeUnit.MINUTES), Path.of(args[1]));
      if (failed.get() != null) {
        throw new AssertionError("while the demo's services were up: " + failed.get().getMessage(), failed.get());
      }
      assertThat(run.out()).as("the demo held its services for the checks").contains("services stay up until " + release);
      return run;
    } finally {
      ProcessTrees.destroy(p);
    }
  }

  /** The --add-opens flags bin/driftline starts the CLI with (Flink on Java 17 needs them). */
  private static List<String> launcherJvmFlags() throws IOException {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.isRegularFile(root.resolve("bin/driftline"))) {
      root = root.getParent();
    }
    Matcher m = Pattern.compile("--add-opens=[^\\s\"]+").matcher(Files.readString(root.resolve("bin/driftline")));
    List<String> flags = new ArrayList<>();
    while (m.find()) {
      flags.add(m.group());
    }
    assertThat(flags).hasSizeGreaterThan(5);
    return flags;
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** One demo run in its own JVM. */
  record DemoRun(int exitCode, String out, String err, Path dir) {}
}
