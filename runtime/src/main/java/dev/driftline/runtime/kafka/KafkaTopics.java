package dev.driftline.runtime.kafka;

import dev.driftline.core.topics.NamedTopic;
import dev.driftline.core.topics.Topic;
import dev.driftline.core.topics.TopicState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates and describes topics as the catalogue ({@link Topic}) says, so that a job's missing input
 * is one clear line, not a restart loop, and what it creates has the catalogue's cleanup policy and
 * retention.
 */
public final class KafkaTopics {
  private KafkaTopics() {}

  /** What {@link #create} did with one topic. */
  public enum Outcome { CREATED, EXISTS }

  /**
   * Fails when a topic users create ({@link Topic#userCreated()}, an input others write) is missing;
   * creates the other missing topics with the catalogue's configs and the broker's default
   * partitions and replication. Existing topics are left as they are.
   */
  public static void ensure(KafkaConfig kafka, List<NamedTopic> topics) {
    withAdmin(kafka, admin -> {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      for (NamedTopic t : topics) {
        if (t.topic().userCreated() && !existing.contains(t.name())) {
          throw new IllegalArgumentException("Kafka at " + kafka.bootstrapServers() + " has no topic " + t.name()
              + "; create it (the job reads it) or name another with its option");
        }
      }
      List<NamedTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).distinct().toList();
      createAll(kafka, admin, missing, null, null);
      return null;
    });
  }

  /**
   * Creates each missing topic with the catalogue's configs, {@code partitions} and {@code replication}
   * (the broker's defaults when null); existing ones are left as they are.
   */
  public static Map<String, Outcome> create(KafkaConfig kafka, List<NamedTopic> topics, Integer partitions, Integer replication) {
    return withAdmin(kafka, admin -> {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      Map<String, Outcome> out = new LinkedHashMap<>();
      List<NamedTopic> missing = new ArrayList<>();
      for (NamedTopic t : topics) {
        boolean exists = existing.contains(t.name());
        out.put(t.name(), exists ? Outcome.EXISTS : Outcome.CREATED);
        if (!exists) {
          missing.add(t);
        }
      }
      createAll(kafka, admin, missing, partitions, replication);
      return out;
    });
  }

  /**
   * The broker's view of each of {@code names} that exists: partitions, the smallest replication
   * factor and the effective configs (set on the topic or the broker's defaults).
   */
  public static Map<String, TopicState> describe(KafkaConfig kafka, Collection<String> names) {
    return withAdmin(kafka, admin -> {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<String> present = names.stream().filter(existing::contains).distinct().toList();
      Map<String, TopicState> out = new TreeMap<>();
      if (present.isEmpty()) {
        return out;
      }
      Map<String, TopicDescription> descriptions = admin.describeTopics(present).allTopicNames().get(30, TimeUnit.SECONDS);
      List<ConfigResource> resources = present.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
      Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
      for (String name : present) {
        TopicDescription d = descriptions.get(name);
        int replication = d.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
        Map<String, String> values = new TreeMap<>();
        for (ConfigEntry e : configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name)).entries()) {
          if (e.value() != null) {
            values.put(e.name(), e.value());
          }
        }
        out.put(name, new TopicState(name, d.partitions().size(), replication, values));
      }
      return out;
    });
  }

  /**
   * Fails with one line unless {@code topic} exists with {@code cleanup.policy=compact} (compaction
   * alone: with {@code delete} too, old records would still expire). A job that reads a topic as a
   * table (each key's latest record, from the beginning) calls it at start.
   *
   * @param option the job's option naming the topic, for the message
   */
  public static void requireCompacted(KafkaConfig kafka, String topic, String option) {
    TopicState state = describe(kafka, List.of(topic)).get(topic);
    if (state == null) {
      throw new IllegalArgumentException("Kafka at " + kafka.bootstrapServers() + " has no topic " + topic + " (" + option + ")");
    }
    String policy = state.configs().getOrDefault(Topic.CLEANUP_POLICY, "delete");
    if (!policy.equals(Topic.Cleanup.COMPACT.value())) {
      throw new IllegalArgumentException(option + " " + topic + ": cleanup.policy is " + policy
          + ", expected compact (each model's latest baseline must outlive the retention); make it so with "
          + "kafka-configs.sh --alter --entity-type topics --entity-name " + topic + " --add-config cleanup.policy=compact");
    }
  }

  private static void createAll(KafkaConfig kafka, Admin admin, List<NamedTopic> missing, Integer partitions,
      Integer replication) throws Exception {
    if (missing.isEmpty()) {
      return;
    }
    List<NewTopic> topics = missing.stream()
        .map(t -> new NewTopic(t.name(), Optional.ofNullable(partitions), Optional.ofNullable(replication).map(Integer::shortValue))
            .configs(t.configs()))
        .toList();
    try {
      admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("Kafka at " + kafka.bootstrapServers() + ": cannot create topics "
            + topics.stream().map(NewTopic::name).toList() + ": " + KafkaErrors.cause(e.getCause(), kafka));
      }
    }
    // A created topic reaches the brokers' metadata a moment later: wait until it is listed, so that
    // what runs next (a describe, a job's consumer) finds it.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<String> names = missing.stream().map(NamedTopic::name).toList();
    while (!admin.listTopics().names().get(30, TimeUnit.SECONDS).containsAll(names)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Kafka at " + kafka.bootstrapServers() + ": created topics " + names
            + " are not listed after 30 s");
      }
      Thread.sleep(100);
    }
  }

  private interface AdminCall<T> {
    T call(Admin admin) throws Exception;
  }

  private static <T> T withAdmin(KafkaConfig kafka, AdminCall<T> call) {
    Properties p = kafka.clientProperties();
    // Unless the caller's client properties say otherwise (--kafka-property default.api.timeout.ms=...).
    p.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
    p.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    try (Admin admin = Admin.create(p)) {
      return call.call(admin);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw e;
    } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
      throw new IllegalStateException(KafkaErrors.describe(e, kafka));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking Kafka topics");
    } catch (Exception e) {
      throw new IllegalStateException(KafkaErrors.describe(e, kafka));
    }
  }
}
