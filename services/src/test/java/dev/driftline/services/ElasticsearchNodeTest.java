package dev.driftline.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ElasticsearchExtension.class)
class ElasticsearchNodeTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ElasticsearchExtension.url() + path))
        .header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersClusterHealthAsTheElasticsearchProduct() throws Exception {
    HttpResponse<String> r = send("GET", "/_cluster/health", null);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).containsPattern("\"status\":\"(green|yellow)\"");
    assertThat(r.headers().firstValue("X-Elastic-Product")).hasValue("Elasticsearch");
  }

  @Test
  void findsAnIndexedDocumentBySearch() throws Exception {
    HttpResponse<String> put = send("PUT", "/node-test/_doc/1?refresh=true", "{\"model\":\"churn-v3\",\"psi\":0.31}");
    HttpResponse<String> search = send("POST", "/node-test/_search", "{\"query\":{\"term\":{\"model.keyword\":\"churn-v3\"}}}");

    assertThat(put.statusCode()).isEqualTo(201);
    assertThat(search.statusCode()).isEqualTo(200);
    assertThat(search.body()).contains("\"total\":{\"value\":1,").contains("\"_id\":\"1\"").contains("\"psi\":0.31");
  }
}
