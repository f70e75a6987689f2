package dev.driftline.cli.demo;

import dev.driftline.runtime.kafka.KafkaConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows the output topics ({@link DemoRecords#OUTPUTS}) as a read_committed consumer on a thread
 * of its own, hands every record to {@link DemoRecords} and keeps the console's progress status.
 */
final class DemoOutputs {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final DemoConsole console;
  private final DemoRecords records;
  private final AtomicBoolean running = new AtomicBoolean(true);
  /** Set by {@link #drain}: counted down by the loop once it has read every output to its committed end. */
  private volatile CountDownLatch drainRequest;
  private Map<TopicPartition, Long> drainTarget;
  private Thread thread;

  DemoOutputs(KafkaConfig kafka, DemoConsole console, DemoRecords records) {
    Properties p = kafka.clientProperties();
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "driftline-demo-printer");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    this.consumer = new KafkaConsumer<>(p);
    this.console = console;
    this.records = records;
  }

  void start() {
    consumer.subscribe(DemoRecords.OUTPUTS);
    thread = new Thread(this::loop, "driftline-demo-printer");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running.get()) {
      var batch = consumer.poll(Duration.ofMillis(300));
      for (ConsumerRecord<byte[], byte[]> r : batch) {
        records.accept(r.topic(), r.partition(), r.offset(), r.value());
      }
      checkDrain();
      if (!batch.isEmpty()) {
        console.status(String.format(Locale.ROOT, "  %d drift results, %d performance updates, %d feature records, %d labelled predictions",
            records.count("drift-results"), records.count("performance"), records.count("features.card_transactions"),
            records.count("labelled-predictions")));
      }
    }
    records.finish();
    consumer.close();
  }

  /**
   * Waits until every output topic has been read up to its last committed record as of now (the
   * jobs before it have finished and committed, so that is everything they wrote); gives up after a
   * minute.
   */
  void drain() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    drainRequest = done;
    done.await(60, TimeUnit.SECONDS);
    drainRequest = null;
  }

  /** On the loop's thread (the consumer is not thread-safe): whether a drain asked for is complete. */
  private void checkDrain() {
    CountDownLatch request = drainRequest;
    if (request == null) {
      drainTarget = null;
      return;
    }
    if (drainTarget == null) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : DemoRecords.OUTPUTS) {
        consumer.partitionsFor(topic).forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
      }
      // read_committed: the end offsets are the last stable ones, after the last committed transaction
      drainTarget = consumer.endOffsets(partitions);
    }
    var assigned = consumer.assignment();
    for (Map.Entry<TopicPartition, Long> end : drainTarget.entrySet()) {
      if (end.getValue() > 0 && (!assigned.contains(end.getKey()) || consumer.position(end.getKey()) < end.getValue())) {
        return;
      }
    }
    drainTarget = null;
    request.countDown();
  }

  /** Stops following; the windows still open are told. */
  void stop() throws InterruptedException {
    running.set(false);
    thread.join(10_000);
  }
}
