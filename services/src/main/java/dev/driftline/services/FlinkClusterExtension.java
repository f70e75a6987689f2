package dev.driftline.services;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: one real {@link FlinkStandaloneCluster} (no high availability, {@value
 * FlinkStandaloneCluster#SLOTS} slots) per test JVM, started before the first class that uses it
 * and stopped when the JVM's tests are done, under {@code target/flink-PID} of the module under
 * test. For classes that submit, stop, resume and cancel jobs on it; a class that kills or
 * reconfigures the cluster's processes starts a cluster of its own.
 *
 * <p>A job takes all the slots, so a class must not leave one running: after each class the
 * extension cancels the jobs still running and fails the class that left them. Use
 * {@link #cluster()} in tests.
 */
public final class FlinkClusterExtension implements BeforeAllCallback, AfterAllCallback {
  private static final PerJvmService<FlinkStandaloneCluster> CLUSTER = new PerJvmService<>(
      "no Flink cluster: annotate the test class with @ExtendWith(FlinkClusterExtension.class)",
      () -> FlinkStandaloneCluster.start(ServiceLocations.jvmDirectory("flink")));

  @Override
  public void beforeAll(ExtensionContext context) {
    CLUSTER.startOnce();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    FlinkStandaloneCluster c = CLUSTER.running();
    if (c == null) {
      return;
    }
    List<String> left = c.unfinishedJobs();
    left.forEach(job -> c.cancel(job, java.time.Duration.ofMinutes(1)));
    if (!left.isEmpty()) {
      throw new IllegalStateException(context.getDisplayName() + " left jobs " + left + " running on the shared Flink "
          + "cluster; expected none (cancelled now)");
    }
  }

  /** The cluster; only valid in a class extended with this extension. */
  public static FlinkStandaloneCluster cluster() {
    return CLUSTER.get();
  }
}
