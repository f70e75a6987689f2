package dev.driftline.cli.demo;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.driftline.core.features.FeatureView;
import dev.driftline.core.io.InputException;
import dev.driftline.core.topics.NamedTopic;
import dev.driftline.core.topics.Topic;
import dev.driftline.core.topics.Topics;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.elasticsearch.IndexTemplates;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.options.ElasticsearchOptions;
import dev.driftline.services.ElasticsearchNode;
import dev.driftline.services.KafkaBroker;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The demo's Kafka and Elasticsearch: the ones given, or an embedded broker and node started here
 * and stopped by {@link #close()}.
 */
final class DemoServices implements AutoCloseable {
  private final KafkaBroker broker;
  private final ElasticsearchNode node;
  private final KafkaConfig kafka;
  private final ElasticsearchConfig es;

  private DemoServices(KafkaBroker broker, ElasticsearchNode node, KafkaConfig kafka, ElasticsearchConfig es) {
    this.broker = broker;
    this.node = node;
    this.kafka = kafka;
    this.es = es;
  }

  /**
   * The --es settings, after Elasticsearch answered with them: a wrong password or CA stops the demo
   * before anything starts.
   */
  static ElasticsearchConfig checkedElasticsearch(ElasticsearchOptions auth, String address) throws IOException {
    ElasticsearchConfig es;
    try {
      es = auth.config(address);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    try (ElasticsearchClient client = es.newClient()) {
      IndexTemplates.checkReachable(client, es);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new InputException(e.getMessage());
    }
    return es;
  }

  /**
   * Kafka at {@code kafkaAddress} or, when null, a broker started with its logs under {@code logs};
   * {@code givenEs} or, when null, a node started with its log in {@code logs}.
   */
  static DemoServices start(String kafkaAddress, ElasticsearchConfig givenEs, Path logs, DemoConsole console)
      throws Exception {
    KafkaBroker broker = null;
    try {
      if (kafkaAddress == null) {
        console.line("starting Kafka (KRaft, one node) ...");
        broker = KafkaBroker.start(logs.resolve("kafka"), 0);
      }
      ElasticsearchNode node = null;
      if (givenEs == null) {
        console.line("starting Elasticsearch (one node; about 15 s) ...");
        node = ElasticsearchNode.start(logs);
      }
      return new DemoServices(broker, node, KafkaConfig.of(broker != null ? broker.bootstrapServers() : kafkaAddress),
          node != null ? ElasticsearchConfig.of(node.httpUrl()) : givenEs);
    } catch (Exception e) {
      if (broker != null) {
        broker.close();
      }
      throw e;
    }
  }

  KafkaConfig kafka() {
    return kafka;
  }

  ElasticsearchConfig es() {
    return es;
  }

  /** Whether the demo started a broker or a node (which stay up with --keep-running). */
  boolean startedAny() {
    return broker != null || node != null;
  }

  /**
   * Creates every topic of the catalogue and of {@code cards} (two partitions each); Kafka with the
   * topics of an earlier run is an input error, because the demo counts what its own run wrote.
   */
  void createTopics(FeatureView cards) throws Exception {
    Properties p = kafka.clientProperties();
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    try (Admin admin = Admin.create(p)) {
      TreeSet<String> existing = new TreeSet<>(admin.listTopics().names().get());
      List<NewTopic> topics = new ArrayList<>();
      for (NamedTopic t : Topics.withViews(List.of(cards))) {
        if (!existing.contains(t.name())) {
          topics.add(new NewTopic(t.name(), 2, (short) 1).configs(t.configs()));
        }
      }
      if (!existing.isEmpty() && existing.contains(Topic.DRIFT_RESULTS.defaultName())) {
        throw new InputException("Kafka at " + kafka.bootstrapServers() + " already has Driftline topics from an earlier run;"
            + " the demo needs empty ones (omit --kafka to start a fresh broker)");
      }
      admin.createTopics(topics).all().get();
    }
  }

  /** Where the logs are: the demo's own file, then the started broker's and node's. */
  void printLogs(PrintWriter out, Path logs) {
    out.println("  logs        " + logs.resolve(DemoLogs.FILE) + "  (Flink, the Kafka and Elasticsearch clients)");
    if (broker != null) {
      out.println("              " + broker.workDir().resolve("kafka.log") + "  (the Kafka broker)");
    }
    if (node != null) {
      out.println("              " + node.logFile() + "  (the Elasticsearch node)");
    }
    out.flush();
  }

  /** Stops the node, then the broker, of those started. */
  @Override
  public void close() {
    if (node != null) {
      node.close();
    }
    if (broker != null) {
      broker.close();
    }
  }
}
