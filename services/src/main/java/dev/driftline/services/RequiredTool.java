package dev.driftline.services;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A test that needs a tool outside the JVM (a browser, a Python package, promtool): on a developer's
 * machine without it the test is skipped with the reason; in CI ({@code CI=true}, where
 * {@code .ci/run} installs every such tool) a missing tool fails the test, so a check can never
 * silently not run there.
 */
public final class RequiredTool {
  private RequiredTool() {}

  /** Skips (outside CI) or fails (in CI) the calling test when {@code present} is false. */
  public static void require(boolean present, String missing) {
    require(present, missing, "true".equalsIgnoreCase(System.getenv("CI")));
  }

  static void require(boolean present, String missing, boolean inCi) {
    if (present) {
      return;
    }
    if (inCi) {
      Assertions.fail(missing + " (CI=true: .ci/run installs it; a check that needs it must run, not skip)");
    }
    Assumptions.assumeTrue(false, missing);
  }
}
