package dev.driftline.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.Uuid;
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
  private final StopOnExit stopper;

  private ScramKafkaBroker(Path workDir, int plainPort, int saslPort, String password, Process process) {
    this.workDir = workDir;
    this.plainPort = plainPort;
    this.saslPort = saslPort;
    this.password = password;
    this.process = process;
    this.stopper = new StopOnExit("stop-scram-kafka-broker", () -> ProcessTrees.destroy(process));
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
      Path config = KafkaBroker.writeConfig(workDir, data, controllerPort,
          List.of("PLAINTEXT://127.0.0.1:" + plainPort, "SASL_PLAINTEXT://127.0.0.1:" + saslPort),
          List.of("PLAINTEXT:PLAINTEXT", "SASL_PLAINTEXT:SASL_PLAINTEXT"),
          List.of("sasl.enabled.mechanisms=" + MECHANISM,
              "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config="
                  + "org.apache.kafka.common.security.scram.ScramLoginModule required;"));
      Path log4j = KafkaBroker.writeLog4j(workDir);

      String uuid = Uuid.randomUuid().toString();
      KafkaBroker.runTool(workDir, log4j, "format", "-t", uuid, "-c", config.toString(),
          "--add-scram", MECHANISM + "=[name=" + USERNAME + ",password=" + password + "]");

      List<String> cmd = KafkaBroker.java(log4j);
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
      KafkaBroker.createTopics(admin, plaintextBootstrapServers(), partitions, names);
    }
  }


  /** A producer of string keys and values for test data, through the plaintext listener (as {@link KafkaBroker#stringProducer()}). */
  public KafkaProducer<String, String> stringProducer() {
    return KafkaBroker.stringProducer(plaintextBootstrapServers());
  }


  /** An admin client on the plaintext listener. */
  public Admin admin() {
    return KafkaBroker.admin(plaintextBootstrapServers());
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

  @Override
  public void close() {
    stopper.close();
  }
}
