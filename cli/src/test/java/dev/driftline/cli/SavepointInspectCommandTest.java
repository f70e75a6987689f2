package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code driftline savepoint inspect} on the committed savepoint fixtures of the three jobs
 * (jobs/&lt;job&gt;/src/test/resources/savepoints/&lt;job&gt;/0.1.0): the numbers each savepoint
 * holds, known from recording it and, for the drift job, recomputed from the part of the fixture's
 * input the first run read.
 */
class SavepointInspectCommandTest {
  static final Path DRIFT = Path.of("../jobs/drift-detection/src/test/resources/savepoints/drift-detection/0.1.0");
  static final Path TRIGGER = Path.of("../jobs/retrain-trigger/src/test/resources/savepoints/retrain-trigger/0.1.0");
  static final Path FEATURES = Path.of("../jobs/feature-pipeline/src/test/resources/savepoints/feature-pipeline/0.1.0");

  @TempDir Path tmp;

  static JsonNode json(CliRun run) throws Exception {
    assertThat(run.exitCode()).as(run.err()).isZero();
    return Json.mapper().readTree(run.out());
  }

  @Test
  void driftSavepointShowsOpenWindowsAndWhatWaitsInTheLabelJoin() throws Exception {
    JsonNode n = json(CliRun.of("savepoint", "inspect", DRIFT.resolve("savepoint").toString(), "--json"));
    assertThat(n.get("job").asText()).isEqualTo("drift-detection");
    // Cut at 00:25 of 10-minute windows: [00:20, 00:30) is the one drift window open (36
    // predictions); every performance window waits for labels (labels.max_delay 3650d).
    assertThat(n.get("drift_windows").toString()).isEqualTo("[{\"model_id\":\"credit-default\",\"segment\":\"__all__\",\"open\":1,"
        + "\"predictions\":36,\"oldest_start\":\"2026-05-04T00:20:00Z\",\"newest_start\":\"2026-05-04T00:20:00Z\"}]");
    assertThat(n.get("performance_windows").toString()).isEqualTo("[{\"model_id\":\"credit-default\",\"segment\":\"__all__\",\"open\":3,"
        + "\"predictions\":180,\"oldest_start\":\"2026-05-04T00:00:00Z\",\"newest_start\":\"2026-05-04T00:20:00Z\"}]");
    assertThat(n.get("predictions_waiting_for_labels").toString())
        .isEqualTo("[{\"model_id\":\"credit-default\",\"count\":94,\"oldest\":\"2026-05-04T00:00:20.356Z\"}]");
    assertThat(n.get("labels_waiting_for_predictions").toString())
        .isEqualTo("[{\"model_id\":\"credit-default\",\"count\":1,\"oldest\":\"2026-05-04T00:24:00Z\"}]");

    // The same from the input the first run read: predictions without their label, labels without their prediction.
    Map<String, Long> predicted = new HashMap<>();
    Map<String, Long> labelled = new HashMap<>();
    for (JsonNode line : firstPart(DRIFT)) {
      JsonNode v = Json.mapper().readTree(line.get("value").asText());
      (line.get("input").asText().equals("predictions") ? predicted : line.get("input").asText().equals("labels") ? labelled
          : new HashMap<String, Long>()).put(v.path("prediction_id").asText(), v.path("ts").asLong());
    }
    assertThat(predicted).hasSize(180);
    Set<String> waiting = predicted.keySet().stream().filter(id -> !labelled.containsKey(id)).collect(Collectors.toSet());
    assertThat(waiting).hasSize(n.get("predictions_waiting_for_labels").get(0).get("count").asInt());
    assertThat(java.time.Instant.ofEpochMilli(waiting.stream().mapToLong(predicted::get).min().orElseThrow()).toString())
        .isEqualTo(n.get("predictions_waiting_for_labels").get(0).get("oldest").asText());
    assertThat(labelled.keySet().stream().filter(id -> !predicted.containsKey(id))).containsExactly("early-label");

    CliRun table = CliRun.of("savepoint", "inspect", DRIFT.resolve("savepoint").toString());
    assertThat(table.exitCode()).isZero();
    assertThat(table.out()).contains("job: drift-detection", "open drift windows", "open performance windows",
        "predictions waiting for labels", "labels waiting for predictions")
        .containsPattern("credit-default +__all__ +1 +36 +2026-05-04T00:20:00Z +2026-05-04T00:20:00Z")
        .containsPattern("credit-default +__all__ +3 +180 +2026-05-04T00:00:00Z +2026-05-04T00:20:00Z")
        .containsPattern("credit-default +94 +2026-05-04T00:00:20.356Z")
        .containsPattern("credit-default +1 +2026-05-04T00:24:00Z");
  }

  @Test
  void triggerSavepointShowsPolicyHistoryDetectorsAndCooldown() throws Exception {
    JsonNode n = json(CliRun.of("savepoint", "inspect", TRIGGER.resolve("savepoint").toString(), "--json",
        "--spec", TRIGGER.resolve("monitor.yaml").toString()));
    assertThat(n.get("job").asText()).isEqualTo("retrain-trigger");
    JsonNode all = n.get("policies").get(0);
    JsonNode early = n.get("policies").get(1);
    assertThat(n.get("policies")).hasSize(2);
    assertThat(all.get("segment").asText()).isEqualTo("__all__");
    assertThat(early.get("segment").asText()).isEqualTo("early");
    for (JsonNode p : List.of(all, early)) {
      assertThat(p.get("model_id").asText()).isEqualTo("m");
      // K-of-N with n = 3: the last three drift and performance windows; one drift window and the
      // four performance updates due at the next hour wait for the watermark.
      assertThat(p.get("drift_windows_in_history").asInt()).isEqualTo(3);
      assertThat(p.get("performance_windows_in_history").asInt()).isEqualTo(3);
      assertThat(p.get("pending_drift_windows").asInt()).isEqualTo(1);
      assertThat(p.get("pending_performance_updates").asInt()).isEqualTo(4);
      assertThat(p.get("detectors").fieldNames()).toIterable().containsExactly("page_hinkley");
    }
    assertThat(all.get("detectors").get("page_hinkley").get("count").asInt()).isEqualTo(12);
    assertThat(early.get("detectors").get("page_hinkley").get("count").asInt()).isEqualTo(14);
    assertThat(all.get("armed").asBoolean()).isTrue();
    assertThat(all.get("last_trigger").isNull()).isTrue();
    // Segment "early" triggered on its window ending 13:00; cooldown 3h.
    assertThat(early.get("armed").asBoolean()).isFalse();
    assertThat(early.get("last_trigger").asText()).isEqualTo("2026-06-01T13:00:00Z");
    assertThat(early.get("cooldown_until").asText()).isEqualTo("2026-06-01T16:00:00Z");

    CliRun table = CliRun.of("savepoint", "inspect", TRIGGER.resolve("savepoint").toString());
    assertThat(table.exitCode()).isZero();
    assertThat(table.out()).contains("job: retrain-trigger")
        .containsPattern("m +__all__ +3 +3 +page_hinkley +yes +- +- +1 +4")
        .containsPattern("m +early +3 +3 +page_hinkley +no +2026-06-01T13:00:00Z +- +1 +4");
  }

  @Test
  void featureSavepointShowsEntitiesPerView() throws Exception {
    JsonNode n = json(CliRun.of("savepoint", "inspect", FEATURES.resolve("savepoint").toString(), "--json",
        "--view", FEATURES.resolve("view.yaml").toString()));
    // 24 cards, each with its rings; 13 events wait for the watermark (out of order within 30 s).
    assertThat(n.toString()).isEqualTo("{\"job\":\"feature-pipeline\",\"views\":[{\"view\":\"card_transactions\",\"entities\":24,"
        + "\"pending_events\":13}]}");
    CliRun unnamed = CliRun.of("savepoint", "inspect", FEATURES.resolve("savepoint").toString());
    assertThat(unnamed.exitCode()).isZero();
    assertThat(unnamed.out()).contains("job: feature-pipeline").containsPattern("uid hash [0-9a-f]{32} +24 +13");
  }

  @Test
  void aPathThatIsNotASavepointOfADriftlineJobIsAOneLineErrorWithExitCode2() throws Exception {
    CliRun directory = CliRun.of("savepoint", "inspect", DRIFT.toString());
    assertThat(directory.exitCode()).isEqualTo(2);
    assertThat(directory.out()).isEmpty();
    assertThat(directory.err().strip()).isEqualTo("driftline: " + DRIFT + ": not a savepoint (no _metadata file in it)");

    Files.writeString(tmp.resolve("_metadata"), "not a savepoint");
    CliRun garbage = CliRun.of("savepoint", "inspect", tmp.toString());
    assertThat(garbage.exitCode()).isEqualTo(2);
    assertThat(garbage.err().strip()).startsWith("driftline: " + tmp + ": not a readable savepoint: ").doesNotContain("\n");

    // A savepoint of some other job: one keyed operator with uid "other/operator".
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    Path foreign = tmp.resolve("foreign");
    SavepointWriter.newSavepoint(env, 128)
        .withOperator(OperatorIdentifier.forUid("other/operator"),
            OperatorTransformation.bootstrapWith(env.fromData(1, 2, 3)).keyBy(i -> i).transform(new Remember()))
        .write(foreign.toUri().toString());
    env.execute("foreign savepoint");
    CliRun other = CliRun.of("savepoint", "inspect", foreign.toString());
    assertThat(other.exitCode()).isEqualTo(2);
    assertThat(other.err().strip()).isEqualTo("driftline: " + foreign + ": not a savepoint of a Driftline job (none of the operator "
        + "uids drift/label-join, trigger/policy, features/sink/dead-letters in it)");
  }

  /** Keeps each number in keyed state. */
  static final class Remember extends KeyedStateBootstrapFunction<Integer, Integer> {
    private transient ValueState<Integer> seen;

    @Override
    public void open(OpenContext context) {
      seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.INT));
    }

    @Override
    public void processElement(Integer value, Context ctx) throws Exception {
      seen.update(value);
    }
  }

  /** The input lines the fixture's first run read. */
  static List<JsonNode> firstPart(Path fixture) throws Exception {
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(fixture.resolve("fixture.properties"))) {
      p.load(r);
    }
    int consumed = Integer.parseInt(p.getProperty("consumed"));
    List<JsonNode> out = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(fixture.resolve("input.jsonl")).subList(0, consumed)) {
      out.add(Json.mapper().readTree(line));
    }
    return out;
  }
}
