package dev.driftline.runtime.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.driftline.core.topics.NamedTopic;
import dev.driftline.core.topics.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code docker/docker-compose.yml} and its setup scripts against the repository. Docker is not
 * needed (nor available where the tests run); what Docker would only find at {@code up} is found here.
 */
class ComposeFileTest {
  /** Inputs the setup names before they exist: each lands with the job that reads it. */
  static final Map<String, String> NOT_YET_IN_REPO = Map.of();

  private static Path root;
  private static String compose;

  @BeforeAll
  static void load() throws IOException {
    root = repoRoot();
    compose = Files.readString(root.resolve("docker/docker-compose.yml"));
  }

  static Path repoRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("docker")) && Files.isRegularFile(p.resolve("pom.xml"))
          && Files.isDirectory(p.resolve("runtime"))) {
        return p;
      }
    }
    throw new IllegalStateException("no repository root with docker/ above " + Path.of("").toAbsolutePath());
  }

  private static ComposeChecker checker() {
    return new ComposeChecker(root, NOT_YET_IN_REPO);
  }

  private static List<String> check(String text) {
    return checker().check(text);
  }

  @Test
  void composeFileMatchesTheRepository() {
    assertThat(check(compose)).isEmpty();
  }

  @Test
  void parsesWithJacksonYamlToo() throws IOException {
    // Jackson YAML keeps the merge key as a field; enough to know the file is plain YAML for it.
    JsonNode tree = new YAMLMapper().readTree(compose);
    assertThat(tree.path("services").fieldNames()).toIterable().containsExactlyInAnyOrder(
        "kafka", "elasticsearch", "kibana", "jobmanager", "taskmanager", "prometheus", "kafka-setup", "setup");
  }

  @Test
  void imagesArePinnedToThePomVersions() {
    ComposeChecker c = checker();
    JsonNode services = new ObjectMapper().valueToTree(new Yaml().load(compose)).path("services");
    Map<String, String> images = new TreeMap<>();
    services.properties().forEach(e -> images.put(e.getKey(), e.getValue().path("image").asText()));
    String flink = "flink:" + c.property("flink.version") + "-java17";
    assertThat(images).containsExactlyInAnyOrderEntriesOf(Map.of(
        "kafka", "apache/kafka:" + c.property("kafka.version"),
        "kafka-setup", "apache/kafka:" + c.property("kafka.version"),
        "elasticsearch", "docker.elastic.co/elasticsearch/elasticsearch:" + c.property("elasticsearch.version"),
        "kibana", "docker.elastic.co/kibana/kibana:" + c.property("elasticsearch.version"),
        "jobmanager", flink, "taskmanager", flink, "setup", flink,
        "prometheus", "prom/prometheus:v" + c.property("prometheus.version")));
    assertThat(images.get("kafka")).isEqualTo("apache/kafka:4.2.0");
    assertThat(images.get("setup")).isEqualTo("flink:2.2.1-java17");
  }

  @Test
  void prometheusScrapesTheReporterOfEveryFlinkService() throws IOException {
    JsonNode services = new ObjectMapper().valueToTree(new Yaml().load(compose)).path("services");
    List<String> targets = new ArrayList<>();
    JsonNode scrape = new YAMLMapper().readTree(root.resolve("docker/prometheus/prometheus.yml").toFile());
    for (JsonNode job : scrape.path("scrape_configs")) {
      for (JsonNode config : job.path("static_configs")) {
        config.path("targets").forEach(t -> targets.add(t.asText()));
      }
    }
    List<String> flink = new ArrayList<>();
    services.properties().forEach(e -> {
      if (e.getValue().path("image").asText().startsWith("flink:") && e.getValue().path("command").isTextual()) {
        String properties = e.getValue().path("environment").path("FLINK_PROPERTIES").asText();
        assertThat(properties).as(e.getKey())
            .contains("metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
            .contains("metrics.reporter.prom.port: 9249");
        flink.add(e.getKey() + ":9249");
      }
    });
    assertThat(flink).containsExactlyInAnyOrder("jobmanager:9249", "taskmanager:9249");
    assertThat(targets).containsExactlyInAnyOrderElementsOf(flink);
    assertThat(services.path("prometheus").path("volumes").toString())
        .contains("./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml");
    // The alert rules are loaded from the file the promtool tests check (AlertRulesTest), mounted beside the config.
    assertThat(scrape.path("rule_files").toString()).isEqualTo("[\"driftline-alerts.rules.yml\"]");
    assertThat(services.path("prometheus").path("volumes").toString())
        .contains("../dashboards/driftline-alerts.rules.yml:/etc/prometheus/driftline-alerts.rules.yml");
  }

  /** The setup's script is the catalogue's: every topic, baselines and the feature log compacted; regenerate with {@code bin/driftline topics script}. */
  @Test
  void createsEveryCatalogueTopicWithItsConfigs() throws IOException {
    String script = Files.readString(root.resolve(Topics.SCRIPT_PATH));
    assertThat(script).as("regenerate it: bin/driftline topics script > " + Topics.SCRIPT_PATH).isEqualTo(Topics.script());
    assertThat(script).contains("\ncreate baselines --config cleanup.policy=compact\n");
    assertThat(script.lines().filter(l -> l.startsWith("create ")).map(l -> l.split(" ")[1]))
        .containsExactlyElementsOf(Topics.defaults().stream().map(NamedTopic::name).toList())
        .contains("labelled-predictions", "card-transactions", "features.card_transactions");
  }

  /** Every --option the setup passes to a job is declared by that job's Command or its JobOptions mixin (picocli @Option names). */
  @Test
  void jobArgumentsAreOptionsOfTheirCommands() throws IOException {
    String script = Files.readString(root.resolve("docker/setup/setup.sh"));
    Matcher job = Pattern.compile("\\n\\s*([a-z-]+)\\) echo \"jars/driftline-\\1\\.jar ([^\"]*)\"").matcher(script);
    List<String> jobs = new ArrayList<>();
    while (job.find()) {
      jobs.add(job.group(1));
      String mainSource;
      try (Stream<Path> files = Files.walk(root.resolve("jobs").resolve(job.group(1)).resolve("src/main/java"))) {
        Path main = files.filter(f -> f.getFileName().toString().endsWith("Command.java")).findFirst().orElseThrow();
        mainSource = Files.readString(main);
      }
      if (mainSource.contains("@CommandLine.Mixin JobOptions")) {
        // The options every job shares are declared once, in the runtime's JobOptions mixin.
        mainSource += Files.readString(root.resolve("runtime/src/main/java/dev/driftline/runtime/options/JobOptions.java"));
      }
      Matcher option = Pattern.compile("(--[a-z][a-z-]*)").matcher(job.group(2));
      while (option.find()) {
        assertThat(mainSource).as(job.group(1) + " " + option.group(1)).contains("\"" + option.group(1) + "\"");
      }
    }
    assertThat(jobs).containsExactly("drift-detection", "feature-pipeline", "retrain-trigger");
  }

  // ---- the check fails when it should -----------------------------------------------------------

  @Test
  void catchesUnpinnedAndMismatchedImages() {
    List<String> problems = check(compose.replace("image: apache/kafka:4.2.0\n    hostname", "image: apache/kafka:3.9.0\n    hostname")
        .replace("docker.elastic.co/kibana/kibana:9.5.3", "docker.elastic.co/kibana/kibana"));
    assertThat(problems).hasSize(2)
        .anySatisfy(p -> assertThat(p).contains("services.kafka", "apache/kafka:3.9.0", "expected tag 4.2.0", "kafka.version"))
        .anySatisfy(p -> assertThat(p).contains("services.kibana", "expected a pinned tag"));
    assertThat(check(compose.replace("flink:2.2.1-java17\n    entrypoint: *flink-entrypoint\n    command: taskmanager",
        "flink:2.2.1-java11\n    entrypoint: *flink-entrypoint\n    command: taskmanager")))
        .singleElement().asString().contains("services.taskmanager", "expected tag 2.2.1-java17");
  }

  @Test
  void catchesDuplicateHostPort() {
    assertThat(check(compose.replace("\"5601:5601\"", "\"9200:5601\"")))
        .singleElement().asString().contains("host port :9200 is already published by services.elasticsearch");
  }

  @Test
  void catchesMissingHostPathAndWrongJarName() {
    // The mount, and each file setup.sh reads through it.
    assertThat(check(compose.replace("../examples:", "../exmaples:"))).hasSize(3)
        .anySatisfy(p -> assertThat(p).contains("services.setup: volume ../exmaples: exmaples does not exist"))
        .allSatisfy(p -> assertThat(p).contains("exmaples"));
    assertThat(check(compose.replace("target/driftline-drift-detection-0.1.0-SNAPSHOT.jar", "target/drift-detection.jar")))
        .singleElement().asString().contains("builds jobs/drift-detection/target/driftline-drift-detection-0.1.0-SNAPSHOT.jar, not drift-detection.jar");
    assertThat(check(compose.replace("../jobs/retrain-trigger/target/driftline-retrain-trigger", "../jobs/retrain/target/driftline-retrain")))
        .singleElement().asString().contains("jobs/retrain is not a Maven module");
  }

  @Test
  void catchesJarBindThatWouldCreateADirectory() {
    assertThat(check(compose.replaceFirst("create_host_path: false", "create_host_path: true")))
        .singleElement().asString().contains("expected bind.create_host_path: false");
  }

  @Test
  void catchesScriptFileThatIsNotThere() {
    // The specs now come from dashboards/, where setup.sh's examples/credit-default/monitor.yaml is not.
    assertThat(check(compose.replace("../examples:/opt/driftline/examples:ro", "../dashboards:/opt/driftline/examples:ro")))
        .anySatisfy(p -> assertThat(p).contains("setup.sh uses examples/credit-default/monitor.yaml, which does not exist",
            "dashboards/credit-default/monitor.yaml"));
    // And without the templates mount, templates/*.json is mounted nowhere.
    assertThat(check(compose.replace("../runtime/src/main/resources/templates:/opt/driftline/templates:ro", "../runtime:/opt/driftline/runtime:ro")))
        .singleElement().asString().contains("templates/*.json", "not under any mount");
  }

  @Test
  void catchesUndeclaredNamedVolumeAndBrokenYaml() {
    assertThat(check(compose.replace("- es-data:/usr", "- esdata:/usr")))
        .singleElement().asString().contains("volume esdata: not declared");
    assertThat(check("services: [unclosed")).singleElement().asString().startsWith("docker-compose.yml: not YAML");
  }
}
