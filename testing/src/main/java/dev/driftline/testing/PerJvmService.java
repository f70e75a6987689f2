package dev.driftline.testing;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the service extensions share: one service per test JVM, started by the first test class
 * that uses the extension and closed by JUnit (5.13+ closes AutoCloseable store values) when the
 * root context ends, after the JVM's last test.
 *
 * @param <S> the service (a broker, a node, a cluster)
 */
final class PerJvmService<S extends AutoCloseable> {
  /** Starts the service; any failure fails the test class that asked for it. */
  interface Starter<S> {
    S start() throws Exception;
  }

  private final Class<?> extension;
  private final String missing;
  private final Starter<S> starter;
  private volatile S service;

  /**
   * @param extension the extension class (it names the store entry)
   * @param missing the message when a test asks for the service outside the extension
   */
  PerJvmService(Class<?> extension, String missing, Starter<S> starter) {
    this.extension = extension;
    this.missing = missing;
    this.starter = starter;
  }

  /** Starts the service unless this JVM runs it already; for the extension's {@code beforeAll}. */
  void startOnce(ExtensionContext context) {
    context.getRoot().getStore(ExtensionContext.Namespace.create(extension))
        .getOrComputeIfAbsent(extension, k -> {
          start();
          return new Running(this);
        }, Running.class);
  }

  /** The running service, or null when there is none. */
  S running() {
    return service;
  }

  /** The running service; only inside a test class extended with the extension. */
  S get() {
    S s = service;
    if (s == null) {
      throw new IllegalStateException(missing);
    }
    return s;
  }

  private synchronized void start() {
    if (service != null) {
      return;
    }
    try {
      service = starter.start();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
    }
  }

  private synchronized void stop() throws Exception {
    S s = service;
    service = null;
    if (s != null) {
      s.close();
    }
  }

  /** The store entry: its closing stops the service. */
  private record Running(PerJvmService<?> owner) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      owner.stop();
    }
  }
}
