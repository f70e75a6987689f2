package dev.driftline.runtime.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Node;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * Puts the index templates a job writes with before it starts, so every index it creates gets the
 * intended mappings. Installing is idempotent: the same template again replaces it with itself.
 */
public final class IndexTemplates {
  private IndexTemplates() {}

  /**
   * {@code PUT _index_template/<name>} with {@code templateJson} as the body (index_patterns,
   * template.settings/mappings, priority, ...).
   *
   * @throws IllegalStateException one line, when Elasticsearch is unreachable or rejects the template
   */
  public static void install(ElasticsearchClient client, String name, String templateJson) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("index template: expected a name, got nothing");
    }
    checkReachable(client);
    try {
      boolean ok = client.indices().putIndexTemplate(r -> r.name(name).withJson(new StringReader(templateJson))).acknowledged();
      if (!ok) {
        throw new IllegalStateException("index template " + name + " at " + where(client) + ": not acknowledged");
      }
    } catch (IllegalStateException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("index template " + name + " at " + where(client) + ": " + ElasticsearchErrors.describe(e), e);
    }
  }

  /**
   * Checks that Elasticsearch answers, then installs (or updates) the named templates that ship in
   * this jar under {@code /templates/<name>.json}: what every job does at start.
   */
  public static void installBundled(ElasticsearchConfig es, String... names) {
    try (ElasticsearchClient client = es.newClient()) {
      checkReachable(client, es);
      for (String name : names) {
        install(client, name, bundled(name));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON of a template shipped in this jar. */
  static String bundled(String name) {
    String path = "/templates/" + name + ".json";
    try (InputStream in = IndexTemplates.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is missing from the job jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Asks for the cluster health; fails with e.g. {@code Elasticsearch at http://es:9200: connection refused}
   * when there is no answer, or a red cluster.
   */
  public static void checkReachable(ElasticsearchClient client) {
    HealthStatus status;
    try {
      status = client.cluster().health().status();
    } catch (Exception e) {
      throw new IllegalStateException("Elasticsearch at " + where(client) + ": " + ElasticsearchErrors.describe(e), e);
    }
    if (status == HealthStatus.Red) {
      throw new IllegalStateException("Elasticsearch at " + where(client) + ": cluster health is red");
    }
  }

  /**
   * As {@link #checkReachable(ElasticsearchClient)}, with the failure described from the settings:
   * e.g. {@code Elasticsearch at https://es:9200: authentication failed (401) for user "driftline"}.
   */
  public static void checkReachable(ElasticsearchClient client, ElasticsearchConfig es) {
    HealthStatus status;
    try {
      status = client.cluster().health().status();
    } catch (Exception e) {
      throw new IllegalStateException(es.failure(e), e);
    }
    if (status == HealthStatus.Red) {
      throw new IllegalStateException("Elasticsearch at " + es.describeUrls() + ": cluster health is red");
    }
  }

  static String where(ElasticsearchClient client) {
    if (client._transport() instanceof Rest5ClientTransport t) {
      return t.restClient().getNodes().stream().map(Node::getHost).map(h -> h.toURI()).collect(Collectors.joining(","));
    }
    return "(unknown address)";
  }
}
