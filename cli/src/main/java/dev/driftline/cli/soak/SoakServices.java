package dev.driftline.cli.soak;

import dev.driftline.cli.bench.BenchData;
import dev.driftline.cli.bench.BenchSpecs;
import dev.driftline.core.baseline.BaselineFile;
import dev.driftline.core.baseline.BaselineFiles;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.MonitorSpecParser;
import dev.driftline.core.topics.NamedTopic;
import dev.driftline.core.topics.Topic;
import dev.driftline.runtime.kafka.KafkaConfig;
import dev.driftline.runtime.kafka.KafkaTopics;
import dev.driftline.services.ElasticsearchNode;
import dev.driftline.services.FlinkStandaloneCluster;
import dev.driftline.services.KafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What a soak or overload run runs on: the synthesized monitor ({@value SoakCommand#NUMERIC} numeric
 * and {@value SoakCommand#CATEGORICAL} categorical features, a generated baseline), Kafka
 * and Elasticsearch (started here unless given), the job's topics under the run's id, a standalone
 * Flink cluster, and the drift-detection job jar submitted to it (exactly-once sinks, consumer group
 * the run's id), running. {@link #close()} stops what was started here.
 */
final class SoakServices implements AutoCloseable {
  final String id;
  final Path work;
  final MonitorSpec monitor;
  final BaselineFile profile;
  final KafkaConfig kafka;
  final List<NamedTopic> topics;
  final FlinkStandaloneCluster cluster;
  final String jobId;
  private final KafkaBroker broker;
  private final CompletableFuture<ElasticsearchNode> es;

  /** Where and how to run: the job jar, the window and checkpoint interval, the seed of the profile, and the services to use. */
  record Settings(String prefix, Path dir, Path jar, Duration window, String checkpointInterval, long seed,
      String kafkaAddress, String esUrl) {}

  private SoakServices(String id, Path work, MonitorSpec monitor, BaselineFile profile, KafkaConfig kafka,
      List<NamedTopic> topics, FlinkStandaloneCluster cluster, String jobId, KafkaBroker broker,
      CompletableFuture<ElasticsearchNode> es) {
    this.id = id;
    this.work = work;
    this.monitor = monitor;
    this.profile = profile;
    this.kafka = kafka;
    this.topics = topics;
    this.cluster = cluster;
    this.jobId = jobId;
    this.broker = broker;
    this.es = es;
  }

  /** Starts everything and waits until the job runs; {@code progress} hears each step. */
  static SoakServices start(Settings s, Consumer<String> progress) throws Exception {
    String id = s.prefix() + "-" + Long.toString(System.currentTimeMillis(), 36);
    Path work = Files.createDirectories(s.dir().toAbsolutePath().resolve(id));
    Path profilePath = work.resolve("soak-profile.json");
    String yaml = BenchSpecs.monitorYaml(SoakCommand.MODEL, SoakCommand.NUMERIC, SoakCommand.CATEGORICAL, s.window(), false,
        SoakCommand.OUT_OF_ORDERNESS, SoakCommand.MAX_LABEL_DELAY, profilePath.toString());
    Files.writeString(work.resolve("monitor.yaml"), yaml);
    MonitorSpec monitor = MonitorSpecParser.parse(work.resolve("monitor.yaml").toString(), yaml);
    BaselineFile profile = BenchData.profile(monitor, s.seed(), work);
    BaselineFiles.write(profile, profilePath);
    progress.accept("baseline of " + SoakCommand.NUMERIC + " numeric and " + SoakCommand.CATEGORICAL
        + " categorical features in " + profilePath);

    KafkaBroker broker = null;
    CompletableFuture<ElasticsearchNode> es = null;
    FlinkStandaloneCluster cluster = null;
    try {
      progress.accept("starting " + (s.kafkaAddress() == null ? "Kafka, " : "") + (s.esUrl() == null ? "Elasticsearch, " : "")
          + "a standalone Flink cluster in " + work + " ...");
      es = s.esUrl() != null ? null : CompletableFuture.supplyAsync(() -> startElasticsearch(work.resolve("elasticsearch")));
      if (s.kafkaAddress() == null) {
        broker = KafkaBroker.start(work.resolve("kafka"), 0);
      }
      KafkaConfig kafka = KafkaConfig.of(broker != null ? broker.bootstrapServers() : s.kafkaAddress());
      List<NamedTopic> topics = SoakCommand.TOPICS.stream().map(t -> t.named(id + "-" + t.defaultName())).toList();
      KafkaTopics.create(kafka, topics, SoakCommand.PARTITIONS, null);
      cluster = FlinkStandaloneCluster.start(work.resolve("flink"));
      progress.accept("cluster up at " + cluster.restUrl());
      List<String> args = new ArrayList<>(List.of("--spec", work.resolve("monitor.yaml").toString(), "--bootstrap-servers",
          kafka.bootstrapServers(), "--es-url", es != null ? es.join().httpUrl() : s.esUrl(), "--checkpoint-interval",
          s.checkpointInterval(), "--delivery", "exactly-once", "--group-id", id));
      for (int i = 0; i < SoakCommand.TOPICS.size(); i++) {
        args.add(SoakCommand.TOPIC_OPTIONS.get(i));
        args.add(topics.get(i).name());
      }
      String jobId = cluster.submit(s.jar(), args.toArray(String[]::new));
      cluster.awaitRunning(jobId, Duration.ofSeconds(120));
      return new SoakServices(id, work, monitor, profile, kafka, topics, cluster, jobId, broker, es);
    } catch (Exception | Error e) {
      stop(cluster, es, broker);
      throw e;
    }
  }

  /** The name of the run's topic {@code topic}, one of {@link SoakCommand#TOPICS}. */
  String topic(Topic topic) {
    return topics.get(SoakCommand.TOPICS.indexOf(topic)).name();
  }

  /** Fails with the cluster's directory when the job is not running. */
  void requireRunning() {
    String status = cluster.jobStatus(jobId);
    if (!status.equals("RUNNING")) {
      throw new IllegalStateException("job " + jobId + " is " + status + ", expected RUNNING; see " + work.resolve("flink"));
    }
  }

  @Override
  public void close() {
    stop(cluster, es, broker);
  }

  private static void stop(FlinkStandaloneCluster cluster, CompletableFuture<ElasticsearchNode> es, KafkaBroker broker) {
    if (cluster != null) {
      cluster.close();
    }
    if (es != null && !es.isCompletedExceptionally()) {
      es.join().close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  private static ElasticsearchNode startElasticsearch(Path dir) {
    try {
      return ElasticsearchNode.start(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
