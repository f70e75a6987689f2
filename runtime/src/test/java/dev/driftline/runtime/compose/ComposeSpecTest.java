package dev.driftline.runtime.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docker/docker-compose.yml} by Compose's own rules: its interpolation syntax and the Compose
 * Specification's JSON schema. {@link ComposeFileTest} checks the same file against the repository.
 */
class ComposeSpecTest {
  private static final String FILE = "docker-compose.yml";
  private static String compose;

  @BeforeAll
  static void load() throws IOException {
    compose = Files.readString(ComposeFileTest.repoRoot().resolve("docker/docker-compose.yml"));
  }

  private static List<String> check(String text) {
    return ComposeSpecCheck.check(FILE, text);
  }

  @Test
  void composeFileFollowsComposeRules() {
    assertThat(check(compose)).isEmpty();
  }

  @Test
  void schemaIsTheOneTheReadmeNames() throws IOException, NoSuchAlgorithmException {
    byte[] bytes;
    try (InputStream in = ComposeSpecTest.class.getResourceAsStream(ComposeSpecCheck.SCHEMA_RESOURCE)) {
      bytes = in.readAllBytes();
    }
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    assertThat(sha256).isEqualTo("46b7d35f19dd93a05f8fea530291bf84d881c1791ec167ecf0e6fb94e639d496");
    String readme = Files.readString(ComposeFileTest.repoRoot().resolve("runtime/src/test/resources/compose/README.md"));
    assertThat(readme).contains(sha256, "dclint", "3.1.0");
    JsonNode schema = new ObjectMapper().readTree(bytes);
    assertThat(schema.path("title").asText()).isEqualTo("Compose Specification");
    assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft-07/schema");
    assertThat(schema.path("properties").fieldNames()).toIterable()
        .contains("name", "services", "volumes", "networks", "include", "models");
  }

  // ---- interpolation --------------------------------------------------------------------------

  @Test
  void rejectsTheFlinkEntrypointAsItWas() {
    String before = compose.replace("exec /docker-entrypoint.sh \"$$@\"", "exec /docker-entrypoint.sh \"$@\"");
    assertThat(before).isNotEqualTo(compose);
    assertThat(check(before)).containsExactly("docker-compose.yml:41: x-flink-entrypoint[2]: invalid interpolation \"$@\": "
        + "Compose reads $ as the start of a variable; write $$ for a literal $");
  }

  @Test
  void acceptsEveryFormComposeInterpolates() {
    for (String value : List.of("costs $$5", "$VAR", "pre-${VAR}-post", "${VAR:-a default}", "${VAR-}", "${VAR:?must be set}",
        "${VAR?must be set}", "${VAR:+alt}", "${VAR+alt}", "${_under_1}", "$$@", "${A:-${B:-c}}", "$a$B", "${A:-$$}")) {
      assertThat(ComposeSpecCheck.firstInvalidTemplate(value)).as(value).isNull();
    }
  }

  @Test
  void namesEachFormComposeRefuses() {
    assertThat(ComposeSpecCheck.firstInvalidTemplate("exec \"$@\"")).isEqualTo("$@");
    assertThat(ComposeSpecCheck.firstInvalidTemplate("$1 and $2")).isEqualTo("$1");
    assertThat(ComposeSpecCheck.firstInvalidTemplate("price: 5$")).isEqualTo("$");
    assertThat(ComposeSpecCheck.firstInvalidTemplate("${}")).isEqualTo("${}");
    assertThat(ComposeSpecCheck.firstInvalidTemplate("${1A}")).isEqualTo("${1A}");
    assertThat(ComposeSpecCheck.firstInvalidTemplate("${VAR:=x}")).isEqualTo("${VAR:=x}");
    assertThat(ComposeSpecCheck.firstInvalidTemplate("${VAR")).isEqualTo("${VAR");
    assertThat(ComposeSpecCheck.firstInvalidTemplate("${A:-$(date)}")).isEqualTo("$(");
  }

  @Test
  void namesTheLineInsideABlockScalar() {
    String text = compose.replace("    parallelism.default: 1\n", "    parallelism.default: 1\n    env.java.opts: -Dx=$HOME$\n");
    assertThat(check(text)).containsExactly("docker-compose.yml:35: x-flink-config.FLINK_PROPERTIES: invalid interpolation \"$\": "
        + "Compose reads $ as the start of a variable; write $$ for a literal $");
  }

  @Test
  void commentsAndKeysAreNotInterpolated() {
    assertThat(check(compose.replace("# Named volumes are created", "# $@ Named volumes are created"))).isEmpty();
  }

  // ---- schema ---------------------------------------------------------------------------------

  @Test
  void schemaRejectsAMisspelledKey() {
    assertThat(check(compose.replace("      interval: 5s\n      timeout: 20s", "      intervall: 5s\n      timeout: 20s")))
        .singleElement().asString()
        .startsWith("docker-compose.yml: /services/kafka/healthcheck: ")
        .contains("intervall", "Compose Specification schema");
  }

  @Test
  void schemaRejectsAnUnknownDependsOnCondition() {
    assertThat(check(compose.replace("condition: service_completed_successfully", "condition: service_done")))
        .singleElement().asString()
        .startsWith("docker-compose.yml: /services/setup/depends_on/kafka-setup/condition: ")
        .contains("service_completed_successfully");
  }

  @Test
  void schemaSeesWhatMergeKeysBringIn() {
    // environment values must be strings, numbers, booleans or null; a list merged in is none of those.
    String text = compose.replace("    parallelism.default: 1\n", "    parallelism.default: 1\n  FLINK_EXTRA: [a, b]\n");
    assertThat(check(text)).hasSize(2)
        .allSatisfy(p -> assertThat(p).contains("/environment/FLINK_EXTRA"))
        .anySatisfy(p -> assertThat(p).startsWith("docker-compose.yml: /services/jobmanager/environment/FLINK_EXTRA"))
        .anySatisfy(p -> assertThat(p).startsWith("docker-compose.yml: /services/taskmanager/environment/FLINK_EXTRA"));
  }
}
