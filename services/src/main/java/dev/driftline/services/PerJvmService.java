package dev.driftline.services;

/**
 * What the service extensions share: one service per test JVM, started by the first test class
 * that uses the extension and stopped when the JVM exits (each service's own shutdown hook). Not
 * when JUnit's root context ends: Surefire runs the classes of a module with two or more JVMs in
 * a launcher each, whose root context ends with the class, and starting a node or broker for every
 * class cost more CPU than the tests themselves.
 *
 * @param <S> the service (a broker, a node, a cluster)
 */
final class PerJvmService<S extends AutoCloseable> {
  /** Starts the service; any failure fails the test class that asked for it. */
  interface Starter<S> {
    S start() throws Exception;
  }

  private final String missing;
  private final Starter<S> starter;
  private volatile S service;

  /** @param missing the message when a test asks for the service outside the extension */
  PerJvmService(String missing, Starter<S> starter) {
    this.missing = missing;
    this.starter = starter;
  }

  /** Starts the service unless this JVM runs it already; for the extension's {@code beforeAll}. */
  synchronized void startOnce() {
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
}
