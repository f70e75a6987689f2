package dev.driftline.services;

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
  private static final PerJvmService<ElasticsearchNode> NODE = new PerJvmService<>(
      "no Elasticsearch node: annotate the test class with @ExtendWith(ElasticsearchExtension.class)",
      () -> ElasticsearchNode.start(Paths.get(System.getProperty("user.dir"), "target", "elasticsearch-logs")));

  @Override
  public void beforeAll(ExtensionContext context) {
    NODE.startOnce();
  }

  /** The running node's URL ({@code http://127.0.0.1:<port>}); only inside tests using this extension. */
  public static String url() {
    return NODE.get().httpUrl();
  }

  /** The running node itself, for tests that stop and restart it; only inside tests using this extension. */
  public static ElasticsearchNode node() {
    return NODE.get();
  }
}
