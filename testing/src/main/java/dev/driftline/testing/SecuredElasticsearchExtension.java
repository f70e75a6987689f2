package dev.driftline.testing;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one {@link SecuredElasticsearchNode} (security on, https with a CA made for it, a user
 * and an API key) per test JVM, the first time a test class that uses this extension runs, and
 * stops it when the JVM's tests are done: starting one takes 20–40 s. Its console log goes to
 * {@code target/elasticsearch-logs} of the module running the tests.
 *
 * <pre>{@code
 * @ExtendWith(SecuredElasticsearchExtension.class)
 * class MyTest {
 *   @Test void writes() { SecuredElasticsearchNode es = SecuredElasticsearchExtension.node(); ... }
 * }
 * }</pre>
 */
public final class SecuredElasticsearchExtension implements BeforeAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SecuredElasticsearchExtension.class);
  private static volatile SecuredElasticsearchNode node;

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(SecuredElasticsearchNode.class, k -> new Running(startNode()), Running.class);
  }

  /** The running node; only inside tests using this extension. */
  public static SecuredElasticsearchNode node() {
    SecuredElasticsearchNode n = node;
    if (n == null) {
      throw new IllegalStateException("no secured Elasticsearch node: annotate the test class with "
          + "@ExtendWith(SecuredElasticsearchExtension.class)");
    }
    return n;
  }

  private static SecuredElasticsearchNode startNode() {
    Path logDir = Paths.get(System.getProperty("user.dir"), "target", "elasticsearch-logs");
    try {
      node = SecuredElasticsearchNode.start(logDir);
      return node;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Closed by JUnit when the root context ends, after the JVM's last test. */
  private record Running(SecuredElasticsearchNode node) implements AutoCloseable {
    @Override
    public void close() {
      SecuredElasticsearchExtension.node = null;
      node.close();
    }
  }
}
