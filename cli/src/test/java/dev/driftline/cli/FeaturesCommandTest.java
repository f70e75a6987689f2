package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.VersionType;
import dev.driftline.core.features.FeatureRecord;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.services.ElasticsearchExtension;
import dev.driftline.services.KafkaBroker;
import dev.driftline.services.KafkaExtension;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({KafkaExtension.class, ElasticsearchExtension.class})
class FeaturesCommandTest {
  static final long T0 = 1_772_409_600_000L; // 2026-03-02T00:00:00Z
  static String bootstrap;

  static FeatureRecord record(String entity, long asOf, double count) {
    Map<String, Double> f = new LinkedHashMap<>();
    f.put("txn_count_1h", count);
    f.put("seconds_since_last_txn", null);
    return new FeatureRecord("clitest", entity, asOf, asOf + 100, f);
  }

  @BeforeAll
  static void writeALogOutOfAsOfOrder() throws Exception {
    KafkaBroker broker = KafkaExtension.broker();
    bootstrap = broker.bootstrapServers();
    broker.createCompactedTopic("features.clitest", 3);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      for (FeatureRecord r : new FeatureRecord[] {
          record("c1", T0, 1), record("c2", T0 + 5, 9), record("c1", T0 + 60_000, 2),
          record("c1", T0 + 120_000, 3), record("c1", T0 + 30_000, 7) /* an older record replayed late */}) {
        producer.send(new ProducerRecord<>("features.clitest", r.entity().getBytes(StandardCharsets.UTF_8), r.toJson())).get();
      }
    }
  }

  static String asOf(String entity, String time) {
    CliRun r = CliRun.of("features", "as-of", "--view", "clitest", "--entity", entity, "--time", time, "--bootstrap-servers", bootstrap);
    assertThat(r.exitCode()).as(r.err()).isZero();
    return FeatureRecord.fromJson(r.out().trim().getBytes(StandardCharsets.UTF_8)).features().get("txn_count_1h").toString();
  }

  @Test
  void asOfReturnsTheNewestRecordNotAfterTheInstant() {
    assertThat(asOf("c1", "2026-03-02T00:00:00Z")).isEqualTo("1.0");
    assertThat(asOf("c1", Long.toString(T0 + 29_999))).isEqualTo("1.0");
    assertThat(asOf("c1", Long.toString(T0 + 30_000))).isEqualTo("7.0");
    assertThat(asOf("c1", "2026-03-02T00:01:59.999Z")).isEqualTo("2.0");
    assertThat(asOf("c1", "2026-03-03T00:00:00Z")).isEqualTo("3.0");
    assertThat(asOf("c2", "2026-03-03T00:00:00Z")).isEqualTo("9.0");
  }

  @Test
  void asOfBeforeTheFirstRecordOrOfAnUnknownViewIsOneLineExit2() {
    CliRun early = CliRun.of("features", "as-of", "--view", "clitest", "--entity", "c1", "--time", "2026-03-01T23:59:59Z",
        "--bootstrap-servers", bootstrap);
    assertThat(early.exitCode()).isEqualTo(2);
    assertThat(early.err().trim()).isEqualTo("driftline: features.clitest: no record of entity \"c1\" with as_of <= 2026-03-01T23:59:59Z");
    CliRun badTime = CliRun.of("features", "as-of", "--view", "clitest", "--entity", "c1", "--time", "yesterday");
    assertThat(badTime.exitCode()).isEqualTo(2);
    assertThat(badTime.err().trim()).isEqualTo(
        "driftline: --time: expected an ISO-8601 instant such as 2026-03-02T10:15:00Z or epoch millis, got \"yesterday\"");
  }

  @Test
  void getReadsTheOnlineDocumentAndNamesWhatIsMissing() throws Exception {
    String url = ElasticsearchExtension.url();
    FeatureRecord newest = record("c1", T0 + 120_000, 3);
    try (ElasticsearchClient es = ElasticsearchConfig.of(url).newClient()) {
      es.index(i -> i.index("driftline-features-clitest").id("c1").versionType(VersionType.External).version(newest.asOf())
          .withJson(new StringReader(new String(newest.toJson(), StandardCharsets.UTF_8))).refresh(co.elastic.clients.elasticsearch._types.Refresh.True));
    }
    CliRun r = CliRun.of("features", "get", "--view", "clitest", "--entity", "c1", "--es", url);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(FeatureRecord.fromJson(r.out().trim().getBytes(StandardCharsets.UTF_8))).isEqualTo(newest);

    CliRun missing = CliRun.of("features", "get", "--view", "clitest", "--entity", "nobody", "--es", url);
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err().trim()).isEqualTo("driftline: driftline-features-clitest: no features for entity \"nobody\"");
    CliRun noIndex = CliRun.of("features", "get", "--view", "nosuchview", "--entity", "c1", "--es", url);
    assertThat(noIndex.exitCode()).isEqualTo(2);
    assertThat(noIndex.err().trim()).startsWith("driftline: driftline-features-nosuchview at " + url + ": no such index");
  }

  @Test
  void validateSummarizesTheShippedExample() {
    CliRun r = CliRun.of("features", "validate", "--view", "../examples/feature-views/card-transactions.yaml");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().trim()).isEqualTo("../examples/feature-views/card-transactions.yaml: valid. view card_transactions from topic "
        + "card-transactions (entity card_id, time ts), 12 features; log features.card_transactions, index driftline-features-card_transactions");
    CliRun bad = CliRun.of("features", "validate", "--view", "nope.yaml");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err().trim()).isEqualTo("driftline: nope.yaml: no such file");
  }
}
