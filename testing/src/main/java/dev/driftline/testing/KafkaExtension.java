package dev.driftline.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: one real Kafka broker per test JVM, started before the first class that
 * uses it and stopped when the JVM's tests end. Its logs are under {@code target/kafka-PID} of the
 * module under test. Use {@link #broker()} in tests.
 */
public final class KafkaExtension implements BeforeAllCallback {
  private static volatile KafkaBroker broker;

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(KafkaExtension.class, k -> new Running(start()), Running.class);
  }

  private static synchronized KafkaBroker start() {
    if (broker == null) {
      broker = KafkaBroker.start(ServiceLocations.jvmDirectory("kafka"), 0);
    }
    return broker;
  }

  /** The broker; only valid in a class extended with this extension. */
  public static KafkaBroker broker() {
    KafkaBroker b = broker;
    if (b == null) {
      throw new IllegalStateException("no Kafka broker: annotate the test class with @ExtendWith(KafkaExtension.class)");
    }
    return b;
  }

  private record Running(KafkaBroker broker) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    @Override
    public void close() {
      synchronized (KafkaExtension.class) {
        broker.close();
        KafkaExtension.broker = null;
      }
    }
  }
}
