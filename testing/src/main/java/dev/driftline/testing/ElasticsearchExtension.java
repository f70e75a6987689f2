package dev.driftline.testing;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one real {@link ElasticsearchNode} per test JVM, the first time a test class that uses
 * this extension runs, and stops it when the JVM's tests are done. Its console log goes to
 * {@code target/elasticsearch-logs} of the module running the tests.
 *
 * <pre>{@code
 * @ExtendWith(ElasticsearchExtension.class)
 * class MyTest {
 *   @Test void writes() { String url = ElasticsearchExtension.url(); ... }
 * }
 * }</pre>
 */
public final class ElasticsearchExtension implements BeforeAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ElasticsearchExtension.class);
  private static volatile ElasticsearchNode node;

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(ElasticsearchNode.class, k -> new Running(startNode()), Running.class);
  }

  /** The running node's URL ({@code http://127.0.0.1:<port>}); only inside tests using this extension. */
  public static String url() {
    ElasticsearchNode n = node;
    if (n == null) {
      throw new IllegalStateException("no Elasticsearch node: annotate the test class with @ExtendWith(ElasticsearchExtension.class)");
    }
    return n.httpUrl();
  }

  /** The running node itself, for tests that stop and restart it; only inside tests using this extension. */
  public static ElasticsearchNode node() {
    ElasticsearchNode n = node;
    if (n == null) {
      throw new IllegalStateException("no Elasticsearch node: annotate the test class with @ExtendWith(ElasticsearchExtension.class)");
    }
    return n;
  }

  private static ElasticsearchNode startNode() {
    Path logDir = Paths.get(System.getProperty("user.dir"), "target", "elasticsearch-logs");
    try {
      node = ElasticsearchNode.start(logDir);
      return node;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Closed by JUnit (5.13+ closes AutoCloseable store values) when the root context ends, after the JVM's last test. */
  private record Running(ElasticsearchNode node) implements AutoCloseable {
    @Override
    public void close() {
      ElasticsearchExtension.node = null;
      node.close();
    }
  }
}
