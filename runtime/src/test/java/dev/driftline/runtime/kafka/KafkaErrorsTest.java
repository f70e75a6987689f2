package dev.driftline.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class KafkaErrorsTest {
  static final KafkaConfig SCRAM = KafkaConfig.of("k:9092", Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
      "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svc\" password=\"hunter2\";"));

  @Test
  void aRefusedLoginNamesTheMechanismAndTheUserButNotThePassword() {
    String line = KafkaErrors.describe(new ExecutionException(new SaslAuthenticationException(
        "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512")), SCRAM);

    assertThat(line).isEqualTo("Kafka at k:9092: authentication failed (SASL SCRAM-SHA-512) for user \"svc\"");
  }

  @Test
  void aTimeoutSaysNoAnswer() {
    assertThat(KafkaErrors.describe(new TimeoutException("Timed out waiting for a node assignment. Call: listTopics"), KafkaConfig.of("k:9092")))
        .isEqualTo("Kafka at k:9092: did not answer (Timed out waiting for a node assignment. Call: listTopics)");
  }
}
