package dev.driftline.services;

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
  private static final PerJvmService<SecuredElasticsearchNode> NODE = new PerJvmService<>(
      "no secured Elasticsearch node: annotate the test class with "
          + "@ExtendWith(SecuredElasticsearchExtension.class)",
      () -> SecuredElasticsearchNode.start(Paths.get(System.getProperty("user.dir"), "target", "elasticsearch-logs")));

  @Override
  public void beforeAll(ExtensionContext context) {
    NODE.startOnce();
  }

  /** The running node; only inside tests using this extension. */
  public static SecuredElasticsearchNode node() {
    return NODE.get();
  }
}
