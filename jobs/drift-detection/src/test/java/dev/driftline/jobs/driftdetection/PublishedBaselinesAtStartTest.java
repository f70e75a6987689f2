package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.baseline.Baseline;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.baseline.BaselineFiles;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.io.Json;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.jobs.driftdetection.operators.BaselineDecoder;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.services.KafkaExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job starts with the baselines the topic holds when it is submitted, so its first windows do
 * not depend on how soon the baselines source reads the topic.
 */
@ExtendWith(KafkaExtension.class)
class PublishedBaselinesAtStartTest {
  static final Instant START = Instant.parse("2026-07-06T00:00:00Z");
  @TempDir Path dir;

  @Test
  void theNewestUsableProfileOfEachModelOnTheTopicWhateverItsOrder() throws Exception {
    MonitorSpec spec = MonitorSpecParser.load(Path.of("../../examples/credit-default/monitor.yaml"));
    ModelRegistry models = new ModelRegistry(List.of(spec));
    BaselineFile older = TrainingProfiles.build(spec, START.minus(Duration.ofDays(2)), Duration.ofHours(1), 2,
        START.minus(Duration.ofDays(1)), dir);
    BaselineFile newer = TrainingProfiles.build(spec, START.minus(Duration.ofDays(1)), Duration.ofHours(1), 3,
        START.minus(Duration.ofHours(1)), dir);
    BaselineFiles.write(older, dir.resolve("older.json"));
    BaselineFiles.write(newer, dir.resolve("newer.json"));
    var broker = KafkaExtension.broker();
    broker.createCompactedTopic("pb-baselines", 2);
    try (KafkaProducer<String, String> producer = broker.stringProducer()) {
      // The newer profile first, then the older one under another key, an unusable one and one of an unknown model.
      producer.send(new ProducerRecord<>("pb-baselines", 0, spec.modelId(), Files.readString(dir.resolve("newer.json"))));
      producer.send(new ProducerRecord<>("pb-baselines", 1, spec.modelId() + "-old", Files.readString(dir.resolve("older.json"))));
      producer.send(new ProducerRecord<>("pb-baselines", 1, "x", "{\"not\": \"a profile\"}"));
      ObjectNode other = (ObjectNode) Json.mapper().readTree(dir.resolve("older.json").toFile());
      other.put("model_id", "other-model");
      producer.send(new ProducerRecord<>("pb-baselines", 0, "other", other.toString()));
    }

    Map<String, Baseline> published = DriftDetectionLauncher.published(KafkaConfig.of(broker.bootstrapServers()),
        "pb-baselines", models);

    assertThat(published).containsOnlyKeys(spec.modelId());
    assertThat(published.get(spec.modelId()).referenceId()).isEqualTo(newer.profileId()).isNotEqualTo(older.profileId());
  }

  @Test
  void aBaselineReplacesOneCreatedAtTheSameTimeOrEarlierNeverANewerOne() {
    var b = new BaselineDecoder.PublishedBaseline("m", "m@1", "2026-07-05T00:00:00Z", new byte[0]);
    assertThat(b.replaces("2026-07-04T23:59:59Z")).isTrue();
    assertThat(b.replaces("2026-07-05T00:00:00Z")).isTrue();
    assertThat(b.replaces("2026-07-05T00:00:01Z")).isFalse();
  }

  @Test
  void anEmptyTopicGivesNoBaseline() {
    var broker = KafkaExtension.broker();
    broker.createCompactedTopic("pb-empty", 1);
    MonitorSpec spec = MonitorSpecParser.load(Path.of("../../examples/credit-default/monitor.yaml"));
    assertThat(DriftDetectionLauncher.published(KafkaConfig.of(broker.bootstrapServers()), "pb-empty",
        new ModelRegistry(List.of(spec)))).isEmpty();
  }
}
