package dev.driftline.services;

/**
 * A launched service's stop action, run once: by {@link #close()}, or by a shutdown hook when the
 * JVM exits first (a test run cut short must not leave brokers and nodes behind). Thread-safe.
 */
final class StopOnExit implements AutoCloseable {
  private final Runnable stop;
  private final Thread hook;
  private boolean stopped;

  /** Registers the hook, named {@code name} (as thread dumps show it). */
  StopOnExit(String name, Runnable stop) {
    this.stop = stop;
    this.hook = new Thread(this::stopOnce, name);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Whether the stop action has run (or is running). */
  synchronized boolean stopped() {
    return stopped;
  }

  private synchronized void stopOnce() {
    if (stopped) {
      return;
    }
    stopped = true;
    stop.run();
  }

  /** Runs the stop action unless it ran already, and removes the hook. */
  @Override
  public void close() {
    stopOnce();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run; it does the same
    }
  }
}
