package dev.driftline.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.driftline.core.events.ModelRegistry;
import dev.driftline.core.features.FeatureView;
import dev.driftline.core.features.FeatureViewParser;
import dev.driftline.core.io.InputException;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo's models and feature view: the examples shipped inside the CLI, credit-default's with
 * windows short enough for a few hours of traffic.
 *
 * @param credit examples/credit-default/monitor.yaml with 10-minute tumbling windows, a 2-hour
 *     cooldown, every data-quality check and multivariate drift ({@code pca})
 * @param churn examples/churn/monitor.yaml as it is
 * @param cards examples/feature-views/card-transactions.yaml
 * @param tickets examples/ticket-routing/monitor.yaml (a multiclass classifier) with 20-minute windows
 */
record DemoSpecs(MonitorSpec credit, MonitorSpec churn, FeatureView cards, MonitorSpec tickets) {
  static final String CREDIT = "/examples/credit-default/monitor.yaml";
  static final String CHURN = "/examples/churn/monitor.yaml";
  static final String CARDS = "/examples/feature-views/card-transactions.yaml";
  static final String TICKETS = "/examples/ticket-routing/monitor.yaml";

  /** Reference rows per chunk of the demo's pca threshold. */
  static final int PCA_CHUNK_SIZE = 600;

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static DemoSpecs load() throws IOException {
    return new DemoSpecs(
        MonitorSpecParser.parse("examples/credit-default/monitor.yaml (10m windows for the demo)", forTheDemo(resource(CREDIT))),
        MonitorSpecParser.parse("examples/churn/monitor.yaml", resource(CHURN)),
        FeatureViewParser.parse("examples/feature-views/card-transactions.yaml", resource(CARDS)),
        MonitorSpecParser.parse("examples/ticket-routing/monitor.yaml (20m windows for the demo)", ticketsForTheDemo(resource(TICKETS))));
  }

  ModelRegistry models() {
    return new ModelRegistry(List.of(credit, churn, tickets));
  }

  /**
   * credit-default's spec as the demo runs it: the same document with {@code window.size} and
   * {@code window.slide} of 10m, {@code policy.cooldown} of 2h, {@code data_quality: all} and
   * {@code pca: {chunk_size: 600}} (a 10-minute window's predictions at the demo test's rate). Edited
   * as a tree, so the spec hash (every trigger's and alert's {@code policy_version}) is that of the
   * document with just these values changed, whatever the example's layout and comments.
   */
  static String forTheDemo(String creditYaml) throws IOException {
    ObjectNode spec = (ObjectNode) YAML.readTree(creditYaml);
    ObjectNode window = (ObjectNode) spec.path("window");
    window.put("size", "10m").put("slide", "10m");
    ((ObjectNode) spec.path("policy")).put("cooldown", "2h");
    spec.put("data_quality", "all");
    spec.putObject("pca").put("chunk_size", PCA_CHUNK_SIZE);
    return YAML.writeValueAsString(spec);
  }

  /**
   * ticket-routing's spec as the demo runs it: {@code window.size} of 20m, so that a few hours of
   * traffic have several windows of its multiclass performance. Edited as a tree, as {@link #forTheDemo}.
   */
  static String ticketsForTheDemo(String ticketsYaml) throws IOException {
    ObjectNode spec = (ObjectNode) YAML.readTree(ticketsYaml);
    ((ObjectNode) spec.path("window")).put("size", "20m");
    return YAML.writeValueAsString(spec);
  }

  /**
   * The examples' monitor specs as shipped (not the demo's shorter windows), written into {@code dir}
   * for the trainers: credit-default's, then churn's, then ticket-routing's (which only the Python
   * trainer serves).
   */
  List<Path> writeForTrainers(Path dir) throws IOException {
    Files.createDirectories(dir);
    return List.of(Files.writeString(dir.resolve("credit-default.yaml"), resource(CREDIT)),
        Files.writeString(dir.resolve("churn.yaml"), resource(CHURN)),
        Files.writeString(dir.resolve("ticket-routing.yaml"), resource(TICKETS)));
  }

  static String resource(String path) throws IOException {
    try (InputStream in = DemoSpecs.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new InputException("the example " + path + " is missing from this build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
