package dev.driftline.cli;

import dev.driftline.core.baseline.BaselineBuilder;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.baseline.BaselineFiles;
import dev.driftline.core.io.CsvTable;
import dev.driftline.core.io.InputException;
import dev.driftline.core.schema.RecordSchema;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaSinks;
import dev.driftline.runtime.options.KafkaClientOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code driftline baseline build}: a model's baseline from training data. */
@Command(name = "baseline", mixinStandardHelpOptions = true,
    description = "Build baselines from training data.")
final class BaselineCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "build", mixinStandardHelpOptions = true,
      description = "Profile every spec feature of a training CSV (header row; empty cell = missing): "
          + "deterministic histogram, exact quantile bins and, up to 10000 values, the values themselves; category counts.")
  int build(
      @Option(names = "--spec", required = true, paramLabel = "SPEC", description = "Monitor spec (YAML).") Path specFile,
      @Option(names = "--input", required = true, paramLabel = "TRAINING.csv", description = "Training data with a header row.") Path input,
      @Option(names = "--out", required = true, paramLabel = "PROFILE.json", description = "Where to write the profile.") Path out,
      @Option(names = "--publish", paramLabel = "kafka://HOST:PORT[,...]/TOPIC",
          description = "Also publish the profile on this baselines topic, keyed by model id, where running drift jobs pick it up.")
      String publish,
      @Option(names = "--trigger-id", paramLabel = "ID",
          description = "Record in the profile that it answers this retrain trigger (trainers use it to answer each trigger once).")
      String triggerId,
      @CommandLine.Mixin KafkaClientOptions client) {
    MonitorSpec monitor = MonitorSpecParser.load(specFile);
    Destination destination = publish == null ? null : Destination.parse(publish);
    BaselineFile profile = BaselineBuilder.build(monitor, CsvTable.read(input), Instant.now());
    if (triggerId != null) {
      if (triggerId.isBlank()) {
        throw new InputException("--trigger-id: expected a trigger id, got an empty string");
      }
      profile = profile.answering(triggerId);
    }
    BaselineFiles.write(profile, out);
    spec.commandLine().getOut().printf("wrote %s: profile %s, %d rows, %d features%n",
        out, profile.profileId(), profile.rows(), profile.features().size());
    if (profile.calibration() != null) {
      spec.commandLine().getOut().printf("calibration: %s on %d labelled rows (%d positive): windows get estimated performance before labels%n",
          profile.calibration().method(), profile.calibration().rows(), profile.calibration().positives());
    } else if (profile.classCalibrations() != null) {
      spec.commandLine().getOut().printf("class calibrations: %s on %d labelled rows: windows get estimated accuracy and "
          + "macro F1 before labels%n", profile.classCalibrations().get(0).method(), profile.classCalibrations().get(0).rows());
    } else if (BaselineFiles.noEstimationReason(profile, monitor) != null) {
      spec.commandLine().getOut().println(BaselineFiles.noEstimationReason(profile, monitor));
    }
    if (destination != null) {
      RecordMetadata sent = destination.send(profile.modelId(), out, client);
      spec.commandLine().getOut().printf("published %s on %s (key %s, partition %d, offset %d)%n",
          profile.profileId(), publish, profile.modelId(), sent.partition(), sent.offset());
    }
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** A baselines topic given as {@code kafka://HOST:PORT[,HOST:PORT...]/TOPIC}. */
  record Destination(String bootstrapServers, String topic) {
    private static final String SCHEME = "kafka://";

    static Destination parse(String uri) {
      int slash = uri.startsWith(SCHEME) ? uri.indexOf('/', SCHEME.length()) : -1;
      String servers = slash < 0 ? "" : uri.substring(SCHEME.length(), slash);
      String topic = slash < 0 ? "" : uri.substring(slash + 1);
      if (servers.isEmpty() || topic.isEmpty() || topic.contains("/")) {
        throw new InputException("--publish: expected kafka://HOST:PORT[,HOST:PORT...]/TOPIC, got \"" + uri + "\"");
      }
      return new Destination(servers, topic);
    }

    /**
     * Sends the profile file's bytes (the document exactly as written) keyed by model id, as the
     * example trainers do, and waits for the broker's acknowledgement.
     */
    RecordMetadata send(String modelId, Path profileFile, KafkaClientOptions client) {
      KafkaConfig kafka;
      try {
        kafka = KafkaConfig.of(bootstrapServers, client.properties());
      } catch (IllegalArgumentException e) {
        throw new InputException(e.getMessage());
      }
      Properties p = kafka.clientProperties();
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
      // An unreachable broker is an error within half a minute, not a hang.
      p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
      p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
      p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
      String where = SCHEME + bootstrapServers + "/" + topic;
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
        return producer.send(new ProducerRecord<>(topic, null, modelId.getBytes(StandardCharsets.UTF_8),
            Files.readAllBytes(profileFile), KafkaSinks.headers(RecordSchema.BASELINE))).get();
      } catch (ExecutionException e) {
        throw new InputException(where + ": cannot publish: " + e.getCause().getMessage());
      } catch (KafkaException e) {
        throw new InputException(where + ": cannot publish: " + e.getMessage());
      } catch (IOException e) {
        throw new InputException(profileFile + ": cannot read: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InputException(where + ": interrupted while publishing");
      }
    }
  }
}
