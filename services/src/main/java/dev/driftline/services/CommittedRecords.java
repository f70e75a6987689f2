package dev.driftline.services;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A read_committed consumer of one topic from its beginning, polling on its own thread for as long
 * as it is open, so a test can watch exactly-once output become visible while it breaks things:
 * every record with the time it arrived ({@link System#nanoTime()}), each checked against its JSON
 * Schema ({@link TopicSchemas#check}; a record that does not match fails the next read of this). It assigns itself all the
 * topic's partitions rather than joining a group: a group's rebalance after a broker restart would
 * start it over from the beginning (nothing committed) and make every record look duplicated.
 * Thread-safe.
 */
public final class CommittedRecords implements AutoCloseable {
  /** A record as read, and when. */
  public record Arrival(ConsumerRecord<byte[], byte[]> record, long nanoTime) {}

  private final String topic;
  private final List<Arrival> arrivals = new ArrayList<>();
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread poller;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean open = true;

  private CommittedRecords(String bootstrap, String topic) {
    this.topic = topic;
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumer = new KafkaConsumer<>(c);
    List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    if (partitions.isEmpty()) {
      consumer.close();
      throw new IllegalStateException("topic " + topic + " at " + bootstrap + " has no partitions (create it first)");
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    poller = new Thread(this::poll, "committed-records-" + topic);
    poller.setDaemon(true);
  }

  /** Starts reading {@code topic}, which must exist, from its beginning. */
  public static CommittedRecords follow(String bootstrap, String topic) {
    CommittedRecords r = new CommittedRecords(bootstrap, topic);
    r.poller.start();
    return r;
  }

  private void poll() {
    try {
      while (open) {
        var records = consumer.poll(Duration.ofMillis(200));
        long now = System.nanoTime();
        records.forEach(TopicSchemas::check);
        synchronized (arrivals) {
          records.forEach(r -> arrivals.add(new Arrival(r, now)));
        }
      }
    } catch (WakeupException closing) {
      // close() woke the poll up
    } catch (RuntimeException | Error e) {
      // Any of them, a missing class among them: a reader that stopped must not look like one with nothing to read.
      failure.set(e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Records read so far. */
  public int count() {
    check();
    synchronized (arrivals) {
      return arrivals.size();
    }
  }

  /** Everything read so far, in arrival order. */
  public List<Arrival> arrivals() {
    check();
    synchronized (arrivals) {
      return List.copyOf(arrivals);
    }
  }

  /** The values read so far, in arrival order. */
  public List<byte[]> values() {
    return arrivals().stream().map(a -> a.record().value()).toList();
  }

  /** When the first record after the first {@code n} arrived, or -1 when none has yet. */
  public long arrivalOf(int n) {
    synchronized (arrivals) {
      return arrivals.size() > n ? arrivals.get(n).nanoTime() : -1;
    }
  }

  /**
   * Waits until at least {@code n} records arrived, then until none arrived for {@code quiet} (so
   * that duplicates past the expected count show up too); fails after {@code timeout}.
   */
  public void awaitAtLeast(int n, Duration quiet, Duration timeout) {
    awaitAtLeast(quiet, timeout, new Expected(this, n));
  }

  /** At least {@code n} committed records on {@code records}' topic. */
  public record Expected(CommittedRecords records, int n) {}

  /**
   * As {@link #awaitAtLeast(int, Duration, Duration)} for several topics at once: waits until each
   * has its count, then for one quiet spell in which none of them grows (one spell for all, where
   * one call per topic would wait a spell each).
   */
  public static void awaitAtLeast(Duration quiet, Duration timeout, Expected... expected) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Expected e : expected) {
      while (e.records().count() < e.n()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("not within " + timeout.toSeconds() + " s: " + e.n() + " committed records on "
              + e.records().topic + " (read " + e.records().count() + ")");
        }
        ProcessTrees.pause(100);
      }
    }
    int seen = total(expected);
    long quietSince = System.nanoTime();
    while (System.nanoTime() - quietSince < quiet.toNanos()) {
      ProcessTrees.pause(100);
      if (total(expected) != seen) {
        seen = total(expected);
        quietSince = System.nanoTime();
      }
    }
  }

  private static int total(Expected... expected) {
    int n = 0;
    for (Expected e : expected) {
      n += e.records().count();
    }
    return n;
  }

  private void check() {
    Throwable e = failure.get();
    if (e instanceof AssertionError a) {
      throw a;
    }
    if (e != null) {
      throw new IllegalStateException("reading " + topic + " read_committed: " + e, e);
    }
  }

  @Override
  public void close() {
    open = false;
    consumer.wakeup();
    try {
      poller.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
