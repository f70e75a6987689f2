package dev.driftline.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.drift.DriftTests;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoSpecsTest {
  @Test
  void ticketRoutingIsTheMulticlassExampleOnTwentyMinuteWindows() throws Exception {
    DemoSpecs specs = DemoSpecs.load();
    MonitorSpec tickets = specs.tickets();

    assertThat(tickets.modelId()).isEqualTo("ticket-routing");
    assertThat(tickets.classes()).containsExactly("billing", "technical", "account", "other");
    assertThat(tickets.window().size()).isEqualTo(Duration.ofMinutes(20));
    assertThat(specs.models().all()).extracting(MonitorSpec::modelId)
        .containsExactlyInAnyOrder("credit-default", "churn", "ticket-routing");
  }

  @Test
  void creditDefaultRunsOnTenMinuteWindowsWithEveryCheckPcaAndAShortCooldown() throws Exception {
    MonitorSpec credit = DemoSpecs.load().credit();

    assertThat(credit.window().size()).isEqualTo(Duration.ofMinutes(10));
    assertThat(credit.window().slide()).isEqualTo(Duration.ofMinutes(10));
    assertThat(credit.policy().cooldown()).isEqualTo(Duration.ofHours(2));
    assertThat(credit.dataQuality()).hasSize(DriftTests.qualityChecks().size());
    assertThat(credit.features()).hasSize(12);
    assertThat(credit.pca().enabled()).isTrue();
    assertThat(credit.pca().chunkSize()).isEqualTo(600);
  }

  @Test
  void theEditedSpecHashesAsTheExampleWithOnlyThoseValuesChanged() throws Exception {
    String example = DemoSpecs.resource(DemoSpecs.CREDIT);
    // The same edit made on the text, line by line as the example writes them.
    String byText = example.replace("\n  size: 1h\n", "\n  size: 10m\n")
        .replaceFirst("\n  slide: 1h [^\n]*\n", "\n  slide: 10m\n").replace("cooldown: 24h", "cooldown: 2h")
        .concat("data_quality: all\npca: {chunk_size: 600}\n");
    assertThat(byText).isNotEqualTo(example.concat("data_quality: all\n"));

    MonitorSpec credit = DemoSpecs.load().credit();
    assertThat(credit.specHash()).isEqualTo(MonitorSpecParser.parse("by text", byText).specHash())
        .isNotEqualTo(MonitorSpecParser.parse("example", example).specHash());
  }

  @Test
  void churnAndTheTrainersSpecsAreTheExamplesAsShipped(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    DemoSpecs specs = DemoSpecs.load();
    assertThat(specs.churn().specHash())
        .isEqualTo(MonitorSpecParser.parse("churn", DemoSpecs.resource(DemoSpecs.CHURN)).specHash());
    assertThat(specs.writeForTrainers(dir)).extracting(p -> MonitorSpecParser.load(p).specHash()).containsExactly(
        MonitorSpecParser.parse("credit", DemoSpecs.resource(DemoSpecs.CREDIT)).specHash(), specs.churn().specHash(),
        MonitorSpecParser.parse("tickets", DemoSpecs.resource(DemoSpecs.TICKETS)).specHash());
    assertThat(specs.models().get("credit-default")).isSameAs(specs.credit());
  }
}
