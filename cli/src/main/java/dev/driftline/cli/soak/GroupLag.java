package dev.driftline.cli.soak;

import dev.driftline.runtime.kafka.KafkaConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The lag of a consumer group on its input topics as the broker sees it: the end offsets minus the
 * offsets the group committed (Flink's Kafka source commits them when a checkpoint completes, so this
 * runs up to a checkpoint interval behind what the job has read). Not thread-safe.
 */
final class GroupLag implements AutoCloseable {
  private final String group;
  private final List<String> inputs;
  private final Admin admin;

  GroupLag(KafkaConfig kafka, String group, List<String> inputs) {
    this.group = group;
    this.inputs = List.copyOf(inputs);
    this.admin = Admin.create(kafka.clientProperties());
  }

  /** Records of the inputs not yet committed by the group, summed over their partitions. */
  long records() {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
      admin.describeTopics(inputs).allTopicNames().get(30, TimeUnit.SECONDS).forEach((topic, d) ->
          d.partitions().forEach(pi -> ends.put(new TopicPartition(topic, pi.partition()), OffsetSpec.latest())));
      long lag = 0;
      for (var e : admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS).entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        lag += e.getValue().offset() - (c == null ? 0 : c.offset());
      }
      return lag;
    } catch (Exception e) {
      throw new IllegalStateException("lag of consumer group " + group + " on " + inputs + ": " + e, e);
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
