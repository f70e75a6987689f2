package dev.driftline.connectors.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import dev.driftline.testing.ElasticsearchExtension;
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
