package dev.driftline.services;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: one real Kafka broker per test JVM, started before the first class that
 * uses it and stopped when the JVM's tests end. Its logs are under {@code target/kafka-PID} of the
 * module under test. Use {@link #broker()} in tests.
 */
public final class KafkaExtension implements BeforeAllCallback {
  private static final PerJvmService<KafkaBroker> BROKER = new PerJvmService<>(
      "no Kafka broker: annotate the test class with @ExtendWith(KafkaExtension.class)",
      () -> KafkaBroker.start(ServiceLocations.jvmDirectory("kafka"), 0));

  @Override
  public void beforeAll(ExtensionContext context) {
    BROKER.startOnce();
  }

  /** The broker; only valid in a class extended with this extension. */
  public static KafkaBroker broker() {
    return BROKER.get();
  }
}
