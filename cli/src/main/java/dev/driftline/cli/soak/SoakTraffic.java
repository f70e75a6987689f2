package dev.driftline.cli.soak;

import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.synth.DriftInjection;
import dev.driftline.core.synth.TrafficConfig;
import dev.driftline.core.synth.TrafficEvent;
import dev.driftline.core.synth.TrafficGenerator;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.services.CheckedProducer;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Steady traffic in real time: the events of a {@link TrafficGenerator} whose event time is wall-clock
 * time, each written to Kafka when its time comes (predictions and labels keyed by prediction id,
 * the record timestamp its event time), or as soon as it can when it falls behind. Runs on a thread
 * of its own until the generator ends or {@link #close()}; a failed send stops it, and
 * {@link #failure()} says why. When the thread ends by itself every record it wrote was acknowledged
 * by the broker, or {@link #failure()} says how many were not ({@link CheckedProducer}).
 */
final class SoakTraffic implements AutoCloseable {
  private final Thread thread;
  private final AtomicLong predictions = new AtomicLong();
  private final AtomicLong labels = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicReference<String> failure = new AtomicReference<>();
  private volatile boolean stop;
  private volatile long endedNanos = -1;

  /**
   * The traffic of a run: {@code rate} predictions per second from {@code start} for {@code length},
   * values drawn around {@code profile}, labels {@link SoakCommand#LABEL_DELAY} later on average
   * ({@link SoakCommand#LABEL_MISSING} of them never), {@link SoakCommand#DRIFTED_FEATURE} shifted halfway.
   */
  static TrafficConfig config(MonitorSpec monitor, BaselineFile profile, Instant start, Duration length, double rate,
      long seed) {
    return TrafficConfig.of(monitor, start, length, rate, seed).withReference(profile)
        .withLabels(SoakCommand.LABEL_DELAY, SoakCommand.LABEL_MISSING)
        .withDrifts(List.of(new DriftInjection(SoakCommand.DRIFTED_FEATURE, start.plus(length.dividedBy(2)),
            DriftInjection.Kind.SHIFT, DriftInjection.Kind.SHIFT.defaultAmount())));
  }

  /**
   * As {@link #config}, from {@code start} or as many steps of {@code margin} later as it takes for
   * the final watermark to be at least {@code margin} from a window's end
   * ({@link UninterruptedDrift#watermarkMargin}): which windows close does not depend on timing.
   * Ends for any {@code margin} of at most a quarter of the window.
   */
  static TrafficConfig clearOfWindowEnds(MonitorSpec monitor, BaselineFile profile, Instant start, Duration length,
      double rate, long seed, Duration margin) {
    TrafficConfig config = config(monitor, profile, start, length, rate, seed);
    while (UninterruptedDrift.watermarkMargin(monitor, config) < margin.toMillis()) {
      start = start.plus(margin);
      config = config(monitor, profile, start, length, rate, seed);
    }
    return config;
  }

  /**
   * The events of {@code config}, each written when its time comes; those whose time is
   * {@code pacedUntil} (epoch ms) or later at once: with {@code config.end()}, the labels that follow
   * the last prediction, so that the traffic ends with the predictions.
   */
  SoakTraffic(KafkaConfig kafka, MonitorSpec spec, TrafficConfig config, String predictionsTopic, String labelsTopic,
      long pacedUntil) {
    Properties p = kafka.clientProperties();
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
    Iterator<TrafficEvent> events = new TrafficGenerator(config);
    String idField = spec.fields().predictionId();
    thread = new Thread(() -> {
      try (CheckedProducer<String, String> producer = new CheckedProducer<>(p)) {
        while (!stop && events.hasNext()) {
          TrafficEvent e = events.next();
          long wait = e.ts() - System.currentTimeMillis();
          if (wait > 0 && e.ts() < pacedUntil) {
            Thread.sleep(wait);
          }
          boolean prediction = e.type() == TrafficEvent.Type.PREDICTION;
          producer.send(new ProducerRecord<>(prediction ? predictionsTopic : labelsTopic, null, e.ts(),
              e.body().get(idField).asText(), e.json()), (metadata, error) -> {
                if (error != null) {
                  failure.compareAndSet(null, "writing to " + (prediction ? predictionsTopic : labelsTopic) + ": " + error);
                  stop = true;
                } else if (prediction) {
                  acknowledged.incrementAndGet();
                }
              });
          (prediction ? predictions : labels).incrementAndGet();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        failure.compareAndSet(null, "writing to " + predictionsTopic + " and " + labelsTopic + ": " + e.getMessage());
      } finally {
        endedNanos = System.nanoTime();
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

  /** Predictions the broker acknowledged so far: fewer than {@link #predictions()} while sends wait in the producer's buffer. */
  long acknowledgedPredictions() {
    return acknowledged.get();
  }

  /**
   * Waits until every event was written and acknowledged (the thread closed its producer), at most
   * {@code timeout}; true when it was.
   */
  boolean awaitEnd(Duration timeout) throws InterruptedException {
    thread.join(timeout.toMillis());
    return !thread.isAlive();
  }

  /** When ({@link System#nanoTime()}) the thread ended, its producer closed: every record acknowledged, or a failure; -1 before. */
  long endedNanos() {
    return endedNanos;
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
