package dev.driftline.services;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real standalone ZooKeeper server ({@code ZooKeeperServerMain}, the release in
 * {@code driftline-zookeeper-dist}) in a child JVM on 127.0.0.1, on a free port, with its data
 * under {@code workDir/data} and its log in {@code workDir/zookeeper.log}: the coordination service
 * of a highly available {@link FlinkStandaloneCluster}.
 *
 * <p>The tick is 500 ms, so sessions may be as short as 1 s (and at most 10 s): a client that
 * asks for 5 s gets 5 s, and a killed JobManager's leadership is released that long after its death.
 * Not thread-safe; {@link #close()} stops the server.
 */
public final class ZooKeeperNode implements AutoCloseable {
  static final String RESOURCE = "/dev/driftline/services/zookeeper-dist.properties";
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperNode.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final int TICK_MILLIS = 500;

  private final Path workDir;
  private final int port;
  private final Process process;
  private final StopOnExit stopper;

  private ZooKeeperNode(Path workDir, int port, Process process) {
    this.workDir = workDir;
    this.port = port;
    this.process = process;
    this.stopper = new StopOnExit("stop-zookeeper", () -> ProcessTrees.destroy(process));
  }

  /** Writes {@code zoo.cfg} under {@code workDir}, starts the server and returns once it answers. */
  public static ZooKeeperNode start(Path workDir) {
    try {
      Path dir = workDir.toAbsolutePath();
      Path data = dir.resolve("data");
      Files.createDirectories(data);
      int port = ServiceLocations.freePort();
      Path config = dir.resolve("zoo.cfg");
      Files.writeString(config, String.join("\n",
          "tickTime=" + TICK_MILLIS,
          "minSessionTimeout=" + 2 * TICK_MILLIS,
          "maxSessionTimeout=" + 20 * TICK_MILLIS,
          "dataDir=" + data,
          "clientPort=" + port,
          "clientPortAddress=127.0.0.1",
          // No Jetty admin server (it would take port 8080); the readiness check uses srvr.
          "admin.enableServer=false",
          "4lw.commands.whitelist=srvr",
          ""), StandardCharsets.UTF_8);
      Path log4j = ProcessTrees.writeFileLog4j(dir.resolve("log4j2.properties"), dir.resolve("zookeeper.log"),
          "%d{HH:mm:ss,SSS} %-5p %c{1} [%t] - %m%n");
      List<String> cmd = new ArrayList<>();
      cmd.add(ProcessHandle.current().info().command().orElse("java"));
      cmd.addAll(List.of("-Xmx128m", "-XX:+UseSerialGC"));
      cmd.addAll(ServiceLocations.quickStart());
      cmd.addAll(List.of("-Dlog4j2.configurationFile=" + log4j,
          "-Djava.io.tmpdir=" + data, "-cp", ServiceLocations.classpath(RESOURCE, "zookeeper.classpath", "ZooKeeper"), "org.apache.zookeeper.server.ZooKeeperServerMain",
          config.toString()));
      Process process = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("zookeeper.out").toFile())
          .start();
      ZooKeeperNode node = new ZooKeeperNode(dir, port, process);
      try {
        node.awaitReady();
      } catch (RuntimeException e) {
        node.close();
        throw e;
      }
      LOG.info("ZooKeeper {} ready at {} (logs in {})", ServiceLocations.get(RESOURCE, "zookeeper.version"),
          node.connectString(), dir);
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What clients are given as the quorum ({@code high-availability.zookeeper.quorum}): {@code 127.0.0.1:PORT}. */
  public String connectString() {
    return "127.0.0.1:" + port;
  }

  public Path workDir() {
    return workDir;
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("ZooKeeper exited with code " + process.exitValue() + "; see "
            + workDir.resolve("zookeeper.log") + ":\n" + ProcessTrees.tail(workDir.resolve("zookeeper.out"), 30));
      }
      last = srvr();
      if (last.contains("Mode: standalone")) {
        return;
      }
      ProcessTrees.pause(200);
    }
    throw new IllegalStateException("ZooKeeper at " + connectString() + " not serving after " + READY_TIMEOUT.toSeconds()
        + " s (last answer to srvr: " + last.strip() + "); see " + workDir.resolve("zookeeper.log"));
  }

  /** The server's answer to the {@code srvr} four-letter command, or why there was none. */
  private String srvr() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      out.write("srvr".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Override
  public void close() {
    stopper.close();
  }
}
