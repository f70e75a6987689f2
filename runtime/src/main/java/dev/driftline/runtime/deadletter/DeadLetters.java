package dev.driftline.runtime.deadletter;

import dev.driftline.runtime.elasticsearch.ElasticsearchConfig;
import dev.driftline.runtime.elasticsearch.ElasticsearchSink;
import dev.driftline.runtime.elasticsearch.EsOperation;
import dev.driftline.runtime.kafka.KafkaConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.util.OutputTag;

/** The side output every decode step writes to, the Kafka sink of the dead-letter topic and the dead-letter index's sink. */
public final class DeadLetters {
  public static final OutputTag<DeadLetter> TAG =
      new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

  private DeadLetters() {}

  /**
   * At-least-once (a dead letter is evidence, and a duplicate of evidence harms nobody), each
   * bounded to what the topic accepts: see {@link KafkaDeadLetterSink}.
   */
  public static Sink<DeadLetter> kafkaSink(KafkaConfig config, String topic) {
    return new KafkaDeadLetterSink(config, topic);
  }

  /**
   * The {@code driftline-dead-letters} index (template {@code driftline-dead-letters}), which the
   * dashboard's dead-letter chart reads. A record's dead letter is indexed under its source
   * position ({@code stage|topic|partition|offset}), so a replay overwrites it; one without a
   * position (a repeated prediction id, a late window partial) under its stage, key, record time and failure time. A dead letter the
   * index refuses goes to {@code deadLetterTopic} with Elasticsearch's reason, never back here.
   */
  public static ElasticsearchSink<DeadLetter> elasticsearchSink(ElasticsearchConfig es, KafkaConfig kafka,
      String deadLetterTopic) {
    return ElasticsearchSink.<DeadLetter>builder()
        .setConfig(es)
        .setConverter(d -> EsOperation.index(INDEX, documentId(d), DeadLetterJson.toJson(d, INDEX_DOCUMENT_BYTES)))
        .setDeadLetterSink(new KafkaDeadLetterSink(kafka, deadLetterTopic))
        .build();
  }

  /** The index of dead letters. */
  public static final String INDEX = "driftline-dead-letters";
  /**
   * The largest dead-letter document indexed: well inside the sink's 1 MiB record limit; the index
   * serves the dashboard (stage, reason, source position), the topic keeps as much of the value as fits.
   */
  static final int INDEX_DOCUMENT_BYTES = 256 * 1024;

  static String documentId(DeadLetter d) {
    return d.offset() >= 0
        ? String.join("|", d.stage(), String.valueOf(d.topic()), String.valueOf(d.partition()), String.valueOf(d.offset()))
        : String.join("|", d.stage(), idKey(d.key()), String.valueOf(d.recordTimestamp()), String.valueOf(d.failedAt()));
  }

  /** The key as text in a document id, or its SHA-256 when long: Elasticsearch refuses ids over 512 bytes. */
  private static String idKey(byte[] key) {
    if (key == null) {
      return "";
    }
    if (key.length <= 256) {
      return new String(key, StandardCharsets.UTF_8);
    }
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JVM has SHA-256
    }
  }
}
