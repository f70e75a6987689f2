package dev.driftline.services;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A producer of generated input (tests, the demo, the benchmark) that cannot lose records silently:
 * every send is watched, and {@link #close} throws when any record was not delivered. A test that
 * sends without looking at the futures would otherwise compare the job's output with input the
 * broker never got (on a loaded machine a batch can fail, and an idempotent producer can wedge on
 * sequence errors).
 */
public final class CheckedProducer<K, V> extends KafkaProducer<K, V> {
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<Exception> first = new AtomicReference<>();

  public CheckedProducer(Properties config) {
    super(config);
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
    return super.send(record, (metadata, e) -> {
      if (e != null) {
        failed.incrementAndGet();
        first.compareAndSet(null, e);
      }
      if (callback != null) {
        callback.onCompletion(metadata, e);
      }
    });
  }

  /** Closes (waiting for every record in flight), then fails if any record was not delivered. */
  @Override
  public void close(Duration timeout) {
    super.close(timeout);
    Exception e = first.get();
    if (e != null) {
      throw new IllegalStateException(failed.get() + " records were not delivered to Kafka, first: " + e, e);
    }
  }
}
