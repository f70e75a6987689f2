package dev.driftline.runtime.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.events.PredictionDecoder;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadLetterClassesTest {
  static String decodeReason(MonitorSpec spec, String json) {
    return new PredictionDecoder(new ModelRegistry(List.of(spec))).decode(json.getBytes(StandardCharsets.UTF_8)).error();
  }

  @Test
  void classifiesWhatTheDecodersSay() throws Exception {
    MonitorSpec spec = MonitorSpecParser.parse("monitor.yaml",
        Files.readString(Path.of("../examples/credit-default/monitor.yaml")));
    String valid = "{\"model_id\":\"credit-default\",\"prediction_id\":\"p1\",\"ts\":1772438400000,\"score\":0.4,"
        + "\"features\":{\"age\":40,\"income\":50000,\"loan_amount\":1000,\"loan_term\":\"36\",\"credit_utilization\":0.3,"
        + "\"debt_to_income\":0.2,\"num_open_accounts\":3,\"num_late_payments_12m\":0,\"months_employed\":20,"
        + "\"employment_type\":\"salaried\",\"home_ownership\":\"rent\",\"loan_purpose\":\"car\"}}";
    assertThat(decodeReason(spec, valid)).isNull();
    String stage = "decode:predictions";
    assertThat(DeadLetterClasses.reason(stage, decodeReason(spec, "{\"model_id\": "))).isEqualTo("invalid_json");
    assertThat(DeadLetterClasses.reason(stage, decodeReason(spec, "[1]"))).isEqualTo("invalid_json");
    assertThat(DeadLetterClasses.reason(stage, decodeReason(spec, valid.replace("credit-default", "Credit-Default"))))
        .isEqualTo("unknown_model");
    assertThat(DeadLetterClasses.reason(stage, decodeReason(spec, valid.replace("1772438400000", "\"yesterday\""))))
        .isEqualTo("invalid_time");
    assertThat(DeadLetterClasses.reason(stage, decodeReason(spec, valid.replace("\"income\":50000,", ""))))
        .isEqualTo("missing_field");
    assertThat(DeadLetterClasses.reason(stage, decodeReason(spec, valid.replace("\"score\":0.4", "\"score\":\"abc\""))))
        .isEqualTo("invalid_value");
    // A feature value of the wrong type keeps its prediction (read as missing, counted as wrong_type).
    assertThat(decodeReason(spec, valid.replace("\"income\":50000", "\"income\":\"abc\""))).isNull();
    assertThat(DeadLetterClasses.reason(stage, "record too large: 10485760 bytes > limit 1048576 (dead letter keeps the first 4096 bytes)"))
        .isEqualTo("too_large");
    assertThat(DeadLetterClasses.reason(stage, "empty record (no value)")).isEqualTo("empty");
  }

  @Test
  void classifiesTheJobsOwnDeadLettersByStage() {
    assertThat(DeadLetterClasses.reason("join:labels", "prediction_id: no prediction \"p\" within labels.max_delay (PT1H) of this label"))
        .isEqualTo("unmatched");
    assertThat(DeadLetterClasses.reason("join:labels", "prediction_id: duplicate label for prediction \"p\", which is already labelled"))
        .isEqualTo("duplicate");
    assertThat(DeadLetterClasses.reason("join:labels",
        "model \"m\" has labels: none in its monitor spec; label for prediction \"p\" not joined")).isEqualTo("unmatched");
    // a value in the reason that reads like another class does not change it
    assertThat(DeadLetterClasses.reason("dedup:predictions", "prediction_id: duplicate prediction id \"no prediction\""))
        .isEqualTo("duplicate");
    assertThat(DeadLetterClasses.reason("window:predictions", "ts: prediction \"p\" at ... arrived after the watermark")).isEqualTo("late");
    assertThat(DeadLetterClasses.reason("features:cards", "late event: ts 2026-03-02T00:00:00Z is at or behind the watermark"))
        .isEqualTo("late");
    assertThat(DeadLetterClasses.reason("elasticsearch:driftline-drift-2026.03", "id: HTTP 400 mapper_parsing_exception"))
        .isEqualTo("rejected");
    assertThat(DeadLetterClasses.source("elasticsearch:driftline-drift-2026.03")).isEqualTo("elasticsearch");
    assertThat(DeadLetterClasses.source("decode:predictions")).isEqualTo("decode:predictions");
  }
}
