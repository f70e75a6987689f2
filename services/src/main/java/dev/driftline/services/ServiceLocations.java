package dev.driftline.services;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Where the build put the real services' code, and small helpers shared by the launchers. */
public final class ServiceLocations {
  private static final String RESOURCE = "/dev/driftline/services/driftline-services.properties";
  /** Written by the driftline-flink-dist build. */
  static final String FLINK_RESOURCE = "/dev/driftline/services/flink-dist.properties";

  private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

  /**
   * The JVM flag of a service process that does little work once it has started (a node, ZooKeeper,
   * a JobManager, Flink's client): the client compiler only, which starts an Elasticsearch node in
   * about half the CPU time (19 s against 10 s on the test machine). The Kafka brokers and
   * TaskManagers take it only where {@link #QUICK_WORKERS} is set.
   */
  public static final String QUICK_START = "-XX:TieredStopAtLevel=1";

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
    return Boolean.getBoolean(QUICK_WORKERS) ? List.of(QUICK_START) : List.of();
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
      if (!java.nio.file.Files.exists(Path.of(entry))) {
        throw new IllegalStateException(what + " jar " + entry + " is gone; rebuild with Maven");
      }
    }
    return resolved;
  }

  /**
   * A port on 127.0.0.1 that was free a moment ago and that this JVM has not handed out before: the
   * kernel may give a just-closed ephemeral port again, and two listeners of one service on the
   * same port fail its start (a broker's client and controller listeners did).
   */
  static int freePort() {
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        s.setReuseAddress(true);
        port = s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (GIVEN.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port on 127.0.0.1 that this JVM has not used before");
  }

  /**
   * A directory of this test JVM's own for a service it starts, under the module's {@code target/}:
   * {@code target/NAME-PID}, so test JVMs forked side by side never write each other's files.
   */
  static Path jvmDirectory(String name) {
    return Path.of(System.getProperty("user.dir"), "target", name + "-" + ProcessHandle.current().pid());
  }
}
