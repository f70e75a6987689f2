package dev.driftline.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three real Kafka nodes (KRaft, each broker and controller, one controller quorum of three) in
 * child JVMs on 127.0.0.1, each a {@link KafkaBroker} with its own log directory and ports. Topics
 * get {@value #REPLICATION} replicas by default and take an {@code acks=all} write with
 * {@value #MIN_INSYNC} in sync; the consumer offsets and the transaction log are replicated alike.
 * So one node may die ({@link #kill9}) with nothing acknowledged lost, and transactions go on.
 * Nodes are named by their KRaft node id, 1 to 3. Thread-safe.
 */
public final class KafkaCluster implements AutoCloseable {
  public static final int NODES = 3;
  public static final int REPLICATION = 3;
  public static final int MIN_INSYNC = 2;
  private static final Logger LOG = LoggerFactory.getLogger(KafkaCluster.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Path workDir;
  private final Map<Integer, KafkaBroker> nodes;

  private KafkaCluster(Path workDir, Map<Integer, KafkaBroker> nodes) {
    this.workDir = workDir;
    this.nodes = nodes;
  }

  /** Starts a fresh cluster under a new directory of this JVM's ({@code target/kafka-cluster-PID/cluster-*}). */
  public static KafkaCluster start() {
    return start(jvmWorkDir(), List.of());
  }

  /**
   * As {@link #start()}, with the controller fencing a broker that stopped heartbeating after
   * {@code sessionTimeout} instead of Kafka's default 9 s (heartbeats every quarter of it): a killed
   * leader is replaced sooner. Tests that measure failover as production sees it use {@link #start()}.
   */
  public static KafkaCluster start(Duration sessionTimeout) {
    long ms = sessionTimeout.toMillis();
    if (ms < 1000) {
      throw new IllegalArgumentException("broker session timeout: expected at least 1 s, got " + ms + " ms");
    }
    return start(jvmWorkDir(), List.of("broker.session.timeout.ms=" + ms, "broker.heartbeat.interval.ms=" + ms / 4));
  }

  private static Path jvmWorkDir() {
    try {
      Path parent = Files.createDirectories(ServiceLocations.jvmDirectory("kafka-cluster"));
      return Files.createTempDirectory(parent, "cluster-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Formats three log directories ({@code workDir/node-N}, each with its {@code kafka.out}) with one
   * cluster id, starts the three nodes and returns once all three are registered brokers.
   */
  public static KafkaCluster start(Path workDir) {
    return start(workDir, List.of());
  }

  /** As {@link #start(Path)}, with {@code extra} lines in every node's {@code server.properties}. */
  private static KafkaCluster start(Path workDir, List<String> extra) {
    Map<Integer, KafkaBroker> nodes = new LinkedHashMap<>();
    try {
      Files.createDirectories(workDir);
      int[] clientPorts = new int[NODES + 1];
      int[] controllerPorts = new int[NODES + 1];
      List<String> voters = new ArrayList<>();
      for (int id = 1; id <= NODES; id++) {
        clientPorts[id] = ServiceLocations.freePort();
        controllerPorts[id] = ServiceLocations.freePort();
        voters.add(id + "@127.0.0.1:" + controllerPorts[id]);
      }
      String clusterId = Uuid.randomUuid().toString();
      for (int id = 1; id <= NODES; id++) {
        Path dir = Files.createDirectories(workDir.resolve("node-" + id));
        Path config = KafkaBroker.writeConfig(dir, Files.createDirectories(dir.resolve("data")), id, String.join(",", voters),
            controllerPorts[id], List.of("PLAINTEXT://127.0.0.1:" + clientPorts[id]), List.of("PLAINTEXT:PLAINTEXT"),
            REPLICATION, MIN_INSYNC, extra);
        nodes.put(id, KafkaBroker.launch(dir, clientPorts[id], config, KafkaBroker.writeLog4j(dir), clusterId));
      }
      KafkaCluster cluster = new KafkaCluster(workDir, nodes);
      nodes.values().forEach(KafkaBroker::awaitReady);
      cluster.awaitBrokers(NODES);
      LOG.info("Kafka cluster of {} nodes ready at {} (logs in {})", NODES, cluster.bootstrapServers(), workDir);
      return cluster;
    } catch (IOException | RuntimeException e) {
      nodes.values().forEach(KafkaBroker::close);
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw (RuntimeException) e;
    }
  }

  /** All three nodes' client listeners. */
  public String bootstrapServers() {
    return nodes.values().stream().map(KafkaBroker::bootstrapServers).collect(Collectors.joining(","));
  }

  public Path workDir() {
    return workDir;
  }

  /** An admin client that reaches whichever nodes run. */
  public Admin admin() {
    return KafkaBroker.admin(bootstrapServers());
  }

  /**
   * An idempotent producer of string keys and values (acks from all in-sync replicas, in order): a
   * batch the dying leader wrote but never acknowledged is not written twice by the retry. Its close
   * fails when any record was not delivered ({@link CheckedProducer}).
   */
  public KafkaProducer<String, String> stringProducer() {
    return KafkaBroker.stringProducer(bootstrapServers(), true);
  }

  /** Creates topics with the cluster's default replication (unless they exist), as an application that names no factor does. */
  public void createTopics(int partitions, String... names) {
    List<NewTopic> topics = new ArrayList<>();
    for (String name : names) {
      topics.add(new NewTopic(name, Optional.of(partitions), Optional.empty()));
    }
    try (Admin admin = admin()) {
      KafkaBroker.createTopics(admin, bootstrapServers(), topics);
    }
    awaitLeaders(List.of(names));
  }

  /**
   * Creates topics whose every partition has all three nodes as replicas and {@code leader} as the
   * preferred (and so first) leader, so that one node leads them all.
   */
  public void createTopicsLedBy(int leader, int partitions, String... names) {
    requireNode(leader);
    List<Integer> replicas = new ArrayList<>(List.of(leader));
    nodes.keySet().stream().filter(id -> id != leader).forEach(replicas::add);
    Map<Integer, List<Integer>> assignment = new LinkedHashMap<>();
    for (int p = 0; p < partitions; p++) {
      assignment.put(p, replicas);
    }
    List<NewTopic> topics = new ArrayList<>();
    for (String name : names) {
      topics.add(new NewTopic(name, assignment));
    }
    try (Admin admin = admin()) {
      KafkaBroker.createTopics(admin, bootstrapServers(), topics);
    }
    awaitLeaders(List.of(names));
  }

  /** The node that leads {@code topic}'s {@code partition} now as the cluster's metadata says, or -1 when none does. */
  public int leaderOf(String topic, int partition) {
    Node leader = describe(topic, partition).leader();
    return leader == null || leader.isEmpty() ? -1 : leader.id();
  }

  /** The nodes in sync with the leader of {@code topic}'s {@code partition}, in the metadata's order. */
  public List<Integer> inSyncReplicas(String topic, int partition) {
    return describe(topic, partition).isr().stream().map(Node::id).toList();
  }

  /** The node that leads the controller quorum (the active controller) now. */
  public int activeController() {
    try (Admin admin = admin()) {
      return admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("describing the controller quorum at " + bootstrapServers() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Kills node {@code id} with SIGKILL, as {@code kill -9} does; returns once its JVM is gone. */
  public void kill9(int id) {
    requireNode(id);
    nodes.get(id).kill9();
    LOG.info("Kafka node {} killed with SIGKILL", id);
  }

  /** Starts node {@code id} again on its log directory, ports and configuration; returns once it answers. */
  public void restart(int id) {
    requireNode(id);
    nodes.get(id).restart();
  }

  /** Whether node {@code id}'s JVM runs. */
  public boolean isAlive(int id) {
    requireNode(id);
    return nodes.get(id).isAlive();
  }

  private TopicPartitionInfo describe(String topic, int partition) {
    try (Admin admin = admin()) {
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
      if (partition < 0 || partition >= d.partitions().size()) {
        throw new IllegalArgumentException(topic + " has partitions 0 to " + (d.partitions().size() - 1) + ", not " + partition);
      }
      return d.partitions().get(partition);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("describing topic " + topic + " at " + bootstrapServers() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits until every partition of {@code topics} has a leader: a produce right after creation then finds one. */
  private void awaitLeaders(List<String> topics) {
    Waits.until("leaders of every partition of " + topics, READY_TIMEOUT, () -> {
      try (Admin admin = admin()) {
        return admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
            .flatMap(d -> d.partitions().stream())
            .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
      } catch (Exception e) {
        return false;
      }
    }, () -> "logs in " + workDir);
  }

  private void awaitBrokers(int n) {
    Waits.until(n + " registered brokers", READY_TIMEOUT, () -> {
      try (Admin admin = admin()) {
        return admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() >= n;
      } catch (Exception e) {
        return false;
      }
    }, () -> "logs in " + workDir);
  }

  private void requireNode(int id) {
    if (!nodes.containsKey(id)) {
      throw new IllegalArgumentException("Kafka node " + id + ": expected one of " + nodes.keySet());
    }
  }

  /**
   * Kills every node: a controlled shutdown of the last two would wait for a controller quorum that
   * the first one's leaving has already broken, 30 s each. What they hold is thrown away.
   */
  @Override
  public void close() {
    for (KafkaBroker node : nodes.values()) {
      if (node.isAlive()) {
        node.kill9();
      }
      node.close();
    }
  }
}
