package dev.driftline.cli.demo;

import static dev.driftline.cli.demo.DemoRecordFixtures.drift;
import static dev.driftline.cli.demo.DemoRecordFixtures.profile;
import static dev.driftline.cli.demo.DemoRecordFixtures.realized;
import static dev.driftline.cli.demo.DemoRecordFixtures.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.cli.html.ReportData;
import dev.driftline.core.io.Json;
import dev.driftline.core.results.DriftResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoRecordsTest {
  private final List<String> lines = new ArrayList<>();
  private final DemoRecords records = new DemoRecords(new DemoPrinter(lines::add));

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsTheOutputsAsTheCoresRecordsKeepsThemInOrderAndTellsThem() {
    DriftResult first = drift("credit-default", "income", "ks", "08:30", false);
    DriftResult second = drift("credit-default", "income", "ks", "08:40", true);
    records.accept("drift-results", 0, 0, Json.bytes(first));
    records.accept("drift-results", 0, 1, Json.bytes(second));
    records.accept("performance", 1, 0, Json.bytes(realized("churn", "08:40")));
    records.accept("retrain-triggers", 0, 0, Json.bytes(trigger("trg-1", List.of("psi of income 0.31 above 0.25"))));
    records.accept("baselines", 0, 3, Json.bytes(profile("credit-default-20261207T180000")));
    records.accept("labelled-predictions", 0, 0, utf8("not read, only counted"));
    records.accept("labelled-predictions", 1, 0, utf8("{}"));

    assertThat(records.drift()).containsExactly(first, second);
    assertThat(records.triggers()).extracting(t -> t.triggerId()).containsExactly("trg-1");
    ReportData report = records.report();
    assertThat(report.performance()).extracting(p -> p.accuracy()).containsExactly(0.8);
    assertThat(report.unreadable()).isZero();
    assertThat(records.unreadable()).isEmpty();
    assertThat(records.count("drift-results")).isEqualTo(2);
    assertThat(records.count("labelled-predictions")).isEqualTo(2);
    assertThat(records.count("alerts")).isZero();
    assertThat(lines).containsExactly(
        "  credit-default window 08:30 closed: no drift",
        "  RETRAIN TRIGGER trg-1 credit-default [__all__]: psi of income 0.31 above 0.25",
        "  new baseline published: credit-default-20261207T180000");
    records.finish();
    assertThat(lines).last().isEqualTo("  credit-default window 08:40 closed: DRIFT in income");
    assertThat(records.driftedWindows()).isEqualTo(1);
  }

  @Test
  void countsAndNamesEveryRecordItCannotRead() {
    ObjectNode noModel = (ObjectNode) Json.mapper().valueToTree(drift("credit-default", "income", "ks", "08:30", true));
    noModel.remove("model_id");
    records.accept("drift-results", 1, 5, utf8("{\"model_id\":\"credit-default\",\"segment\""));
    records.accept("drift-results", 1, 6, Json.bytes(noModel));
    records.accept("performance", 0, 2, utf8("[1]"));
    records.accept("alerts", 0, 0, null);
    records.accept("baselines", 1, 9, utf8("{\"format\":\"driftline-profile/0\"}"));
    records.accept("drift-results", 1, 7, Json.bytes(drift("credit-default", "income", "ks", "08:30", true)));

    assertThat(records.unreadable()).extracting(DemoRecords.Unreadable::toString).containsExactly(
        "drift-results/1@5: invalid JSON: Unexpected end-of-input within/between Object entries at segment (line 1, column 39)",
        "drift-results/1@6: not a DriftResult: no model_id",
        "performance/0@2: not a PerformanceResult: Cannot deserialize value of type"
            + " `dev.driftline.core.results.PerformanceResult` from Array value (token `JsonToken.START_ARRAY`)",
        "alerts/0@0: no value",
        "baselines/1@9: not a Driftline profile: expected format driftline-profile/1, got driftline-profile/0");
    assertThat(records.count("drift-results")).isEqualTo(3);
    assertThat(records.drift()).hasSize(1);
    // the report counts those of its own topics, not the baseline
    assertThat(records.report().unreadable()).isEqualTo(4);
    assertThat(lines).isEmpty();
  }
}
