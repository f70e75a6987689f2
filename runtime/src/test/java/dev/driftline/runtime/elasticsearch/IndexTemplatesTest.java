package dev.driftline.runtime.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import dev.driftline.services.ElasticsearchExtension;
import java.io.StringReader;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ElasticsearchExtension.class)
class IndexTemplatesTest {
  private static final String TEMPLATE = """
      {"index_patterns": ["tpl-drift-*"],
       "priority": 100,
       "template": {"mappings": {"properties": {
         "model": {"type": "keyword"}, "psi": {"type": "double"}, "window_end": {"type": "date"}}}}}""";

  @Test
  void newIndexGetsTheTemplatesMappingAndInstallingTwiceIsFine() throws Exception {
    try (ElasticsearchClient es = ElasticsearchConfig.of(ElasticsearchExtension.url()).newClient()) {
      IndexTemplates.install(es, "driftline-test-drift", TEMPLATE);
      IndexTemplates.install(es, "driftline-test-drift", TEMPLATE);

      es.index(i -> i.index("tpl-drift-2026.01").id("1")
          .withJson(new StringReader("{\"model\":\"churn\",\"psi\":0.2,\"window_end\":\"2026-01-01T00:00:00Z\"}")));

      Map<String, Property> props = es.indices().getMapping(m -> m.index("tpl-drift-2026.01"))
          .get("tpl-drift-2026.01").mappings().properties();
      assertThat(props.get("model").isKeyword()).isTrue();
      assertThat(props.get("psi").isDouble()).isTrue();
      assertThat(props.get("window_end").isDate()).isTrue();
    }
  }

  /** The strict performance template takes a multiclass document: its metrics and each class's recall as doubles. */
  @Test
  void thePerformanceTemplateMapsAMulticlassDocument() throws Exception {
    String template = java.nio.file.Files.readString(
        java.nio.file.Path.of("src/main/resources/templates/driftline-performance.json"))
        .replace("\"driftline-performance-*\"", "\"tpl-performance-*\"");
    try (ElasticsearchClient es = ElasticsearchConfig.of(ElasticsearchExtension.url()).newClient()) {
      IndexTemplates.install(es, "driftline-test-performance", template);

      es.index(i -> i.index("tpl-performance-2026.11").id("1").withJson(new StringReader("""
          {"model_id": "ticket-routing", "segment": "__all__", "window_start": "2026-11-09T00:00:00Z",
           "window_end": "2026-11-09T01:00:00Z", "predictions": 100, "labelled": 100, "label_coverage": 1.0,
           "exact": true, "accuracy": 1, "log_loss": 0.35, "macro_precision": 0.75, "macro_recall": 0.75,
           "macro_f1": 0.6666, "micro_f1": 0.75, "weighted_precision": 0.7, "weighted_recall": 0.75,
           "weighted_f1": 0.66, "macro_auc": 0.9, "auc_error_bound": 0.0,
           "class_recall": {"billing": 1, "technical": 1.0, "account": 1.0, "other": 0},
           "computed_at": "2026-11-09T02:00:00Z", "estimated": false, "labels_until": "2026-11-09T01:00:00Z"}""")));

      Map<String, Property> props = es.indices().getMapping(m -> m.index("tpl-performance-2026.11"))
          .get("tpl-performance-2026.11").mappings().properties();
      assertThat(props.get("macro_f1").isDouble()).isTrue();
      Map<String, Property> recall = props.get("class_recall").object().properties();
      assertThat(recall.keySet()).containsExactlyInAnyOrder("billing", "technical", "account", "other");
      assertThat(recall.values()).allMatch(Property::isDouble);
    }
  }

  @Test
  void rejectedTemplateFailsInOneLine() throws Exception {
    try (ElasticsearchClient es = ElasticsearchConfig.of(ElasticsearchExtension.url()).newClient()) {
      assertThatThrownBy(() -> IndexTemplates.install(es, "driftline-test-bad",
          "{\"index_patterns\":[\"tpl-bad-*\"],\"template\":{\"mappings\":{\"properties\":{\"x\":{\"type\":\"nonsense\"}}}}}"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("index template driftline-test-bad at " + ElasticsearchExtension.url() + ": HTTP 400 ")
          .hasMessageContaining("nonsense")
          .hasMessageNotContaining("\n");
    }
  }

  @Test
  void unreachableElasticsearchFailsInOneLine() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (ElasticsearchClient es = ElasticsearchConfig.of("http://127.0.0.1:" + closedPort).newClient()) {
      assertThatThrownBy(() -> IndexTemplates.install(es, "t", TEMPLATE))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Elasticsearch at http://127.0.0.1:" + closedPort + ": connection refused");
    }
  }
}
