package dev.driftline.core.topics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.features.FeatureView;
import dev.driftline.core.features.FeatureViewParser;
import dev.driftline.core.schema.RecordSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TopicCatalogueTest {
  @Test
  void everySchemaFileIsOneTopicsRecordsAndEveryTopicHasItsSchemaFile() throws IOException {
    List<String> files;
    try (Stream<Path> s = Files.list(Path.of("../schemas"))) {
      files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".schema.json")).sorted().toList();
    }
    List<String> catalogue = Arrays.stream(Topic.values()).map(t -> t.schema().resource().substring("schemas/".length()))
        .sorted().toList();
    assertThat(catalogue).containsExactlyElementsOf(files).doesNotHaveDuplicates();
    assertThat(Arrays.stream(Topic.values()).map(Topic::schema)).containsExactlyInAnyOrder(RecordSchema.values());
    for (RecordSchema s : RecordSchema.values()) {
      assertThat(Topic.of(s).schema()).isEqualTo(s);
    }
  }

  @Test
  void baselinesAndTheFeatureLogAreCompactedEverythingElseDeletedAfterItsRetention() {
    assertThat(Topic.BASELINES.configs()).containsExactly(Map.entry("cleanup.policy", "compact"));
    assertThat(Topic.FEATURES.configs()).containsExactly(Map.entry("cleanup.policy", "compact"),
        Map.entry("min.compaction.lag.ms", "2592000000"));
    assertThat(Topic.PREDICTIONS.configs()).containsExactly(Map.entry("cleanup.policy", "delete"),
        Map.entry("retention.ms", "604800000"));
    assertThat(Topic.LABELLED_PREDICTIONS.configs()).containsEntry("retention.ms", "2592000000");
    assertThat(Arrays.stream(Topic.values()).filter(t -> t.cleanup() == Topic.Cleanup.DELETE))
        .allSatisfy(t -> assertThat(t.retention()).as(t.name()).isNotNull());
  }

  @Test
  void onlyInputsAreCreatedByUsers() {
    assertThat(Arrays.stream(Topic.values()).filter(Topic::userCreated))
        .containsExactly(Topic.PREDICTIONS, Topic.LABELS, Topic.FEATURE_EVENTS);
    assertThat(Arrays.stream(Topic.values()).filter(Topic::userCreated).map(Topic::producer)).containsOnly(Topics.USERS);
  }

  @Test
  void theDefaultsNameEveryTopicOnceAndTheExampleViewsFeatureTopics() throws IOException {
    assertThat(Topics.defaults().stream().map(NamedTopic::name)).containsExactly("predictions", "labels",
        "card-transactions", "baselines", "drift-results", "performance", "labelled-predictions", "retrain-triggers",
        "alerts", "dead-letters", "features.card_transactions");
    FeatureView example = FeatureViewParser.load(Path.of("../examples/feature-views/card-transactions.yaml"));
    assertThat(Topic.FEATURE_EVENTS.defaultName()).isEqualTo(example.topic());
    assertThat(Topic.FEATURES.defaultName()).isEqualTo(example.logTopic());
  }

  @Test
  void viewsReplaceTheExampleFeatureTopics() throws IOException {
    String yaml = Files.readString(Path.of("../examples/feature-views/card-transactions.yaml"))
        .replace("view: card_transactions", "view: logins").replace("topic: card-transactions", "topic: login-events");
    FeatureView logins = FeatureViewParser.parse("logins.yaml", yaml);
    List<NamedTopic> topics = Topics.withViews(List.of(logins));
    assertThat(topics.stream().filter(t -> t.topic() == Topic.FEATURE_EVENTS).map(NamedTopic::name)).containsExactly("login-events");
    assertThat(topics.stream().filter(t -> t.topic() == Topic.FEATURES).map(NamedTopic::name)).containsExactly("features.logins");
    assertThat(topics).hasSize(Topic.values().length);
  }

  @Test
  void theScriptCreatesEveryTopicWithItsConfigs() {
    String script = Topics.script();
    assertThat(script).startsWith("#!/bin/sh\n")
        .contains("\ncreate baselines --config cleanup.policy=compact\n")
        .contains("\ncreate predictions --config cleanup.policy=delete --config retention.ms=604800000\n")
        .contains("\ncreate features.card_transactions --config cleanup.policy=compact --config min.compaction.lag.ms=2592000000\n");
    assertThat(script.lines().filter(l -> l.startsWith("create "))).hasSize(Topic.values().length);
  }

  @Test
  void theTableHasOneRowPerTopic() {
    List<String> rows = Topics.markdownTable().lines().toList();
    assertThat(rows).hasSize(2 + Topic.values().length);
    assertThat(rows).contains("| `baselines` | [baseline/1](../schemas/baseline.v1.schema.json) | trainers (driftline baseline "
        + "build --publish) | no | compact | the latest record per key | model id | " + Topic.BASELINES.description() + " |");
  }

  @Test
  void theDocsTableIsTheCatalogues() throws IOException {
    String doc = Files.readString(Path.of("../docs/topics.md"));
    int begin = doc.indexOf('\n', doc.indexOf("<!-- BEGIN topics table")) + 1;
    int end = doc.indexOf("<!-- END topics table -->");
    assertThat(doc.substring(begin, end)).as("docs/topics.md's table; regenerate it with bin/driftline topics table")
        .isEqualTo(Topics.markdownTable());
  }
}
