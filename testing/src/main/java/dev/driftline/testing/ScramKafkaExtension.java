package dev.driftline.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: one {@link ScramKafkaBroker} (SASL_PLAINTEXT, SCRAM-SHA-256) per test JVM,
 * started before the first class that uses it and stopped when the JVM's tests end. Its logs are
 * under {@code target/kafka-scram-PID} of the module under test.
 */
public final class ScramKafkaExtension implements BeforeAllCallback {
  private static volatile ScramKafkaBroker broker;

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(ScramKafkaExtension.class, k -> new Running(start()), Running.class);
  }

  private static synchronized ScramKafkaBroker start() {
    if (broker == null) {
      broker = ScramKafkaBroker.start(ServiceLocations.jvmDirectory("kafka-scram"));
    }
    return broker;
  }

  /** The broker; only valid in a class extended with this extension. */
  public static ScramKafkaBroker broker() {
    ScramKafkaBroker b = broker;
    if (b == null) {
      throw new IllegalStateException("no SASL Kafka broker: annotate the test class with @ExtendWith(ScramKafkaExtension.class)");
    }
    return b;
  }

  private record Running(ScramKafkaBroker broker) implements AutoCloseable {
    @Override
    public void close() {
      synchronized (ScramKafkaExtension.class) {
        broker.close();
        ScramKafkaExtension.broker = null;
      }
    }
  }
}
