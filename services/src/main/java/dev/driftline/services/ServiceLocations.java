package dev.driftline.services;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Where the build put the real services' code, and small helpers shared by the launchers. */
public final class ServiceLocations {
  private static final String RESOURCE = "/dev/driftline/services/driftline-services.properties";
  /** Written by the driftline-flink-dist build. */
  static final String FLINK_RESOURCE = "/dev/driftline/services/flink-dist.properties";

  private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();
  /** The lowest port {@link #freePort} picks below the ephemeral range. */
  static final int FIRST_PORT = 10_000;
  /** The first port of {@code /proc/sys/net/ipv4/ip_local_port_range}, or Linux's default where it cannot be read. */
  private static final int EPHEMERAL_LOW = ephemeralLow();

  /**
   * The JVM flag of a service process that does little work once it has started (a node, ZooKeeper,
   * a JobManager, Flink's client): the client compiler only, which starts an Elasticsearch node in
   * about half the CPU time (19 s against 10 s on the test machine). The Kafka brokers and
   * TaskManagers take it only where {@link #QUICK_WORKERS} is set.
   */
  public static final String QUICK_START = "-XX:TieredStopAtLevel=1";

  /**
   * {@link #QUICK_START} with the bytecode verification of application classes off: the services'
   * classes are the build's own jars, and a JVM that loads thousands of them (a broker, a Flink
   * client loading the shaded job jar) spends a sixth to a fifth of its start verifying them (Kafka's
   * storage format: 0.95 s of CPU with verification, 0.75 s without; an Elasticsearch node 10.9 s
   * and 9.3 s). For the local services of tests, `dev up` and the demo only.
   */
  public static List<String> quickStart() {
    return List.of(QUICK_START, "-XX:+UnlockDiagnosticVMOptions", "-XX:-BytecodeVerificationRemote");
  }

  /**
   * The system property that puts the Kafka brokers and TaskManagers on the client compiler too. The
   * test suite sets it: its jobs run for seconds, too short to repay the optimizing compiler's work
   * (a cluster test used 31 s of TaskManager CPU with it, 17 s without; a broker 13 s against 8 s).
   * `driftline bench`, soak and overload run without it, at the speed they measure (and the
   * overload test clears it: the lag it must see needs a TaskManager at that speed).
   */
  public static final String QUICK_WORKERS = "driftline.services.quickWorkers";

  /** The compiler flags of a Kafka broker or TaskManager JVM (see {@link #QUICK_WORKERS}). */
  static List<String> workerFlags() {
    return Boolean.getBoolean(QUICK_WORKERS) ? quickStart() : List.of();
  }

  private ServiceLocations() {}

  static String get(String key) {
    return get(RESOURCE, key);
  }

  static String get(String resource, String key) {
    Properties p = new Properties();
    try (InputStream in = ServiceLocations.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing: build the services modules with Maven");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String value = p.getProperty(key);
    if (value == null || value.isBlank() || value.startsWith("${")) {
      throw new IllegalStateException(resource + ": " + key + " was not filled in by the build");
    }
    return value;
  }

  /**
   * A classpath the build resolved ({@code key} of {@code resource}), checked jar by jar: {@code
   * what} names the service in the error when one of them has gone from the local repository.
   */
  static String classpath(String resource, String key, String what) {
    String resolved = get(resource, key);
    for (String entry : resolved.split(java.io.File.pathSeparator)) {
      if (!Files.exists(Path.of(entry))) {
        throw new IllegalStateException(what + " jar " + entry + " is gone; rebuild with Maven");
      }
    }
    return resolved;
  }

  /**
   * A port on 127.0.0.1 that was free a moment ago and that this JVM has not handed out before,
   * chosen at random below the kernel's ephemeral range where there is room: the kernel gives
   * ports of that range to every client connection and to every {@code bind(0)}, so a port taken
   * from it can be a client's by the time the service binds it (a broker started beside three other
   * test JVMs once failed so). Below the range only another service picking the same port at once
   * can collide. Where there is no room below it, the kernel's choice.
   */
  static int freePort() {
    int below = EPHEMERAL_LOW - FIRST_PORT;
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = below >= 4_096 ? FIRST_PORT + ThreadLocalRandom.current().nextInt(below) : 0;
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        port = s.getLocalPort();
      } catch (IOException inUse) {
        continue;
      }
      if (GIVEN.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port on 127.0.0.1 that this JVM has not used before");
  }

  /** The first port of the kernel's ephemeral range (Linux's default where it cannot be read). */
  static int ephemeralLow() {
    try {
      return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException unreadable) {
      return 32_768;
    }
  }

  /**
   * A directory of this test JVM's own for a service it starts, under the module's {@code target/}:
   * {@code target/NAME-PID}, so test JVMs forked side by side never write each other's files.
   */
  static Path jvmDirectory(String name) {
    return Path.of(System.getProperty("user.dir"), "target", name + "-" + ProcessHandle.current().pid());
  }
}
