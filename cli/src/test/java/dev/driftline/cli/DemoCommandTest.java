package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import dev.driftline.testing.KafkaExtension;
import dev.driftline.testing.ProcessTrees;
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

  @Test
  void findsTheInjectedDriftTriggersRetrainingAndWritesItsReports() throws Exception {
    String kafka = KafkaExtension.broker().bootstrapServers();
    DemoRun run = demoInItsOwnJvm("--dir", dir.toString(), "--hours", "2", "--rate", "1", "--kafka", kafka);

    assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
    assertConsoleTellsTheStoryOnly(run);
    assertThat(run.out()).contains("credit-default window 08:40 closed: DRIFT in income, loan_purpose")
        .contains("credit-default window 08:30 closed: no drift")
        .contains("RETRAIN TRIGGER").contains("where to look:")
        .containsPattern("metrics \\(Prometheus\\) at http://127\\.0\\.0\\.1:\\d+/metrics while the jobs run")
        .containsPattern("credit-default window 08:40 estimated before labels: accuracy 0\\.\\d{3} \\[0\\.\\d{3}, [01]\\.\\d{3}\\], auc 0\\.")
        .containsPattern("churn window 08:40 estimated before labels: accuracy 0\\.\\d{3} \\[0\\.\\d{3}, [01]\\.\\d{3}\\], auc 0\\.");
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("demo-summary.json").toFile());
    JsonNode records = summary.get("records");
    assertThat(records.get("drift-results").asInt()).isGreaterThan(1000);
    assertThat(records.get("performance").asInt()).isGreaterThan(20);
    assertThat(records.get("features.card_transactions").asInt()).isGreaterThan(1000);
    assertThat(records.get("dead-letters").asInt()).isZero();
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
    String html = Files.readString(dir.resolve("report.html"));
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<h2>credit-default</h2>", "<h2>churn</h2>", "<svg", "trg-");

    Path fromTopics = dir.resolve("from-topics.html");
    CliRun report = CliRun.of("report", "--html", fromTopics.toString(), "--kafka", kafka);
    assertThat(report.exitCode()).as(report.err()).isZero();
    assertThat(report.out()).startsWith("wrote " + fromTopics + ": " + records.get("drift-results").asInt() + " drift results");
    assertThat(Files.readString(fromTopics)).contains("<h2>credit-default</h2>", "<h2>churn</h2>", "trg-");
    assertThat(CliRun.of("report", "--html", fromTopics.toString()).exitCode()).isEqualTo(2);
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

  /** {@code driftline demo <args>} in a new JVM with bin/driftline's JVM flags; its exit code, stdout and stderr. */
  private static DemoRun demoInItsOwnJvm(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(launcherJvmFlags());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), DriftlineCli.class.getName(), "demo"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    try {
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("the demo finished within 10 minutes").isTrue();
      return new DemoRun(p.exitValue(), out.get(1, TimeUnit.MINUTES), err.get(1, TimeUnit.MINUTES), Path.of(args[1]));
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
