package dev.driftline.services;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) in a child JVM on
 * 127.0.0.1, from the Kafka jars the build resolved. Transactions work (replication factor and
 * min ISR 1 for the internal topics), so exactly-once sinks can be tested against it.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Path workDir;
  private final int port;
  private volatile Process process;
  /** The broker's command line, for {@link #restart()}. */
  private List<String> command;
  private final StopOnExit stopper;

  private KafkaBroker(Path workDir, int port, Process process) {
    this.workDir = workDir;
    this.port = port;
    this.process = process;
    this.stopper = new StopOnExit("stop-kafka-broker", () -> ProcessTrees.destroy(this.process));
  }

  /**
   * Formats a fresh log directory under {@code workDir} and starts the broker; returns once it
   * answers admin requests. Its log is {@code workDir/kafka.log}.
   *
   * @param port the client port, or 0 for a free one
   */
  public static KafkaBroker start(Path workDir, int port) {
    try {
      Files.createDirectories(workDir);
      int clientPort = port == 0 ? ServiceLocations.freePort() : port;
      int controllerPort = ServiceLocations.freePort();
      Path data = Files.createTempDirectory(workDir, "kafka-data-");
      Path config = writeConfig(workDir, data, controllerPort,
          List.of("PLAINTEXT://127.0.0.1:" + clientPort), List.of("PLAINTEXT:PLAINTEXT"), List.of());
      Path log4j = writeLog4j(workDir);
      String uuid = Uuid.randomUuid().toString();
      KafkaBroker broker = launch(workDir, clientPort, config, log4j, uuid);
      try {
        broker.awaitReady();
      } catch (RuntimeException e) {
        broker.close();
        throw e;
      }
      LOG.info("Kafka broker ready at {} (logs in {})", broker.bootstrapServers(), workDir);
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Formats the log directory of {@code config} for cluster {@code clusterId} and starts the node,
   * without waiting for it: a node of a controller quorum answers only once a majority of the
   * quorum runs. Call {@link #awaitReady()} then.
   */
  static KafkaBroker launch(Path workDir, int clientPort, Path config, Path log4j, String clusterId) throws IOException {
    runTool(workDir, log4j, "format", "-t", clusterId, "-c", config.toString());
    List<String> cmd = java(log4j);
    cmd.add("kafka.Kafka");
    cmd.add(config.toString());
    Process process = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(workDir.resolve("kafka.out").toFile())
        .start();
    KafkaBroker broker = new KafkaBroker(workDir, clientPort, process);
    broker.command = cmd;
    return broker;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** The broker JVM's process id. */
  long pid() {
    return process.pid();
  }

  public Path workDir() {
    return workDir;
  }

  /** Creates topics (2 partitions unless given) if they do not exist yet. */
  public void createTopics(int partitions, String... names) {
    try (Admin admin = admin()) {
      createTopics(admin, bootstrapServers(), partitions, names);
    }
  }

  /** Creates topics of one replica through {@code admin} (reaching the broker at {@code address}) unless they exist. */
  static void createTopics(Admin admin, String address, int partitions, String... names) {
    List<NewTopic> topics = new ArrayList<>();
    for (String name : names) {
      topics.add(new NewTopic(name, partitions, (short) 1));
    }
    createTopics(admin, address, topics);
  }

  /** Creates {@code topics} through {@code admin} (reaching the brokers at {@code address}) unless they exist. */
  static void createTopics(Admin admin, String address, List<NewTopic> topics) {
    try {
      for (var f : admin.createTopics(topics).values().values()) {
        try {
          f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic: " + e.getCause().getMessage(), e);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("topic creation timed out at " + address, e);
    }
  }


  /**
   * Creates topics that accept records up to {@code maxMessageBytes} (the broker's default is
   * about 1 MB), for tests that send oversized records on purpose.
   */
  public void createLargeMessageTopics(int partitions, int maxMessageBytes, String... names) {
    try (Admin admin = admin()) {
      List<NewTopic> topics = new ArrayList<>();
      for (String name : names) {
        topics.add(new NewTopic(name, partitions, (short) 1)
            .configs(java.util.Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes))));
      }
      admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topics " + String.join(", ", names) + ": " + e.getMessage(), e);
    }
  }

  /** As {@link #stringProducer()}, for raw bytes of up to {@code maxRequestBytes} per record. */
  public KafkaProducer<byte[], byte[]> bytesProducer(int maxRequestBytes) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(maxRequestBytes));
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(Math.max(32L << 20, 3L * maxRequestBytes)));
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "60000");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "180000");
    return new CheckedProducer<>(p);
  }

  /** Creates a log-compacted topic, as the feature store's log uses. */
  public void createCompactedTopic(String name, int partitions) {
    try (Admin admin = admin()) {
      NewTopic topic = new NewTopic(name, partitions, (short) 1)
          .configs(java.util.Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create compacted topic " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * A producer of string keys and values for test data: in order (one request in flight), not
   * idempotent (on a loaded machine, idempotent retries can wedge in sequence errors), patient, and
   * failing on close when any record was not delivered ({@link CheckedProducer}).
   */
  public KafkaProducer<String, String> stringProducer() {
    return stringProducer(bootstrapServers());
  }

  /** A producer of string keys and values for test data, in order (one request in flight), acks from all. */
  static KafkaProducer<String, String> stringProducer(String bootstrapServers) {
    return stringProducer(bootstrapServers, false);
  }

  /**
   * As {@link #stringProducer(String)}; {@code idempotent} when a leader may die between writing a
   * batch and answering: the retry to the new leader is then recognised, not written twice.
   */
  static KafkaProducer<String, String> stringProducer(String bootstrapServers, boolean idempotent) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString(idempotent));
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "60000");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "180000");
    return new CheckedProducer<>(p);
  }


  /**
   * Sets {@code key=value} on {@code topic} (as {@code kafka-configs.sh --alter} does) and returns
   * once the broker describes the topic so: the change reaches its metadata a moment after the call.
   */
  public void alterTopicConfig(String topic, String key, String value) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try (Admin admin = admin()) {
      admin.incrementalAlterConfigs(java.util.Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry(key, value),
          AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!value.equals(admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource).get(key).value())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(topic + ": " + key + " is not " + value + " 30 s after altering it");
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot set " + key + "=" + value + " on " + topic + ": " + e.getMessage(), e);
    }
  }

  public Admin admin() {
    return admin(bootstrapServers());
  }

  /** An admin client of the brokers at {@code bootstrapServers} with test timeouts (10 s a request, 20 s a call). */
  static Admin admin(String bootstrapServers) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
    return Admin.create(p);
  }

  /**
   * Stops the broker (SIGTERM: a controlled shutdown) and starts it again on the same log
   * directory, ports and configuration, as an operator's rolling restart does; returns once it
   * answers admin requests again. Topics, offsets and open transactions are those on disk. After
   * {@link #kill9()} it only starts it.
   */
  public synchronized void restart() {
    ProcessTrees.destroy(process);
    long t0 = System.nanoTime();
    try {
      process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("kafka.out").toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("restarting the Kafka broker: " + e.getMessage(), e);
    }
    awaitReady();
    LOG.info("Kafka broker at {} ready again after {} ms", bootstrapServers(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }

  /**
   * Kills the broker with SIGKILL, as {@code kill -9} does: no controlled shutdown, no flush, its
   * partitions lead nowhere until the controller fences it. {@link #restart()} starts it again.
   */
  public synchronized void kill9() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("Kafka broker at " + bootstrapServers() + " still alive 30 s after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Whether the broker's JVM runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Kafka broker exited with code " + process.exitValue()
            + "; see " + workDir.resolve("kafka.out") + ":\n" + ProcessTrees.tail(workDir.resolve("kafka.out"), 30));
      }
      if (portOpen()) {
        try (Admin admin = admin()) {
          admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
          return;
        } catch (Exception e) {
          LOG.debug("broker not ready yet: {}", e.toString());
        }
      }
      ProcessTrees.pause(200);
    }
    throw new IllegalStateException("Kafka broker not ready after " + READY_TIMEOUT.toSeconds()
        + " s; see " + workDir + ":\n" + ProcessTrees.tail(workDir.resolve("kafka.out"), 30));
  }

  private boolean portOpen() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Writes {@code server.properties} of a one-node KRaft broker: the given client listeners (the
   * first is the inter-broker one, plaintext) plus a controller listener, settings that suit tests
   * and the demo, and {@code extra} lines (e.g. SASL settings).
   */
  static Path writeConfig(Path workDir, Path data, int controllerPort, List<String> listeners, List<String> protocols,
      List<String> extra) throws IOException {
    return writeConfig(workDir, data, 1, "1@127.0.0.1:" + controllerPort, controllerPort, listeners, protocols, 1, 1, extra);
  }

  /**
   * Writes {@code server.properties} of node {@code nodeId} (broker and controller) of the quorum
   * {@code voters} ({@code id@host:port,...}): topics, the consumer offsets and the transaction log
   * get {@code replication} replicas and {@code minIsr} in-sync ones for an {@code acks=all} write.
   */
  static Path writeConfig(Path workDir, Path data, int nodeId, String voters, int controllerPort, List<String> listeners,
      List<String> protocols, int replication, int minIsr, List<String> extra) throws IOException {
    Path config = workDir.resolve("server.properties");
    List<String> lines = new ArrayList<>(List.of(
        "process.roles=broker,controller",
        "node.id=" + nodeId,
        "controller.quorum.voters=" + voters,
        "listeners=" + String.join(",", listeners) + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=" + String.join(",", listeners),
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=" + String.join(",", protocols) + ",CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name=PLAINTEXT",
        "log.dirs=" + data,
        "num.partitions=2",
        "default.replication.factor=" + replication,
        "min.insync.replicas=" + minIsr,
        "offsets.topic.replication.factor=" + replication,
        "offsets.topic.num.partitions=4",
        "transaction.state.log.replication.factor=" + replication,
        "transaction.state.log.min.isr=" + minIsr,
        "transaction.state.log.num.partitions=4",
        "share.coordinator.state.topic.replication.factor=" + replication,
        "share.coordinator.state.topic.min.isr=" + minIsr,
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=true",
        // Tests and the demo replay events from months ago; keep them whatever their timestamps.
        "log.retention.ms=-1",
        // Flink's transactional sink may keep transactions open across checkpoints.
        "transaction.max.timeout.ms=3600000"));
    lines.addAll(extra);
    lines.add("");
    Files.writeString(config, String.join("\n", lines), StandardCharsets.UTF_8);
    return config;
  }

  /** The broker's log4j2 configuration: its log in {@code kafka.log}, Kafka's own loggers at WARN. */
  static Path writeLog4j(Path workDir) throws IOException {
    return ProcessTrees.writeFileLog4j(workDir.resolve("log4j2.properties"), workDir.resolve("kafka.log"),
        "%d %p %c{1} - %m%n",
        "logger.kafka.name=kafka",
        "logger.kafka.level=WARN",
        "logger.apache.name=org.apache.kafka",
        "logger.apache.level=WARN");
  }

  /** Runs Kafka's {@code StorageTool} with {@code args} (its output in {@code storage-tool.out}); fails with that output. */
  static void runTool(Path workDir, Path log4j, String... args) throws IOException {
    List<String> cmd = java(log4j);
    cmd.add("kafka.tools.StorageTool");
    cmd.addAll(List.of(args));
    Path out = workDir.resolve("storage-tool.out");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        ProcessTrees.destroy(p);
        throw new IllegalStateException("kafka StorageTool " + args[0] + " timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("kafka StorageTool " + args[0] + " failed: " + Files.readString(out));
    }
  }

  static List<String> java(Path log4j) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Xms256m");
    cmd.add("-Xmx512m");
    cmd.add("-XX:+UseSerialGC");
    cmd.addAll(ServiceLocations.workerFlags());
    cmd.add("-Dlog4j2.configurationFile=" + log4j);
    cmd.add("-cp");
    cmd.add(classpath());
    return cmd;
  }

  /** The broker's classpath as the build resolved it, or this JVM's when that is gone. */
  static String classpath() {
    String resolved = ServiceLocations.get("kafka.classpath");
    for (String entry : resolved.split(File.pathSeparator)) {
      if (!Files.exists(Path.of(entry))) {
        return System.getProperty("java.class.path");
      }
    }
    return resolved;
  }


  @Override
  public void close() {
    stopper.close();
  }
}
