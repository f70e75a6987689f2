package dev.driftline.cli.soak;

import dev.driftline.connectors.kafka.KafkaConfig;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import java.util.Iterator;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Steady traffic in real time: the events of a {@link TrafficGenerator} whose event time is wall-clock
 * time, each written to Kafka when its time comes (predictions and labels keyed by prediction id,
 * the record timestamp its event time). Runs on a thread of its own until the generator ends or
 * {@link #close()}; a failed send stops it, and {@link #failure()} says why.
 */
final class SoakTraffic implements AutoCloseable {
  private final Thread thread;
  private final AtomicLong predictions = new AtomicLong();
  private final AtomicLong labels = new AtomicLong();
  private final AtomicReference<String> failure = new AtomicReference<>();
  private volatile boolean stop;

  SoakTraffic(KafkaConfig kafka, MonitorSpec spec, TrafficConfig config, String predictionsTopic, String labelsTopic) {
    Properties p = kafka.clientProperties();
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    Iterator<TrafficEvent> events = new TrafficGenerator(config);
    String idField = spec.fields().predictionId();
    thread = new Thread(() -> {
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
        while (!stop && events.hasNext()) {
          TrafficEvent e = events.next();
          long wait = e.ts() - System.currentTimeMillis();
          if (wait > 0) {
            Thread.sleep(wait);
          }
          boolean prediction = e.type() == TrafficEvent.Type.PREDICTION;
          producer.send(new ProducerRecord<>(prediction ? predictionsTopic : labelsTopic, null, e.ts(),
              e.body().get(idField).asText(), e.json()), (metadata, error) -> {
                if (error != null) {
                  failure.compareAndSet(null, "writing to " + (prediction ? predictionsTopic : labelsTopic) + ": " + error);
                  stop = true;
                }
              });
          (prediction ? predictions : labels).incrementAndGet();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "soak-traffic");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  long predictions() {
    return predictions.get();
  }

  long labels() {
    return labels.get();
  }

  /** Why the traffic stopped early, or null. */
  String failure() {
    return failure.get();
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.interrupt();
    thread.join(30_000);
  }
}
