package dev.driftline.services;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Elasticsearch, unpacked from the official distribution zip the build resolved
 * (see {@code driftline-services.properties}), listening on free ports of 127.0.0.1 with security
 * off. Each {@link #start} unpacks a fresh copy into a temporary directory that {@link #close()}
 * deletes again.
 *
 * <p>Elasticsearch refuses to run as root; under uid 0 the node runs as uid/gid 65534 through
 * {@code setpriv}. Its Java is the first Java 21+ {@link ElasticsearchJava} finds
 * ({@code DRIFTLINE_ES_JAVA_HOME}, the running JVM, {@code JAVA_HOME}, {@code /usr/lib/jvm/*}).
 *
 * <p>A shutdown hook stops the node if the JVM exits without {@link #close()}. Not thread-safe.
 */
public final class ElasticsearchNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchNode.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
  /** The uid and gid a node runs as when the tests run as root (Elasticsearch refuses root). */
  static final int NOBODY = 65534;

  private final Path workDir;
  private final Path logFile;
  private final int httpPort;
  private volatile Process process;
  /** How the node was started, for {@link #restart()}. */
  private ProcessBuilder launcher;
  private final StopOnExit stopper;

  private ElasticsearchNode(Path workDir, Path logFile, int httpPort, Process process) {
    this.workDir = workDir;
    this.logFile = logFile;
    this.httpPort = httpPort;
    this.process = process;
    this.stopper = new StopOnExit("driftline-es-shutdown", this::stop);
  }

  /**
   * Unpacks, starts and waits (at most 120 s) until the node reports a green or yellow cluster.
   * The node's console output goes to {@code logDir/elasticsearch-<httpPort>.log}.
   *
   * @throws IllegalStateException when the Java for Elasticsearch is missing or too old, or the
   *     node does not get ready (the message quotes the end of its log)
   */
  public static ElasticsearchNode start(Path logDir) throws IOException, InterruptedException {
    return start(logDir, 0);
  }

  /** As {@link #start(Path)}, on the given HTTP port (0: a free one). */
  public static ElasticsearchNode start(Path logDir, int httpPort) throws IOException, InterruptedException {
    Path javaHome = javaHome();
    Path zip = distributionZip();
    long t0 = System.nanoTime();
    Path workDir = Files.createTempDirectory("driftline-es-");
    try {
      Install install = Install.unpack(zip, workDir);
      boolean root = currentUid() == 0;
      if (root) {
        run(List.of("chown", "-R", NOBODY + ":" + NOBODY, workDir.toString()));
      }
      int[] ports = {ServiceLocations.freePort(), ServiceLocations.freePort()};
      if (httpPort != 0) {
        ports[0] = httpPort;
      }
      Files.createDirectories(logDir);
      Path logFile = logDir.resolve("elasticsearch-" + ports[0] + ".log");

      ProcessBuilder pb = install.launcher(javaHome, logFile, root, ports[0], ports[1], "xpack.security.enabled=false");
      ElasticsearchNode node = new ElasticsearchNode(workDir, logFile, ports[0], pb.start());
      node.launcher = pb;
      try {
        node.awaitReady();
      } catch (IOException | InterruptedException | RuntimeException e) {
        node.close();
        throw e;
      }
      LOG.info("Elasticsearch at {} ready after {} ms, {} ms of CPU (log: {})", node.httpUrl(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), ProcessTrees.cpuMillis(node.process), logFile);
      return node;
    } catch (IOException | InterruptedException | RuntimeException e) {
      deleteRecursively(workDir);
      throw e;
    }
  }

  /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
  public String httpUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  public Path logFile() {
    return logFile;
  }

  /** Stops the node and its child processes, waits for them to exit and deletes its files. */
  @Override
  public void close() {
    stopper.close();
  }

  private synchronized void stop() {
    ProcessTrees.destroy(process);
    deleteRecursively(workDir);
  }

  /**
   * Stops the node (SIGTERM, as a service manager would) and waits for it to exit, keeping its
   * data directory and ports for {@link #restart()}. Clients get "connection refused" meanwhile.
   */
  public synchronized void stopKeepingData() {
    if (stopper.stopped()) {
      throw new IllegalStateException("Elasticsearch at " + httpUrl() + " is closed");
    }
    ProcessTrees.destroy(process);
    LOG.info("Elasticsearch at {} stopped (data kept)", httpUrl());
  }

  /**
   * Starts the node again on the same data directory, HTTP port and settings (after
   * {@link #stopKeepingData()}, or stops it first) and waits until it reports green or yellow.
   * Its console output is appended to the same log file.
   */
  public synchronized void restart() throws IOException, InterruptedException {
    if (stopper.stopped()) {
      throw new IllegalStateException("Elasticsearch at " + httpUrl() + " is closed");
    }
    if (process.isAlive()) {
      ProcessTrees.destroy(process);
    }
    long t0 = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder(launcher.command())
        .directory(launcher.directory())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    pb.environment().clear();
    pb.environment().putAll(launcher.environment());
    process = pb.start();
    awaitReady();
    LOG.info("Elasticsearch at {} ready again after {} ms", httpUrl(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }

  private void awaitReady() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest health = HttpRequest.newBuilder(URI.create(httpUrl() + "/_cluster/health"))
        .timeout(Duration.ofSeconds(5)).GET().build();
    awaitHealthy("Elasticsearch", httpUrl(), process, http, health, logFile, READY_TIMEOUT);
  }

  /**
   * Waits until {@code health} (a {@code _cluster/health} request) answers green or yellow; fails
   * when the process exits first or after {@code timeout}, quoting the end of its log.
   *
   * @param what the node as messages name it ({@code Elasticsearch}, {@code secured Elasticsearch})
   */
  static void awaitHealthy(String what, String url, Process process, HttpClient http, HttpRequest health,
      Path logFile, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Pattern status = Pattern.compile("\"status\"\\s*:\\s*\"(green|yellow)\"");
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(what + " exited with code " + process.exitValue()
            + " before it was ready; last lines of " + logFile + ":\n" + ProcessTrees.tail(logFile, 30));
      }
      try {
        HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && status.matcher(r.body()).find()) {
          return;
        }
      } catch (IOException notYet) {
        // the node is not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(what + " at " + url + " not ready after "
        + timeout.toSeconds() + " s; last lines of " + logFile + ":\n" + ProcessTrees.tail(logFile, 30));
  }

  /** An unpacked distribution in a work directory, with the directories a node writes to. */
  record Install(Path home, Path data, Path logs, Path tmp) {
    /** Unpacks {@code zip} into {@code workDir} and makes {@code data}, {@code logs} and {@code tmp} there. */
    static Install unpack(Path zip, Path workDir) throws IOException {
      Path home = ElasticsearchNode.unpack(zip, workDir);
      return new Install(home, Files.createDirectories(workDir.resolve("data")),
          Files.createDirectories(workDir.resolve("logs")), Files.createDirectories(workDir.resolve("tmp")));
    }

    /**
     * How to start a single node of it on 127.0.0.1 with a 512 MB heap, writing its console to
     * {@code logFile}, as uid/gid 65534 when {@code root}; {@code settings} are further
     * {@code -E} options.
     */
    ProcessBuilder launcher(Path javaHome, Path logFile, boolean root, int httpPort, int transportPort,
        String... settings) {
      List<String> command = new ArrayList<>();
      if (root) {
        command.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
      }
      command.addAll(List.of(home.resolve("bin/elasticsearch").toString(),
          "-E", "discovery.type=single-node",
          "-E", "http.port=" + httpPort,
          "-E", "transport.port=" + transportPort,
          "-E", "network.host=127.0.0.1",
          "-E", "path.data=" + data,
          "-E", "path.logs=" + logs,
          // A single local node: shards are allocated however full the disk is (by default a disk
          // past 85-90 % used leaves new indices without their primary, and every write waits).
          "-E", "cluster.routing.allocation.disk.threshold_enabled=false"));
      for (String setting : settings) {
        command.addAll(List.of("-E", setting));
      }
      ProcessBuilder pb = new ProcessBuilder(command)
          .directory(home.toFile())
          .redirectErrorStream(true)
          .redirectOutput(logFile.toFile());
      environment(pb.environment(), javaHome, tmp);
      pb.environment().put("ES_JAVA_OPTS", "-Xms512m -Xmx512m " + String.join(" ", ServiceLocations.quickStart()));
      return pb;
    }
  }

  /** The environment of the distribution's scripts: its Java, its temporary directory, no agent options. */
  static void environment(Map<String, String> env, Path javaHome, Path tmp) {
    env.put("ES_JAVA_HOME", javaHome.toString());
    env.put("ES_TMPDIR", tmp.toString());
    env.remove("JAVA_TOOL_OPTIONS");
  }

  /** The Java 21+ the node runs on (see {@link ElasticsearchJava}), logged with where it was found. */
  static Path javaHome() {
    ElasticsearchJava.Found java = ElasticsearchJava.find();
    LOG.debug("Java {} for Elasticsearch: {} (from {})", java.feature(), java.home(), java.place());
    return java.home();
  }

  static Path distributionZip() throws IOException {
    Properties p = new Properties();
    try (InputStream in = ElasticsearchNode.class.getResourceAsStream("driftline-services.properties")) {
      if (in == null) {
        throw new IllegalStateException("driftline-services.properties: not on the classpath (build the services module with Maven)");
      }
      p.load(in);
    }
    String zip = p.getProperty("elasticsearch.zip", "");
    if (zip.isBlank() || zip.startsWith("${") || !Files.isRegularFile(Paths.get(zip))) {
      throw new IllegalStateException("driftline-services.properties: elasticsearch.zip: expected the distribution zip, got \"" + zip + "\"");
    }
    return Paths.get(zip);
  }

  /** Unpacks {@code zip} into {@code dir} and returns the single top-level directory it holds. */
  static Path unpack(Path zip, Path dir) throws IOException {
    Path top = null;
    try (ZipFile z = new ZipFile(zip.toFile())) {
      Enumeration<? extends ZipEntry> entries = z.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        Path target = dir.resolve(e.getName()).normalize();
        if (!target.startsWith(dir)) {
          throw new IOException(zip + ": entry outside the archive root: " + e.getName());
        }
        if (top == null) {
          top = dir.resolve(dir.relativize(target).getName(0));
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        try (InputStream in = z.getInputStream(e)) {
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    if (top == null) {
      throw new IOException(zip + ": empty archive");
    }
    // java.util.zip drops the unix mode; the launch scripts are all in bin/ (no bundled JDK here)
    try (Stream<Path> bin = Files.list(top.resolve("bin"))) {
      for (Path script : bin.toList()) {
        String name = script.getFileName().toString();
        if (!name.endsWith(".bat") && !name.endsWith(".exe")) {
          Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
      }
    }
    return top;
  }

  static int currentUid() throws IOException {
    for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
      if (line.startsWith("Uid:")) {
        return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]); // effective uid
      }
    }
    throw new IOException("/proc/self/status: no Uid line");
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + ": exit " + p.exitValue() + ": " + out);
    }
  }


  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not delete {}: {}", dir, e.getMessage());
    }
  }
}
