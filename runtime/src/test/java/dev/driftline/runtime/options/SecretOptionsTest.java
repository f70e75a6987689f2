package dev.driftline.runtime.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.kafka.KafkaConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine;

/** Secrets from files and variables: read as given less the trailing line break, never in a message or toString. */
class SecretOptionsTest {
  static final String SECRET = "pa55-w0rd-7f3a";
  @TempDir Path dir;

  @Command(name = "job")
  static final class Job implements Runnable {
    @Mixin JobOptions job = new JobOptions();

    @Override
    public void run() {}
  }

  static JobOptions parse(String... args) {
    Job job = new Job();
    new CommandLine(job).parseArgs(args);
    return job.job;
  }

  @Test
  void aPasswordFileIsReadWithoutItsTrailingLineBreak() throws Exception {
    Path file = Files.writeString(dir.resolve("pw"), SECRET + "\r\n\n");
    ElasticsearchConfig c = parse("--bootstrap-servers", "k:9092", "--es-url", "https://es:9200", "--es-username", "driftline",
        "--es-password-file", file.toString()).elasticsearch();

    assertThat(c).isEqualTo(ElasticsearchConfig.of("https://es:9200").withBasicAuth("driftline", SECRET));
    assertThat(c.toString()).isEqualTo("ElasticsearchConfig{urls=https://es:9200, auth=basic(driftline)}");
    assertThat(c.principal()).isEqualTo("user \"driftline\"");
  }

  @Test
  void anApiKeyFileAndTheVariablesNamingFiles() throws Exception {
    Path key = Files.writeString(dir.resolve("key"), "aWQxOnNlY3JldA==\n"); // base64("id1:secret")
    ElasticsearchOptions options = new ElasticsearchOptions();
    options.apiKeyFile = key;
    ElasticsearchConfig fromOption = options.config("https://es:9200", Map.of());
    assertThat(fromOption).isEqualTo(ElasticsearchConfig.of("https://es:9200").withApiKey("aWQxOnNlY3JldA=="));
    assertThat(fromOption.principal()).isEqualTo("API key \"id1\"");
    assertThat(fromOption.toString()).doesNotContain("aWQxOnNlY3JldA==");

    Path pw = Files.writeString(dir.resolve("pw"), SECRET + "\n");
    ElasticsearchConfig fromVariables = new ElasticsearchOptions().config("https://es:9200",
        Map.of("DRIFTLINE_ES_USERNAME", "driftline", "DRIFTLINE_ES_PASSWORD_FILE", pw.toString()));
    assertThat(fromVariables).isEqualTo(ElasticsearchConfig.of("https://es:9200").withBasicAuth("driftline", SECRET));
  }

  @Test
  void aSecretGivenTwiceOrAnEmptyOrMissingFileIsOneLineWithoutTheSecret() throws Exception {
    Path file = Files.writeString(dir.resolve("pw"), SECRET);
    assertThatThrownBy(() -> parse("--bootstrap-servers", "k:9092", "--es-url", "https://es:9200", "--es-username", "u",
        "--es-password", SECRET, "--es-password-file", file.toString()).elasticsearch())
        .hasMessage("--es-password and --es-password-file: expected one of them, got both");
    assertThatThrownBy(() -> new ElasticsearchOptions().config("https://es:9200",
        Map.of("DRIFTLINE_ES_API_KEY", SECRET, "DRIFTLINE_ES_API_KEY_FILE", file.toString())))
        .hasMessage("$DRIFTLINE_ES_API_KEY and $DRIFTLINE_ES_API_KEY_FILE: expected one of them, got both");
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertThatThrownBy(() -> SecretFiles.read("--es-password-file", empty))
        .hasMessage("--es-password-file " + empty + ": expected a secret, got an empty file");
    Path two = Files.writeString(dir.resolve("two"), SECRET + "\nmore\n");
    assertThatThrownBy(() -> SecretFiles.read("--es-password-file", two))
        .hasMessage("--es-password-file " + two + ": expected one line, got 2");
    assertThatThrownBy(() -> SecretFiles.read("--es-api-key-file", dir.resolve("none")))
        .hasMessage("--es-api-key-file " + dir.resolve("none") + ": cannot read it (NoSuchFileException)");
  }

  @Test
  void kafkaPropertiesComeFromAFileWithArgumentsOverThemAndToStringMasksTheJaasConfig() throws Exception {
    String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"driftline\" password=\"" + SECRET + "\";";
    Path file = Files.writeString(dir.resolve("kafka.properties"),
        "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-256\nsasl.jaas.config=" + jaas.replace("\"", "\\\"") + "\n");
    KafkaConfig k = parse("--bootstrap-servers", "k:9092", "--kafka-properties-file", file.toString(),
        "--kafka-property", "security.protocol=SASL_PLAINTEXT").kafka();

    assertThat(k.clientProperties()).containsEntry("sasl.jaas.config", jaas).containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-256");
    assertThat(k.toString()).isEqualTo("KafkaConfig{bootstrap.servers=k:9092, sasl.jaas.config=****, sasl.mechanism=SCRAM-SHA-256, "
        + "security.protocol=SASL_PLAINTEXT}");
    assertThatThrownBy(() -> parse("--bootstrap-servers", "k:9092", "--kafka-properties-file", dir.resolve("none").toString()).kafka())
        .hasMessage("--kafka-properties-file " + dir.resolve("none") + ": cannot read it (NoSuchFileException)");
  }

  @Test
  void helpShowsNoDefaultSecret() {
    String help = new CommandLine(new Job()).getUsageMessage();
    assertThat(help).contains("--es-password-file=FILE", "--es-api-key-file=FILE", "--kafka-properties-file=FILE")
        .doesNotContain(SECRET);
  }
}
