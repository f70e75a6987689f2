package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.features.FeatureRecord;
import dev.driftline.core.io.Json;
import dev.driftline.services.ScramKafkaBroker;
import dev.driftline.services.ScramKafkaExtension;
import dev.driftline.services.SecuredElasticsearchExtension;
import dev.driftline.services.SecuredElasticsearchNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code driftline} commands against Elasticsearch with security on (https with its own CA, a
 * user) and Kafka with SASL/SCRAM: they work with the right credentials, and a wrong password, an
 * untrusted certificate or a wrong Kafka password is one line on stderr and exit code 2, naming the
 * cause and never a secret.
 */
@ExtendWith({SecuredElasticsearchExtension.class, ScramKafkaExtension.class})
class SecuredServicesCliTest {
  static final long T0 = 1_772_442_000_000L; // 2026-03-02T09:00:00Z
  @TempDir static Path dir;
  static SecuredElasticsearchNode es;
  static Path passwordFile;
  static FeatureRecord stored;
  /** Every run of the command here, to check that no output holds a secret. */
  static final List<CliRun> runs = new ArrayList<>();

  @BeforeAll
  static void storeAFeatureDocument() throws Exception {
    es = SecuredElasticsearchExtension.node();
    passwordFile = Files.writeString(dir.resolve("es-password"), es.password() + "\n");
    Map<String, Double> f = new LinkedHashMap<>();
    f.put("txn_count_1h", 4.0);
    f.put("amount_sum_1h", 99.5);
    stored = new FeatureRecord("sectest", "card-7", T0, T0 + 250, f);
    es.request("PUT", "/driftline-features-sectest/_doc/card-7?refresh=true",
        new String(stored.toJson(), StandardCharsets.UTF_8));
  }

  static CliRun run(String... args) {
    CliRun r = CliRun.of(args);
    runs.add(r);
    return r;
  }

  String[] get(String... auth) {
    List<String> args = new ArrayList<>(List.of("features", "get", "--view", "sectest", "--entity", "card-7", "--es", es.httpsUrl()));
    args.addAll(List.of(auth));
    return args.toArray(String[]::new);
  }

  @Test
  void featuresGetReadsTheDocumentWithThePasswordFromAFileOrAnArgument() throws Exception {
    for (String[] auth : List.of(
        new String[] {"--es-ca-cert", es.caCertificate().toString(), "--es-username", "driftline", "--es-password-file", passwordFile.toString()},
        new String[] {"--es-ca-cert", es.caCertificate().toString(), "--es-username", "driftline", "--es-password", es.password()})) {
      CliRun r = run(get(auth));
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(FeatureRecord.fromJson(r.out().trim().getBytes(StandardCharsets.UTF_8))).isEqualTo(stored);
    }
    assertNoSecretIn(runs);
  }

  @Test
  void aWrongPasswordIsOneLineNamingTheUser() throws Exception {
    Path wrong = Files.writeString(dir.resolve("wrong-password"), "not-" + es.password() + "\n");
    CliRun r = run(get("--es-ca-cert", es.caCertificate().toString(), "--es-username", "driftline",
        "--es-password-file", wrong.toString()));

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("driftline: Elasticsearch at " + es.httpsUrl() + ": authentication failed (401) for user \"driftline\"\n");
    assertThat(r.out()).isEmpty();
    assertNoSecretIn(List.of(r));
  }

  @Test
  void anUnknownApiKeyIsOneLineNamingItsIdOnly() {
    String key = Base64.getEncoder().encodeToString("k3yId-1:s3cret-part".getBytes(StandardCharsets.UTF_8));
    CliRun r = run(get("--es-ca-cert", es.caCertificate().toString(), "--es-api-key", key));

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("driftline: Elasticsearch at " + es.httpsUrl() + ": authentication failed (401) for API key \"k3yId-1\"\n");
    assertThat(r.err()).doesNotContain(key).doesNotContain("s3cret-part");
  }

  @Test
  void anUntrustedCertificateIsOneLineSayingWhichCa() {
    CliRun noCa = run(get("--es-username", "driftline", "--es-password-file", passwordFile.toString()));
    assertThat(noCa.exitCode()).isEqualTo(2);
    assertThat(noCa.err()).isEqualTo("driftline: Elasticsearch at " + es.httpsUrl()
        + ": certificate not trusted (PKIX path building failed); pass --es-ca-cert\n");

    CliRun otherCa = run(get("--es-ca-cert", es.otherCaCertificate().toString(), "--es-username", "driftline",
        "--es-password-file", passwordFile.toString()));
    assertThat(otherCa.exitCode()).isEqualTo(2);
    assertThat(otherCa.err()).isEqualTo("driftline: Elasticsearch at " + es.httpsUrl()
        + ": certificate not trusted by the CA in " + es.otherCaCertificate() + " (PKIX path building failed)\n");
  }

  @Test
  void aSecretGivenTwiceOrFromAMissingFileIsOneLine() {
    CliRun both = run(get("--es-username", "driftline", "--es-password", es.password(), "--es-password-file", passwordFile.toString()));
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).isEqualTo("driftline: --es-password and --es-password-file: expected one of them, got both\n");

    CliRun bothKeys = run(get("--es-api-key", "a2V5OnNlY3JldA==", "--es-api-key-file", passwordFile.toString()));
    assertThat(bothKeys.err()).isEqualTo("driftline: --es-api-key and --es-api-key-file: expected one of them, got both\n");

    Path missing = dir.resolve("no-such-file");
    CliRun gone = run(get("--es-username", "driftline", "--es-password-file", missing.toString()));
    assertThat(gone.exitCode()).isEqualTo(2);
    assertThat(gone.err()).isEqualTo("driftline: --es-password-file " + missing + ": cannot read it (NoSuchFileException)\n");
  }

  @Test
  void reportReadsTheTopicsThroughSaslAndAWrongKafkaPasswordIsOneLine() throws Exception {
    ScramKafkaBroker kafka = ScramKafkaExtension.broker();
    kafka.createTopics(1, "drift-results", "performance", "retrain-triggers", "alerts");
    try (KafkaProducer<String, String> p = kafka.stringProducer()) {
      for (int i = 0; i < 3; i++) {
        p.send(new ProducerRecord<>("drift-results", "m", Json.mapper().createObjectNode().put("model_id", "m")
            .put("segment", "__all__").put("feature", "x").put("test", "ks").put("statistic", 0.1 * i)
            .put("drift", false).put("window_start", "2026-03-02T0" + i + ":00:00Z").toString())).get();
      }
    }
    Path html = dir.resolve("report.html");
    CliRun ok = run("report", "--html", html.toString(), "--kafka", kafka.bootstrapServers(),
        "--kafka-property", "security.protocol=SASL_PLAINTEXT", "--kafka-property", "sasl.mechanism=SCRAM-SHA-256",
        "--kafka-property", "sasl.jaas.config=" + ScramKafkaBroker.jaasConfig(kafka.password()));
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out()).isEqualTo("wrote " + html + ": 3 drift results, 0 performance updates, 0 triggers, 0 alerts\n");

    Path properties = Files.writeString(dir.resolve("kafka.properties"), String.join("\n",
        "security.protocol=SASL_PLAINTEXT", "sasl.mechanism=SCRAM-SHA-256",
        "sasl.jaas.config=" + ScramKafkaBroker.jaasConfig(kafka.password()).replace("\"", "\\\"")));
    CliRun fromFile = run("report", "--html", html.toString(), "--kafka", kafka.bootstrapServers(),
        "--kafka-properties-file", properties.toString());
    assertThat(fromFile.exitCode()).as(fromFile.err()).isZero();
    assertThat(fromFile.out()).startsWith("wrote " + html + ": 3 drift results");

    CliRun wrong = run("report", "--html", html.toString(), "--kafka", kafka.bootstrapServers(),
        "--kafka-properties-file", properties.toString(),
        "--kafka-property", "sasl.jaas.config=" + ScramKafkaBroker.jaasConfig("not-" + kafka.password()));
    assertThat(wrong.exitCode()).isEqualTo(2);
    assertThat(wrong.err()).isEqualTo("driftline: Kafka at " + kafka.bootstrapServers()
        + ": authentication failed (SASL SCRAM-SHA-256) for user \"driftline\"\n");
    assertThat(wrong.err()).doesNotContain(kafka.password());
  }

  @Test
  void demoWritesItsIndicesToTheSecuredNodeAndRefusesAWrongPasswordBeforeStartingAnything() throws Exception {
    Path wrong = Files.writeString(dir.resolve("wrong-demo-password"), "wrong\n");
    Path refusedDir = dir.resolve("demo-refused");
    CliRun refused = run("demo", "--dir", refusedDir.toString(), "--es", es.httpsUrl(), "--es-ca-cert", es.caCertificate().toString(),
        "--es-username", "driftline", "--es-password-file", wrong.toString());
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).isEqualTo("driftline: Elasticsearch at " + es.httpsUrl() + ": authentication failed (401) for user \"driftline\"\n");
    assertThat(refused.out()).isEmpty();
    assertThat(refusedDir).doesNotExist();

    Path demoDir = dir.resolve("demo");
    CliRun demo = run("demo", "--dir", demoDir.toString(), "--hours", "2", "--rate", "0.4", "--es", es.httpsUrl(),
        "--es-ca-cert", es.caCertificate().toString(), "--es-username", "driftline", "--es-password-file", passwordFile.toString());
    assertThat(demo.exitCode()).as(demo.err() + demo.out()).isZero();
    assertThat(demo.out()).contains("Elasticsearch at " + es.httpsUrl()).contains("credit-default window 08:40 closed: DRIFT in income");

    es.request("POST", "/driftline-*/_refresh", null);
    JsonNode hits = Json.mapper().readTree(es.request("POST", "/driftline-drift-*/_search",
        "{\"size\":10,\"query\":{\"bool\":{\"filter\":[{\"term\":{\"model_id\":\"credit-default\"}},{\"term\":{\"segment\":\"__all__\"}},"
            + "{\"term\":{\"feature\":\"income\"}},{\"term\":{\"test\":\"ks\"}},{\"term\":{\"window_start\":\"2026-03-02T08:40:00.000Z\"}}]}}}"))
        .path("hits");
    assertThat(hits.path("total").path("value").asInt()).isEqualTo(1);
    JsonNode income = hits.path("hits").get(0).path("_source");
    assertThat(income.path("drift").asBoolean()).isTrue();
    assertThat(income.path("window_end").asText()).isEqualTo("2026-03-02T08:50:00Z");
    assertThat(income.path("n_current").asInt()).isBetween(200, 240); // 0.4/s for 10 minutes, less missing values
    JsonNode summary = Json.mapper().readTree(demoDir.resolve("demo-summary.json").toFile());
    long driftDocs = Json.mapper().readTree(es.request("GET", "/driftline-drift-*/_count", null)).path("count").asLong();
    assertThat(driftDocs).isEqualTo(summary.path("documents").path("drift-results").asLong());
    assertThat(driftDocs).isLessThan(summary.path("records").path("drift-results").asLong()); // __label__ re-emitted
    long featureDocs = Json.mapper().readTree(es.request("GET", "/driftline-features-card_transactions/_count", null)).path("count").asLong();
    assertThat(featureDocs).isBetween(1L, 300L); // one document per card (300 of them), the latest record
    assertNoSecretIn(List.of(refused, demo));
  }

  static void assertNoSecretIn(List<CliRun> runs) {
    for (CliRun r : runs) {
      assertThat(r.out() + r.err()).doesNotContain(es.password());
    }
  }
}
