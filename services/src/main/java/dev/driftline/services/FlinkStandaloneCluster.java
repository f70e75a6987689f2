package dev.driftline.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real standalone Flink session cluster on this machine: one JobManager and one TaskManager
 * ({@value #SLOTS} slots), each a child JVM started the way Flink's {@code bin/} scripts start them,
 * on the Flink jars the build resolved ({@code driftline-flink-dist}); no Docker, no distribution
 * download. Jobs go through Flink's own command-line client ({@code CliFrontend}, what {@code flink
 * run} runs), in a child JVM per command.
 *
 * <p>Everything lives under the work directory: {@code conf/config.yaml}, the processes' logs
 * ({@code jobmanager.log}, {@code taskmanager.log}, {@code client.log}, and their {@code .out}),
 * {@code checkpoints/}, {@code savepoints/} and temporary files. State is RocksDB. All addresses are
 * localhost, on free ports. {@link #close()} stops every process it started. Not thread-safe.
 *
 * <p>Flink's Prometheus reporter ({@code flink-metrics-prometheus}, in the cluster's classpath)
 * serves each process's metrics on a port of its own, found free at start:
 * {@link #jobManagerMetricsUrl()}, {@link #taskManagerMetricsUrl()} (the job's operators, the
 * Driftline metrics among them).
 *
 * <p>For failure tests, {@link #killTaskManager()} kills the TaskManager JVM with SIGKILL and
 * {@link #startTaskManager()} starts a replacement; {@link #restarts} and {@link #exceptionHistory}
 * show what the JobManager made of it. Started with {@link HighAvailability#zooKeeper ZooKeeper high
 * availability}, the cluster keeps its jobs, their checkpoints and its leader in ZooKeeper and in
 * {@code ha/} of the work directory, so {@link #killJobManager()} and {@link #startJobManager()}
 * replace the JobManager and the new one takes the running jobs over from their latest checkpoints.
 */
public final class FlinkStandaloneCluster implements AutoCloseable {
  public static final int SLOTS = 2;

  /** What Flink's config.yaml passes to every Flink JVM on Java 17 ({@code env.java.opts.all}). */
  static final List<String> JAVA_17_OPTS = List.of(
      "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
      "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
      "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.text=ALL-UNNAMED",
      "--add-opens=java.base/java.time=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  private static final Logger LOG = LoggerFactory.getLogger(FlinkStandaloneCluster.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration CLIENT_TIMEOUT = Duration.ofMinutes(3);
  private static final String BASH_JAVA_UTILS_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
  private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
  private static final Pattern SAVEPOINT = Pattern.compile("Savepoint completed\\. Path: (\\S+)");
  private static final Pattern CHECKPOINT_ID = Pattern.compile("/chk-(\\d+)/?$");

  /**
   * Where the cluster keeps what a new JobManager needs to take over: nothing ({@link #none()}), or
   * ZooKeeper at {@code quorum} ({@code HOST:PORT[,HOST:PORT...]}) under {@code clusterId} (a znode
   * path such as {@code /driftline}), with the job graphs and checkpoint metadata ZooKeeper points
   * to in {@code ha/} of the cluster's work directory.
   */
  public record HighAvailability(String quorum, String clusterId) {
    public HighAvailability {
      if ((quorum == null) != (clusterId == null)) {
        throw new IllegalArgumentException("expected a ZooKeeper quorum and a cluster id together, got quorum "
            + quorum + " and cluster id " + clusterId);
      }
      if (clusterId != null && !clusterId.matches("/[A-Za-z0-9_.-]+")) {
        throw new IllegalArgumentException("cluster id: expected a znode name such as /driftline, got \"" + clusterId + "\"");
      }
    }

    public static HighAvailability none() {
      return new HighAvailability(null, null);
    }

    public static HighAvailability zooKeeper(String quorum, String clusterId) {
      return new HighAvailability(Objects.requireNonNull(quorum, "quorum"), clusterId);
    }

    public boolean enabled() {
      return quorum != null;
    }

    /**
     * The {@code config.yaml} lines, none when off. The 5 s ZooKeeper session (Flink's default is
     * 60 s) is how long after a JobManager's death its leadership is released to the next one.
     */
    List<String> settings(Path storageDir) {
      if (!enabled()) {
        return List.of();
      }
      return List.of(
          "high-availability.type: zookeeper",
          "high-availability.zookeeper.quorum: " + quorum,
          "high-availability.cluster-id: " + clusterId,
          "high-availability.storageDir: '" + storageDir.toUri() + "'",
          "high-availability.zookeeper.client.session-timeout: 5 s",
          // The JobManager's RPC port: a free one at each start; TaskManagers find it in ZooKeeper.
          "high-availability.jobmanager.port: 0");
    }
  }

  private final Path workDir;
  private final Path confDir;
  private final String classpath;
  private final int restPort;
  private final int slots;
  private final int parallelism;
  private final HighAvailability ha;
  /** Everything running now, in start order: the JobManager, the TaskManager, a client command. */
  private final List<Process> processes = Collections.synchronizedList(new ArrayList<>());
  private Process jobManager;
  private Process taskManager;
  private Path taskManagerLog;
  private int jobManagerMetricsPort;
  private int taskManagerMetricsPort;
  private int jobManagersStarted = 1;
  private int taskManagersStarted = 1;
  private final StopOnExit stopper;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicInteger clientRuns = new AtomicInteger();

  private FlinkStandaloneCluster(Path workDir, String classpath, int restPort, int slots, int parallelism,
      HighAvailability ha) {
    this.workDir = workDir;
    this.confDir = workDir.resolve("conf");
    this.classpath = classpath;
    this.restPort = restPort;
    this.slots = slots;
    this.parallelism = parallelism;
    this.ha = ha;
    this.stopper = new StopOnExit("stop-flink-cluster", this::stopProcesses);
  }

  /**
   * Writes the configuration under {@code workDir}, starts the JobManager and the TaskManager and
   * returns once the TaskManager has registered (its slots are then available to jobs).
   */
  public static FlinkStandaloneCluster start(Path workDir) {
    return start(workDir, SLOTS, SLOTS);
  }

  /**
   * As {@link #start(Path)}, with {@code slots} task slots and {@code parallelism} as the cluster's
   * {@code parallelism.default}: several jobs side by side need slots for each.
   */
  public static FlinkStandaloneCluster start(Path workDir, int slots, int parallelism) {
    return start(workDir, slots, parallelism, HighAvailability.none());
  }

  /** As {@link #start(Path, int, int)}, with high availability {@code ha}. */
  public static FlinkStandaloneCluster start(Path workDir, int slots, int parallelism, HighAvailability ha) {
    if (slots < 1 || parallelism < 1 || parallelism > slots) {
      throw new IllegalArgumentException("expected 1 <= parallelism <= slots, got parallelism " + parallelism + " and " + slots + " slots");
    }
    try {
      Path dir = workDir.toAbsolutePath();
      Files.createDirectories(dir.resolve("conf"));
      Files.createDirectories(dir.resolve("tmp"));
      Files.createDirectories(dir.resolve("plugins"));
      FlinkStandaloneCluster cluster = new FlinkStandaloneCluster(dir, classpath(), ServiceLocations.freePort(), slots,
          parallelism, ha);
      try {
        cluster.writeConfig(ServiceLocations.freePort(), ServiceLocations.freePort());
        cluster.launchJobManager("jobmanager");
        cluster.launchTaskManager("taskmanager");
        cluster.awaitTaskManager();
      } catch (RuntimeException | IOException e) {
        cluster.close();
        throw e;
      }
      LOG.info("Flink standalone cluster ready at {} (logs in {})", cluster.restUrl(), dir);
      return cluster;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Prometheus {@code /metrics} of the newest JobManager (job-level metrics: restarts, checkpoints). */
  public String jobManagerMetricsUrl() {
    return PrometheusMetrics.url(jobManagerMetricsPort);
  }

  /** Prometheus {@code /metrics} of the newest TaskManager: the operators' metrics, Driftline's included. */
  public String taskManagerMetricsUrl() {
    return PrometheusMetrics.url(taskManagerMetricsPort);
  }

  /** The REST endpoint (also the web address {@code flink run -m} takes). */
  public String restUrl() {
    return "http://localhost:" + restPort;
  }

  public Path workDir() {
    return workDir;
  }

  /** Where {@link #stopWithSavepoint} puts savepoints. */
  public Path savepointDir() {
    return workDir.resolve("savepoints");
  }

  /**
   * Writes an executable {@code flink} script into {@code binDir} that runs Flink's command-line
   * client ({@code CliFrontend}) on this cluster's jars and configuration, as the distribution's
   * {@code bin/flink} does: with {@code binDir} on {@code PATH}, {@code flink run -d JAR ...} and
   * {@code flink list} reach this cluster without {@code -m}. The client logs to {@code client.log}
   * in the work directory. Returns the script.
   */
  public Path installClient(Path binDir) {
    List<String> cmd = java("client", withQuickStart("-Xmx512m"));
    cmd.add("org.apache.flink.client.cli.CliFrontend");
    StringBuilder script = new StringBuilder("#!/usr/bin/env bash\n")
        .append("# Flink's command-line client for the test cluster in ").append(workDir).append('\n')
        .append("export FLINK_CONF_DIR=").append(shellQuote(confDir.toString())).append('\n')
        .append("export FLINK_PLUGINS_DIR=").append(shellQuote(workDir.resolve("plugins").toString())).append('\n')
        .append("exec");
    cmd.forEach(arg -> script.append(' ').append(shellQuote(arg)));
    script.append(" \"$@\"\n");
    try {
      Files.createDirectories(binDir);
      Path flink = binDir.resolve("flink");
      Files.writeString(flink, script, StandardCharsets.UTF_8);
      if (!flink.toFile().setExecutable(true)) {
        throw new IllegalStateException(flink + ": cannot make it executable");
      }
      return flink;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** {@code flink run -d JAR ARGS}: submits the jar's main class (from its manifest); returns the job id. */
  public String submit(Path jar, String... args) {
    List<String> cmd = new ArrayList<>(List.of("run", "-d", "-m", "localhost:" + restPort, jar.toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    return jobId(client(cmd));
  }

  /** {@code flink run -d -s SAVEPOINT JAR ARGS}: the same job, restored from a savepoint; returns the new job id. */
  public String resume(Path jar, String savepoint, String... args) {
    List<String> cmd = new ArrayList<>(List.of("run", "-d", "-m", "localhost:" + restPort, "-s", savepoint,
        jar.toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    return jobId(client(cmd));
  }

  /**
   * {@code flink stop --savepointPath DIR JOB}: takes a savepoint and stops the job (without
   * draining: windows still open stay in the savepoint); returns the savepoint's path.
   */
  public String stopWithSavepoint(String jobId) {
    String out = client(List.of("stop", "-m", "localhost:" + restPort, "--savepointPath",
        savepointDir().toUri().toString(), jobId));
    Matcher m = SAVEPOINT.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("flink stop " + jobId + ": no savepoint path in its output:\n" + out);
    }
    return m.group(1);
  }

  /** The job's state from the REST API: {@code RUNNING}, {@code FINISHED}, {@code FAILED}, ... */
  public String jobStatus(String jobId) {
    return get("/jobs/" + jobId).get("state").asText();
  }

  /** The ids of the jobs not yet in a terminal state (running, restarting, being cancelled, ...). */
  public List<String> unfinishedJobs() {
    List<String> out = new ArrayList<>();
    for (JsonNode job : get("/jobs").path("jobs")) {
      if (!List.of("FINISHED", "CANCELED", "FAILED").contains(job.path("status").asText())) {
        out.add(job.path("id").asText());
      }
    }
    return out;
  }

  /** Waits until the job and every one of its tasks are running; fails early when the job ends. */
  public void awaitRunning(String jobId, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      JsonNode job = get("/jobs/" + jobId);
      String state = job.get("state").asText();
      if (List.of("FAILED", "CANCELED", "FINISHED").contains(state)) {
        throw new IllegalStateException("job " + jobId + " is " + state + " instead of running; see "
            + workDir.resolve("jobmanager.log"));
      }
      boolean allRunning = state.equals("RUNNING");
      for (JsonNode vertex : job.path("vertices")) {
        allRunning &= vertex.path("status").asText().equals("RUNNING");
      }
      if (allRunning) {
        return;
      }
      last = state;
      ProcessTrees.pause(200);
    }
    throw new IllegalStateException("job " + jobId + " not running after " + timeout.toSeconds() + " s (last state "
        + last + "); see " + workDir.resolve("jobmanager.log"));
  }

  /**
   * The id of the job's latest completed checkpoint, or -1 when none has completed since the job
   * (or its current JobManager) started.
   */
  public long latestCheckpointId(String jobId) {
    JsonNode completed = get("/jobs/" + jobId + "/checkpoints").path("latest").path("completed");
    return completed.isMissingNode() || completed.isNull() ? -1 : completed.path("id").asLong();
  }

  /**
   * The job's checkpoint statistics from the REST API ({@code /jobs/<id>/checkpoints}): completed
   * and failed counts, and of the latest completed checkpoint its full state size and the bytes it
   * wrote (equal without incremental checkpoints), in bytes, and its end-to-end duration in
   * milliseconds; those three are -1 before the first checkpoint completes.
   */
  public record CheckpointStats(long completed, long failed, long stateBytes, long checkpointedBytes, long durationMillis) {}

  public CheckpointStats checkpointStats(String jobId) {
    JsonNode stats = get("/jobs/" + jobId + "/checkpoints");
    JsonNode latest = stats.path("latest").path("completed");
    boolean none = latest.isMissingNode() || latest.isNull();
    return new CheckpointStats(stats.path("counts").path("completed").asLong(), stats.path("counts").path("failed").asLong(),
        none ? -1 : latest.path("state_size").asLong(-1), none ? -1 : latest.path("checkpointed_size").asLong(-1),
        none ? -1 : latest.path("end_to_end_duration").asLong(-1));
  }

  /** The process id of the newest TaskManager JVM (for {@code jcmd} and the like). */
  public long taskManagerPid() {
    if (taskManager == null || !taskManager.isAlive()) {
      throw new IllegalStateException("no TaskManager running");
    }
    return taskManager.pid();
  }

  /** The id in a checkpoint's path ({@code .../chk-17} is 17). */
  public static long checkpointId(String checkpointPath) {
    Matcher m = CHECKPOINT_ID.matcher(checkpointPath);
    if (!m.find()) {
      throw new IllegalArgumentException("not a checkpoint path (expected .../chk-N): " + checkpointPath);
    }
    return Long.parseLong(m.group(1));
  }

  /** The savepoint or checkpoint the job was restored from ({@code file:/...}), or null when it started fresh. */
  public String restoredFrom(String jobId) {
    JsonNode restored = get("/jobs/" + jobId + "/checkpoints").path("latest").path("restored");
    return restored.isMissingNode() || restored.isNull() ? null : restored.path("external_path").asText(null);
  }

  /** Registered TaskManagers, from the REST API. */
  public int taskManagers() {
    return get("/taskmanagers").path("taskmanagers").size();
  }

  /**
   * {@code kill -9} of the TaskManager JVM: no shutdown hooks, no goodbye to the JobManager, which
   * finds out from failed heartbeats and fails over the job's tasks that ran there. Returns once
   * the process is gone.
   */
  public void killTaskManager() {
    kill(taskManager, "TaskManager");
  }

  /**
   * {@code kill -9} of the JobManager JVM: the TaskManager loses its leader once the JobManager's
   * ZooKeeper session expires and cancels the tasks it ran; nothing takes over until
   * {@link #startJobManager()}. Returns once the process is gone. Only with high availability: a
   * JobManager without it takes its jobs with it.
   */
  public void killJobManager() {
    if (!ha.enabled()) {
      throw new IllegalStateException("killJobManager: the cluster runs without high availability; a new "
          + "JobManager would not know its jobs");
    }
    kill(jobManager, "JobManager");
  }

  private void kill(Process process, String what) {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException("no " + what + " running to kill");
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException(what + " pid " + process.pid() + " still alive 30 s after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    processes.remove(process);
    LOG.info("killed {} pid {} (exit code {})", what, process.pid(), process.exitValue());
  }

  /**
   * Starts another JobManager JVM on the same configuration (logs {@code jobmanager-<n>.log}) and
   * returns once its REST endpoint answers for the leader: by then it has recovered the jobs the
   * cluster's high-availability services hold, which {@link #awaitRunning} then sees restored.
   */
  public void startJobManager() {
    try {
      launchJobManager("jobmanager-" + ++jobManagersStarted);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path log = workDir.resolve("jobmanager-" + jobManagersStarted + ".log");
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!jobManager.isAlive()) {
        throw new IllegalStateException("Flink JobManager exited with code " + jobManager.exitValue() + "; see "
            + log + ":\n" + ProcessTrees.tail(log, 30));
      }
      try {
        get("/jobs/overview");
        LOG.info("JobManager {} leads the cluster", jobManagersStarted);
        return;
      } catch (IllegalStateException notYet) {
        last = notYet.getMessage();
      }
      ProcessTrees.pause(200);
    }
    throw new IllegalStateException("new JobManager not leading after " + READY_TIMEOUT.toSeconds() + " s (last "
        + "answer: " + last + "); see " + log);
  }

  /**
   * Starts another TaskManager JVM (logs {@code taskmanager-<n>.log}) and returns once it has
   * registered with the JobManager, i.e. once its slots are there for jobs to restart on.
   */
  public void startTaskManager() {
    Set<String> before = taskManagerIds();
    try {
      launchTaskManager("taskmanager-" + ++taskManagersStarted);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!taskManager.isAlive()) {
        throw new IllegalStateException("Flink TaskManager exited with code " + taskManager.exitValue() + "; see "
            + taskManagerLog + ":\n" + ProcessTrees.tail(taskManagerLog, 30));
      }
      Set<String> now = taskManagerIds();
      now.removeAll(before);
      if (!now.isEmpty()) {
        LOG.info("TaskManager {} registered", now);
        return;
      }
      ProcessTrees.pause(200);
    }
    throw new IllegalStateException("new TaskManager not registered after " + READY_TIMEOUT.toSeconds() + " s; see "
        + taskManagerLog + " and " + workDir.resolve("jobmanager.log"));
  }

  private Set<String> taskManagerIds() {
    Set<String> ids = new HashSet<>();
    get("/taskmanagers").path("taskmanagers").forEach(tm -> ids.add(tm.path("id").asText()));
    return ids;
  }

  /** How often the job has restarted since it was submitted (the JobManager's {@code numRestarts} metric). */
  public long restarts(String jobId) {
    for (JsonNode metric : get("/jobs/" + jobId + "/metrics?get=numRestarts")) {
      if (metric.path("id").asText().equals("numRestarts")) {
        return metric.path("value").asLong();
      }
    }
    return 0;
  }

  /** The job's failures as the JobManager recorded them, oldest first: each one line, the root exception's first line. */
  public List<String> exceptionHistory(String jobId) {
    List<String> out = new ArrayList<>();
    for (JsonNode entry : get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries")) {
      String text = entry.path("stacktrace").asText(entry.path("exceptionName").asText());
      out.add(0, text.lines().findFirst().orElse(""));
    }
    return out;
  }

  /** Cancels the job (REST {@code PATCH /jobs/:id}) and waits until it is {@code CANCELED}, freeing its slots. */
  public void cancel(String jobId, Duration timeout) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(restUrl() + "/jobs/" + jobId + "?mode=cancel"))
        .timeout(Duration.ofSeconds(10)).method("PATCH", HttpRequest.BodyPublishers.noBody()).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 202) {
        throw new IllegalStateException("cancel " + jobId + ": HTTP " + response.statusCode() + ": " + response.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cancel " + jobId + " on Flink REST " + restUrl() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    String state = jobStatus(jobId);
    while (!state.equals("CANCELED")) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("job " + jobId + " still " + state + " " + timeout.toSeconds() + " s after cancel");
      }
      ProcessTrees.pause(200);
      state = jobStatus(jobId);
    }
  }

  private void writeConfig(int rpcPort, int blobPort) throws IOException {
    Path checkpoints = workDir.resolve("checkpoints");
    Files.createDirectories(checkpoints);
    Files.createDirectories(savepointDir());
    // Small enough for a 2-core machine that also runs Kafka, Elasticsearch and the build.
    Files.writeString(confDir.resolve("config.yaml"), String.join("\n",
        "jobmanager.rpc.address: localhost",
        "jobmanager.rpc.port: " + rpcPort,
        "jobmanager.bind-host: localhost",
        "jobmanager.memory.process.size: 1g",
        "taskmanager.host: localhost",
        "taskmanager.bind-host: localhost",
        "taskmanager.numberOfTaskSlots: " + slots,
        "taskmanager.memory.process.size: 1600m",
        "parallelism.default: " + parallelism,
        "rest.address: localhost",
        "rest.bind-address: localhost",
        "rest.port: " + restPort,
        "blob.server.port: " + blobPort,
        // A killed TaskManager is noticed after this many failed heartbeat RPCs (default 2) rather
        // than after the heartbeat timeout: about 2 s instead of 20 s.
        "heartbeat.interval: 1000",
        "state.backend.type: rocksdb",
        "execution.checkpointing.dir: '" + checkpoints.toUri() + "'",
        "execution.checkpointing.savepoint-dir: '" + savepointDir().toUri() + "'",
        // The port differs per process: each is given its own with -D at launch.
        PrometheusMetrics.settings(null).entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
            .collect(java.util.stream.Collectors.joining("\n")),
        String.join("\n", ha.settings(workDir.resolve("ha"))),
        "io.tmp.dirs: '" + workDir.resolve("tmp") + "'",
        "web.tmpdir: '" + workDir.resolve("tmp") + "'",
        ""), StandardCharsets.UTF_8);
    Files.writeString(confDir.resolve("log4j2.properties"), String.join("\n",
        "rootLogger.level = INFO",
        "rootLogger.appenderRef.file.ref = file",
        "appender.file.type = File",
        "appender.file.name = file",
        "appender.file.fileName = ${sys:log.file}",
        "appender.file.layout.type = PatternLayout",
        "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} [%t] - %m%n",
        "logger.kafka.name = org.apache.kafka",
        "logger.kafka.level = WARN",
        ""), StandardCharsets.UTF_8);
  }

  /** Starts a JobManager JVM logging to {@code <name>.log} and {@code <name>.out}; does not wait for it. */
  private void launchJobManager(String name) throws IOException {
    jobManagerMetricsPort = PrometheusMetrics.freePort();
    // The JobManager schedules and coordinates: it starts quicker on the client compiler. The
    // TaskManager runs the jobs, at full speed unless the tests ask otherwise.
    jobManager = launchFlinkProcess(name, "GET_JM_RESOURCE_PARAMS", ServiceLocations.quickStart(),
        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", jobManagerMetricsPort);
  }

  /** Starts a TaskManager JVM logging to {@code <name>.log} and {@code <name>.out}; does not wait for it. */
  private void launchTaskManager(String name) throws IOException {
    taskManagerMetricsPort = PrometheusMetrics.freePort();
    taskManager = launchFlinkProcess(name, "GET_TM_RESOURCE_PARAMS", ServiceLocations.workerFlags(),
        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", taskManagerMetricsPort);
    taskManagerLog = workDir.resolve(name + ".log");
  }

  /**
   * Starts {@code mainClass} with the JVM flags and dynamic settings Flink's runner derives for it
   * ({@code resourceParams}: without the memory flags and derived settings a process refuses to
   * start, e.g. taskmanager.cpu.cores is not set) and {@code jvmFlags}, the configuration directory
   * and its metrics port.
   */
  private Process launchFlinkProcess(String name, String resourceParams, List<String> jvmFlags, String mainClass,
      int metricsPort) throws IOException {
    List<List<String>> params = resourceParams(resourceParams);
    List<String> flags = new ArrayList<>(params.get(0));
    flags.addAll(jvmFlags);
    List<String> cmd = java(name, flags);
    cmd.add(mainClass);
    cmd.add("--configDir");
    cmd.add(confDir.toString());
    cmd.addAll(params.get(1));
    cmd.addAll(metricsPort(metricsPort));
    return launch(name, cmd);
  }

  private static List<String> metricsPort(int port) {
    return List.of("-D", "metrics.reporter." + PrometheusMetrics.REPORTER + ".port=" + port);
  }

  /** What Flink's scripts ask BashJavaUtils for: the JVM memory flags, then the derived {@code -D} settings. */
  private List<List<String>> resourceParams(String command) throws IOException {
    List<String> cmd = java("bash-java-utils", withQuickStart("-Xmx128m"));
    cmd.addAll(List.of("org.apache.flink.runtime.util.bash.BashJavaUtils", command, "--configDir", confDir.toString()));
    String out = run(cmd, workDir.resolve("bash-java-utils-" + command + ".out"), Duration.ofSeconds(60), "BashJavaUtils " + command);
    List<List<String>> results = out.lines()
        .filter(l -> l.startsWith(BASH_JAVA_UTILS_PREFIX))
        .map(l -> List.of(l.substring(BASH_JAVA_UTILS_PREFIX.length()).trim().split("\\s+")))
        .toList();
    if (results.size() != 2) {
      throw new IllegalStateException("BashJavaUtils " + command + ": expected 2 result lines, got "
          + results.size() + ":\n" + out);
    }
    return results;
  }

  private List<String> java(String logName, List<String> jvmFlags) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(JAVA_17_OPTS);
    cmd.addAll(jvmFlags);
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Djava.io.tmpdir=" + workDir.resolve("tmp"));
    cmd.add("-Dlog.file=" + workDir.resolve(logName + ".log"));
    cmd.add("-Dlog4j2.configurationFile=" + confDir.resolve("log4j2.properties"));
    cmd.add("-cp");
    cmd.add(classpath);
    return cmd;
  }

  private Process launch(String name, List<String> cmd) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(workDir.resolve(name + ".out").toFile());
    environment(pb);
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  /** As Flink's scripts set them; an empty plugins directory, so nothing is picked up from the working directory. */
  private void environment(ProcessBuilder pb) {
    pb.environment().put("FLINK_CONF_DIR", confDir.toString());
    pb.environment().put("FLINK_PLUGINS_DIR", workDir.resolve("plugins").toString());
  }

  private void awaitTaskManager() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      for (Process p : List.of(jobManager, taskManager)) {
        String name = p == jobManager ? "jobmanager" : "taskmanager";
        if (!p.isAlive()) {
          throw new IllegalStateException("Flink " + name + " exited with code " + p.exitValue() + "; see "
              + workDir.resolve(name + ".log") + ":\n" + ProcessTrees.tail(workDir.resolve(name + ".out"), 30));
        }
      }
      try {
        if (taskManagers() > 0) {
          return;
        }
      } catch (IllegalStateException notYet) {
        LOG.debug("Flink REST not answering yet: {}", notYet.getMessage());
      }
      ProcessTrees.pause(250);
    }
    throw new IllegalStateException("no Flink TaskManager registered after " + READY_TIMEOUT.toSeconds() + " s; see "
        + workDir.resolve("jobmanager.log") + " and " + workDir.resolve("taskmanager.log"));
  }

  /** {@code heap} and {@link ServiceLocations#quickStart()}. */
  private static List<String> withQuickStart(String heap) {
    List<String> flags = new ArrayList<>(List.of(heap));
    flags.addAll(ServiceLocations.quickStart());
    return flags;
  }

  /** Runs Flink's command-line client with {@code args}; returns its output, or fails with it. */
  private String client(List<String> args) {
    int n = clientRuns.incrementAndGet();
    List<String> cmd = java("client", withQuickStart("-Xmx512m"));
    cmd.add("org.apache.flink.client.cli.CliFrontend");
    cmd.addAll(args);
    try {
      return run(cmd, workDir.resolve("client-" + n + ".out"), CLIENT_TIMEOUT, "flink " + String.join(" ", args));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String run(List<String> cmd, Path out, Duration timeout, String what) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    environment(pb);
    Process p = pb.start();
    processes.add(p); // until it ends, so that close() and the shutdown hook stop it too
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        ProcessTrees.destroy(p);
        throw new IllegalStateException(what + ": no answer after " + timeout.toSeconds() + " s; see " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ProcessTrees.destroy(p);
      throw new IllegalStateException(what + ": interrupted", e);
    } finally {
      processes.remove(p);
    }
    String text = Files.readString(out);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(what + ": exit code " + p.exitValue() + "; see " + out + " and "
          + workDir.resolve("client.log") + ":\n" + text);
    }
    return text;
  }

  private static String jobId(String clientOutput) {
    Matcher m = JOB_ID.matcher(clientOutput);
    if (!m.find()) {
      throw new IllegalStateException("flink run: no job id in its output:\n" + clientOutput);
    }
    return m.group(1);
  }

  private JsonNode get(String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(restUrl() + path)).timeout(Duration.ofSeconds(10)).GET().build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET " + path + " on Flink REST: HTTP " + response.statusCode() + ": " + response.body());
      }
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("GET " + path + " on Flink REST " + restUrl() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The cluster's classpath as the build resolved it (every jar must still be there). */
  static String classpath() {
    return ServiceLocations.classpath(ServiceLocations.FLINK_RESOURCE, "flink.classpath", "Flink cluster");
  }

  /** The TaskManager first, then the JobManager, each with everything it started. */
  private void stopProcesses() {
    List<Process> started;
    synchronized (processes) {
      started = new ArrayList<>(processes);
      processes.clear();
    }
    Collections.reverse(started);
    started.forEach(ProcessTrees::destroy);
  }

  @Override
  public void close() {
    stopper.close();
  }
}
