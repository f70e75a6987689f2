package dev.driftline.runtime.deadletter;

import dev.driftline.runtime.kafka.KafkaConfig;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How large a dead letter may be: the smaller of the producer's {@code max.request.size} and the
 * dead-letter topic's {@code max.message.bytes} (the broker's {@code message.max.bytes} when the
 * topic does not exist yet and will be created with the broker's defaults), less room for the
 * record's framing, key and headers. Read once when a writer opens.
 */
final class DeadLetterLimit {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterLimit.class);
  /** Kafka's default {@code message.max.bytes}, used when the broker's own cannot be read. */
  static final int KAFKA_DEFAULT_MESSAGE_BYTES = 1_048_588;
  /** Room for a record batch's header, the record's framing, its key (the stage) and the schema header. */
  static final int RECORD_OVERHEAD_BYTES = 1024;
  /** A topic that takes less than this is refused: a dead letter's fields alone (reason, key) can need it. */
  static final int MIN_DOCUMENT_BYTES = 4096;

  private DeadLetterLimit() {}

  static Properties adminProperties(KafkaConfig kafka) {
    Properties p = kafka.clientProperties();
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    return p;
  }

  /** The largest record {@code producer} may send to {@code topic}, in bytes. */
  static int read(Admin admin, String topic, Properties producer) {
    Object request = producer.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    int requestLimit = request == null ? 1_048_576 : Integer.parseInt(request.toString().trim());
    return Math.min(requestLimit, topicLimit(admin, topic));
  }

  /** The size of the largest JSON document a record of at most {@code recordLimit} bytes can carry. */
  static int documentBytes(int recordLimit) {
    int document = recordLimit - RECORD_OVERHEAD_BYTES;
    if (document < MIN_DOCUMENT_BYTES) {
      throw new IllegalArgumentException("dead-letter topic: takes records of at most " + recordLimit
          + " bytes; dead letters need at least " + (MIN_DOCUMENT_BYTES + RECORD_OVERHEAD_BYTES)
          + " (max.message.bytes, max.request.size)");
    }
    return document;
  }

  private static int topicLimit(Admin admin, String topic) {
    try {
      try {
        return value(describe(admin, new ConfigResource(ConfigResource.Type.TOPIC, topic)), TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
      // Not there yet: it will be created with the broker's defaults.
      List<Node> nodes = List.copyOf(admin.describeCluster().nodes().get(20, TimeUnit.SECONDS));
      return value(describe(admin, new ConfigResource(ConfigResource.Type.BROKER, nodes.get(0).idString())), "message.max.bytes");
    } catch (ExecutionException e) {
      return unreadable(topic, e.getCause());
    } catch (TimeoutException | RuntimeException e) {
      return unreadable(topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unreadable(topic, e);
    }
  }

  private static Config describe(Admin admin, ConfigResource resource)
      throws ExecutionException, InterruptedException, TimeoutException {
    return admin.describeConfigs(List.of(resource)).all().get(20, TimeUnit.SECONDS).get(resource);
  }

  private static int value(Config config, String name) {
    ConfigEntry entry = config == null ? null : config.get(name);
    return entry == null || entry.value() == null ? KAFKA_DEFAULT_MESSAGE_BYTES : Integer.parseInt(entry.value());
  }

  private static int unreadable(String topic, Throwable e) {
    LOG.warn("dead-letter topic {}: cannot read its max.message.bytes ({}); assuming Kafka's default {}", topic,
        e.toString(), KAFKA_DEFAULT_MESSAGE_BYTES);
    return KAFKA_DEFAULT_MESSAGE_BYTES;
  }
}
