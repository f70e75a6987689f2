package dev.driftline.cli.demo;

import static dev.driftline.cli.demo.DemoRecordFixtures.drift;
import static dev.driftline.cli.demo.DemoRecordFixtures.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.io.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoSummaryTest {
  private final DemoRecords records = new DemoRecords(new DemoPrinter(line -> { }));

  @Test
  void countsRecordsAndDocumentsListsTriggersAndNamesTheRecordsLeftOut() throws Exception {
    records.accept("drift-results", 0, 0, Json.bytes(drift("credit-default", "income", "ks", "08:40", true)));
    // a window's label drift re-emitted as labels arrive: two records, one document
    records.accept("drift-results", 0, 1, Json.bytes(drift("credit-default", "__all__", "__label__", "label", "chi2", "08:40", false)));
    records.accept("drift-results", 0, 2, Json.bytes(drift("credit-default", "__all__", "__label__", "label", "chi2", "08:40", true)));
    records.accept("drift-results", 0, 3, null);
    records.accept("retrain-triggers", 1, 0, Json.bytes(trigger("trg-1", List.of("psi of income 0.31 above 0.25"))));
    records.accept("dead-letters", 0, 0, "{}".getBytes(StandardCharsets.UTF_8));
    records.finish();

    String json = Json.mapper().writeValueAsString(DemoSummary.of(records, 61.5));

    assertThat(json).isEqualTo("{\"records\":{\"baselines\":0,\"drift-results\":4,\"performance\":0,\"labelled-predictions\":0,"
        + "\"retrain-triggers\":1,\"alerts\":0,\"dead-letters\":1,\"features.card_transactions\":0},"
        + "\"documents\":{\"drift-results\":2},"
        + "\"triggers\":[{\"trigger_id\":\"trg-1\",\"model_id\":\"credit-default\",\"segment\":\"__all__\","
        + "\"window_end\":\"2026-03-02T09:00:00Z\",\"reasons\":[\"psi of income 0.31 above 0.25\"]}],"
        + "\"drifted_windows\":1,\"multiclass_performance\":{},\"unreadable\":[\"drift-results/0@3: no value\"],\"seconds\":61.5}");
  }

  @Test
  void theConsoleNamesTheFirstRecordsLeftOutAndPointsToTheSummaryForTheRest() {
    for (int offset = 0; offset < 4; offset++) {
      records.accept("alerts", 0, offset, null);
    }
    assertThat(DemoSummary.unreadableLine(records.unreadable())).isEqualTo("4 output records not readable as Driftline records,"
        + " left out of the lines above and the report: alerts/0@0: no value; alerts/0@1: no value; alerts/0@2: no value;"
        + " ... (all in demo-summary.json)");
    assertThat(DemoSummary.unreadableLine(records.unreadable().subList(0, 1))).isEqualTo("1 output records not readable as"
        + " Driftline records, left out of the lines above and the report: alerts/0@0: no value");
  }
}
