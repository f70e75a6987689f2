package dev.driftline.cli;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.GetResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.features.FeatureRecord;
import dev.driftline.core.features.FeatureView;
import dev.driftline.core.features.FeatureViewParser;
import dev.driftline.core.features.PointInTime;
import dev.driftline.core.io.InputException;
import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaErrors;
import dev.driftline.runtime.options.ElasticsearchOptions;
import dev.driftline.runtime.options.KafkaClientOptions;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code driftline features}: read the feature store. {@code get} answers from the online index
 * (the latest values per entity), {@code as-of} from the log topic (the values valid at a past
 * instant), {@code validate} checks a feature view.
 */
@Command(name = "features", mixinStandardHelpOptions = true,
    description = "Read the feature store (online index and log topic); validate feature views.")
final class FeaturesCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "get", mixinStandardHelpOptions = true,
      description = "Print the latest feature record of an entity from the online index driftline-features-<view>.")
  int get(
      @Option(names = "--view", required = true, paramLabel = "VIEW", description = "Feature view name.") String view,
      @Option(names = "--entity", required = true, paramLabel = "KEY", description = "Entity key.") String entity,
      @Option(names = "--es", paramLabel = "URL",
          description = "Elasticsearch URL (default: $DRIFTLINE_ES_URLS, else http://localhost:9200).") String url,
      @CommandLine.Mixin ElasticsearchOptions auth) {
    String urls = url != null ? url : System.getenv().getOrDefault(ElasticsearchConfig.ENV_URLS, "http://localhost:9200");
    ElasticsearchConfig config;
    try {
      config = auth.config(urls);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    String index = FeatureView.index(view);
    GetResponse<ObjectNode> doc;
    try (ElasticsearchClient client = config.newClient()) {
      doc = client.get(g -> g.index(index).id(entity), ObjectNode.class);
    } catch (ElasticsearchException e) {
      if (e.status() == 404) {
        throw new InputException(index + " at " + config.describeUrls() + ": no such index (has the feature pipeline written view " + view + "?)");
      }
      if (e.status() == 401 || e.status() == 403) {
        throw new InputException(config.failure(e));
      }
      throw new InputException(index + " at " + config.describeUrls() + ": " + firstLine(e.getMessage()));
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage()); // an unreadable CA certificate
    } catch (Exception e) {
      throw new InputException(config.failure(e));
    }
    if (!doc.found() || doc.source() == null) {
      throw new InputException(index + ": no features for entity \"" + entity + "\"");
    }
    print(doc.source().toString());
    return 0;
  }

  @Command(name = "as-of", mixinStandardHelpOptions = true,
      description = "Print the feature record of an entity valid at a past instant: the newest record in the log "
          + "topic features.<view> with as_of <= TIME (never one computed from later events).")
  int asOf(
      @Option(names = "--view", required = true, paramLabel = "VIEW", description = "Feature view name.") String view,
      @Option(names = "--entity", required = true, paramLabel = "KEY", description = "Entity key.") String entity,
      @Option(names = "--time", required = true, paramLabel = "TIME",
          description = "The instant, ISO-8601 (2026-03-02T10:15:00Z) or epoch millis.") String time,
      @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092", paramLabel = "HOST:PORT[,...]",
          description = "Kafka brokers (default: ${DEFAULT-VALUE}).") String bootstrap,
      @CommandLine.Mixin KafkaClientOptions client) {
    long t = parseTime(time);
    String topic = FeatureView.logTopic(view);
    KafkaConfig kafka;
    try {
      kafka = KafkaConfig.of(bootstrap, client.properties());
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    Optional<FeatureRecord> found = PointInTime.asOf(readEntity(kafka, topic, entity), entity, t);
    if (found.isEmpty()) {
      throw new InputException(topic + ": no record of entity \"" + entity + "\" with as_of <= " + Instant.ofEpochMilli(t));
    }
    print(new String(found.get().toJson(), StandardCharsets.UTF_8));
    return 0;
  }

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Validate a feature view; exit 2 with a one-line error naming the path in the document.")
  int validate(@Option(names = "--view", required = true, paramLabel = "FILE", description = "Feature view (YAML).") Path file) {
    FeatureView v = FeatureViewParser.load(file);
    print(String.format("%s: valid. view %s from topic %s (entity %s, time %s), %d features; log %s, index %s",
        file, v.name(), v.topic(), v.entityField(), v.timestampField(), v.features().size(), v.logTopic(), v.index()));
    return 0;
  }

  /**
   * The committed records of {@code entity} in {@code topic}, in log order. Only the partition the
   * default partitioner puts the key in (murmur2, as the job's Kafka sink writes) is read.
   */
  static List<FeatureRecord> readEntity(KafkaConfig kafka, String topic, String entity) {
    String bootstrap = kafka.bootstrapServers();
    Properties c = kafka.clientProperties();
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "driftline-features-as-of-" + UUID.randomUUID());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    byte[] key = entity.getBytes(StandardCharsets.UTF_8);
    List<FeatureRecord> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      List<PartitionInfo> partitions;
      try {
        partitions = consumer.partitionsFor(topic, Duration.ofSeconds(15));
      } catch (org.apache.kafka.common.KafkaException e) {
        throw new InputException(KafkaErrors.describe(e, kafka));
      }
      if (partitions == null || partitions.isEmpty()) {
        throw new InputException("Kafka at " + bootstrap + ": no topic " + topic + " (has the feature pipeline run for this view?)");
      }
      TopicPartition tp = new TopicPartition(topic, Utils.toPositive(Utils.murmur2(key)) % partitions.size());
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      long deadline = System.currentTimeMillis() + 60_000;
      while (consumer.position(tp) < end) {
        if (System.currentTimeMillis() > deadline) {
          throw new InputException(topic + ": reading partition " + tp.partition() + " timed out at offset " + consumer.position(tp));
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.key() != null && java.util.Arrays.equals(r.key(), key) && r.value() != null) {
            try {
              out.add(FeatureRecord.fromJson(r.value()));
            } catch (IllegalArgumentException e) {
              throw new InputException(topic + ":" + tp.partition() + "@" + r.offset() + ": " + e.getMessage());
            }
          }
        }
      }
    }
    return out;
  }

  static long parseTime(String text) {
    String s = text.trim();
    if (s.matches("\\d{1,18}")) {
      return Long.parseLong(s);
    }
    try {
      return Instant.parse(s).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new InputException("--time: expected an ISO-8601 instant such as 2026-03-02T10:15:00Z or epoch millis, got \"" + text + "\"");
    }
  }

  private void print(String line) {
    PrintWriter out = spec.commandLine().getOut();
    out.println(line);
    out.flush();
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}

