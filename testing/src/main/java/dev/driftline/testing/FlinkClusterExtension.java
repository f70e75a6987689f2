package dev.driftline.testing;

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
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FlinkClusterExtension.class);
  private static volatile FlinkStandaloneCluster cluster;

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(FlinkStandaloneCluster.class, k -> new Running(start()), Running.class);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    FlinkStandaloneCluster c = cluster;
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

  private static synchronized FlinkStandaloneCluster start() {
    if (cluster == null) {
      cluster = FlinkStandaloneCluster.start(ServiceLocations.jvmDirectory("flink"));
    }
    return cluster;
  }

  /** The cluster; only valid in a class extended with this extension. */
  public static FlinkStandaloneCluster cluster() {
    FlinkStandaloneCluster c = cluster;
    if (c == null) {
      throw new IllegalStateException("no Flink cluster: annotate the test class with @ExtendWith(FlinkClusterExtension.class)");
    }
    return c;
  }

  /** Closed by JUnit when the root context ends, after the JVM's last test. */
  private record Running(FlinkStandaloneCluster cluster) implements AutoCloseable {
    @Override
    public void close() {
      synchronized (FlinkClusterExtension.class) {
        FlinkClusterExtension.cluster = null;
        cluster.close();
      }
    }
  }
}
