package dev.driftline.connectors.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Checks a job's topics before it starts, so that a missing one is one clear line, not a restart loop. */
public final class KafkaTopics {
  private KafkaTopics() {}

  /**
   * Fails when a {@code required} topic (an input others write) is missing; creates missing
   * {@code owned} topics (the job's own inputs and outputs) with the broker's default settings.
   */
  public static void ensure(KafkaConfig kafka, List<String> required, List<String> owned) {
    Properties p = kafka.clientProperties();
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    try (Admin admin = Admin.create(p)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      for (String topic : required) {
        if (!existing.contains(topic)) {
          throw new IllegalArgumentException("Kafka at " + kafka.bootstrapServers() + " has no topic " + topic
              + "; create it (the job reads it) or name another with its option");
        }
      }
      List<NewTopic> missing = new ArrayList<>();
      for (String topic : owned) {
        if (!existing.contains(topic)) {
          missing.add(new NewTopic(topic, Optional.empty(), Optional.empty()));
        }
      }
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("Kafka at " + kafka.bootstrapServers() + ": cannot create topics "
                + missing.stream().map(NewTopic::name).toList() + ": " + KafkaErrors.cause(e.getCause(), kafka));
          }
        }
      }
    } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
      throw new IllegalStateException(KafkaErrors.describe(e, kafka));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking Kafka topics");
    }
  }
}
