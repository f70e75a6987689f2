package dev.driftline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, in a child JVM, like {@link KafkaBroker}) whose clients
 * must log in: a {@code SASL_PLAINTEXT} listener with SCRAM-SHA-256 and one user,
 * {@value #USERNAME}, with a random password unique to this broker. The credential is written
 * into the metadata log when the storage is formatted ({@code --add-scram}), so it exists before
 * the broker takes its first request. A second, {@code PLAINTEXT} listener serves test setup
 * (creating topics, producing input, reading output) through {@link #plaintextBootstrapServers()}.
 * There is no authorizer: a logged-in user may do anything.
 */
public final class ScramKafkaBroker implements AutoCloseable {
  public static final String USERNAME = "driftline";
  public static final String MECHANISM = "SCRAM-SHA-256";
  private static final Logger LOG = LoggerFactory.getLogger(ScramKafkaBroker.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Path workDir;
  private final int plainPort;
  private final int saslPort;
  private final String password;
  private final Process process;
  private final Thread shutdownHook;

  private ScramKafkaBroker(Path workDir, int plainPort, int saslPort, String password, Process process) {
    this.workDir = workDir;
    this.plainPort = plainPort;
    this.saslPort = saslPort;
    this.password = password;
    this.process = process;
    this.shutdownHook = new Thread(() -> ProcessTrees.destroy(process), "stop-scram-kafka-broker");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Formats a fresh log directory under {@code workDir} and starts the broker; returns once it answers. */
  public static ScramKafkaBroker start(Path workDir) {
    try {
      Files.createDirectories(workDir);
      int plainPort = ServiceLocations.freePort();
      int saslPort = ServiceLocations.freePort();
      int controllerPort = ServiceLocations.freePort();
      String password = "kpw-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
      Path data = Files.createTempDirectory(workDir, "kafka-data-");
      Path config = workDir.resolve("server.properties");
      Files.writeString(config, String.join("\n",
          "process.roles=broker,controller",
          "node.id=1",
          "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
          "listeners=PLAINTEXT://127.0.0.1:" + plainPort + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort
              + ",CONTROLLER://127.0.0.1:" + controllerPort,
          "advertised.listeners=PLAINTEXT://127.0.0.1:" + plainPort + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort,
          "controller.listener.names=CONTROLLER",
          "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
          "inter.broker.listener.name=PLAINTEXT",
          "sasl.enabled.mechanisms=" + MECHANISM,
          "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config="
              + "org.apache.kafka.common.security.scram.ScramLoginModule required;",
          "log.dirs=" + data,
          "num.partitions=2",
          "offsets.topic.replication.factor=1",
          "offsets.topic.num.partitions=4",
          "transaction.state.log.replication.factor=1",
          "transaction.state.log.min.isr=1",
          "transaction.state.log.num.partitions=4",
          "share.coordinator.state.topic.replication.factor=1",
          "share.coordinator.state.topic.min.isr=1",
          "group.initial.rebalance.delay.ms=0",
          "auto.create.topics.enable=true",
          "log.retention.ms=-1",
          "transaction.max.timeout.ms=3600000",
          ""), StandardCharsets.UTF_8);
      Path log4j = workDir.resolve("log4j2.properties");
      Files.writeString(log4j, String.join("\n",
          "rootLogger.level=INFO",
          "rootLogger.appenderRef.file.ref=file",
          "appender.file.type=File",
          "appender.file.name=file",
          "appender.file.fileName=" + workDir.resolve("kafka.log"),
          "appender.file.layout.type=PatternLayout",
          "appender.file.layout.pattern=%d %p %c{1} - %m%n",
          "logger.kafka.name=kafka",
          "logger.kafka.level=WARN",
          "logger.apache.name=org.apache.kafka",
          "logger.apache.level=WARN",
          ""), StandardCharsets.UTF_8);

      String uuid = storageTool(workDir, log4j, "random-uuid").strip();
      storageTool(workDir, log4j, "format", "-t", uuid, "-c", config.toString(),
          "--add-scram", MECHANISM + "=[name=" + USERNAME + ",password=" + password + "]");

      List<String> cmd = java(log4j);
      cmd.add("kafka.Kafka");
      cmd.add(config.toString());
      Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(workDir.resolve("kafka.out").toFile()).start();
      ScramKafkaBroker broker = new ScramKafkaBroker(workDir, plainPort, saslPort, password, process);
      try {
        broker.awaitReady();
      } catch (RuntimeException e) {
        broker.close();
        throw e;
      }
      LOG.info("Kafka broker with SASL/{} ready at {} (plaintext for setup at {}; logs in {})", MECHANISM,
          broker.bootstrapServers(), broker.plaintextBootstrapServers(), workDir);
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The SASL_PLAINTEXT listener: what the code under test connects to. */
  public String bootstrapServers() {
    return "127.0.0.1:" + saslPort;
  }

  /** The listener without authentication, for test setup only. */
  public String plaintextBootstrapServers() {
    return "127.0.0.1:" + plainPort;
  }

  public String username() {
    return USERNAME;
  }

  /** The user's password: random, unique to this broker. */
  public String password() {
    return password;
  }

  public Path workDir() {
    return workDir;
  }

  /** {@code sasl.jaas.config} for the user with {@code password} (the right one or not). */
  public static String jaasConfig(String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USERNAME
        + "\" password=\"" + password + "\";";
  }

  /** The client properties that log in as the user with {@code password}. */
  public static Map<String, String> clientProperties(String password) {
    return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", MECHANISM, "sasl.jaas.config", jaasConfig(password));
  }

  /** Creates topics if they do not exist yet, through the plaintext listener. */
  public void createTopics(int partitions, String... names) {
    try (Admin admin = admin()) {
      List<NewTopic> topics = new ArrayList<>();
      for (String name : names) {
        topics.add(new NewTopic(name, partitions, (short) 1));
      }
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
      throw new IllegalStateException("topic creation timed out at " + plaintextBootstrapServers(), e);
    }
  }

  /** A producer of string keys and values for test data, through the plaintext listener (as {@link KafkaBroker#stringProducer()}). */
  public KafkaProducer<String, String> stringProducer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, plaintextBootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    return new KafkaProducer<>(p);
  }

  /** An admin client on the plaintext listener. */
  public Admin admin() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plaintextBootstrapServers());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
    return Admin.create(p);
  }

  /** Ready when a client that logs in through the SASL listener gets an answer. */
  private void awaitReady() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    p.putAll(clientProperties(password));
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Kafka broker exited with code " + process.exitValue()
            + "; see " + workDir.resolve("kafka.out") + ":\n" + ProcessTrees.tail(workDir.resolve("kafka.out"), 30));
      }
      try (Admin admin = Admin.create(p)) {
        admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        LOG.debug("broker not ready yet: {}", e.getClass().getSimpleName());
      }
      ProcessTrees.pause(300);
    }
    throw new IllegalStateException("Kafka broker (SASL) not ready after " + READY_TIMEOUT.toSeconds()
        + " s; see " + workDir + ":\n" + ProcessTrees.tail(workDir.resolve("kafka.out"), 30));
  }

  private static String storageTool(Path workDir, Path log4j, String... args) throws IOException {
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
    String text = Files.readString(out);
    if (p.exitValue() != 0) {
      throw new IllegalStateException("kafka StorageTool " + args[0] + " failed: " + text);
    }
    List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  private static List<String> java(Path log4j) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(List.of("-Xms256m", "-Xmx512m", "-XX:+UseSerialGC", "-Dlog4j2.configurationFile=" + log4j, "-cp",
        KafkaBroker.classpath()));
    return cmd;
  }

  @Override
  public void close() {
    ProcessTrees.destroy(process);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or has run; the process is already being stopped.
    }
  }
}
