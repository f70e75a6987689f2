package dev.driftline.services;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: one {@link ScramKafkaBroker} (SASL_PLAINTEXT, SCRAM-SHA-256) per test JVM,
 * started before the first class that uses it and stopped when the JVM's tests end. Its logs are
 * under {@code target/kafka-scram-PID} of the module under test.
 */
public final class ScramKafkaExtension implements BeforeAllCallback {
  private static final PerJvmService<ScramKafkaBroker> BROKER = new PerJvmService<>(
      "no SASL Kafka broker: annotate the test class with @ExtendWith(ScramKafkaExtension.class)",
      () -> ScramKafkaBroker.start(ServiceLocations.jvmDirectory("kafka-scram")));

  @Override
  public void beforeAll(ExtensionContext context) {
    BROKER.startOnce();
  }

  /** The broker; only valid in a class extended with this extension. */
  public static ScramKafkaBroker broker() {
    return BROKER.get();
  }
}
