package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.driftline.testing.KafkaExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, end to end on real services: drift is found where it was injected.
 * Kafka is given from outside (the demo's --kafka), so the HTML report can read it afterwards.
 */
@ExtendWith(KafkaExtension.class)
class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void findsTheInjectedDriftTriggersRetrainingAndWritesItsReports() throws Exception {
    String kafka = KafkaExtension.broker().bootstrapServers();
    CliRun run = CliRun.of("demo", "--dir", dir.toString(), "--hours", "2", "--rate", "1", "--kafka", kafka);

    assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
    assertThat(run.out()).contains("credit-default window 08:40 closed: DRIFT in income, loan_purpose")
        .contains("credit-default window 08:30 closed: no drift")
        .contains("RETRAIN TRIGGER").contains("where to look:")
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
}
