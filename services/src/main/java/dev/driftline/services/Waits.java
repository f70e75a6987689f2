package dev.driftline.services;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling for a condition in tests on real services, which take their time on a busy machine. */
public final class Waits {
  private Waits() {}

  /**
   * Returns once {@code condition} holds, checking every 250 ms; fails after {@code timeout} with
   * {@code what} and {@code state} (e.g. counts so far, where the logs are).
   */
  public static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> state) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what + " (" + state.get() + ")");
      }
      ProcessTrees.pause(250);
    }
  }
}
