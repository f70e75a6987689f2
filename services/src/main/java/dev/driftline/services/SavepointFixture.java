package dev.driftline.services;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.services.CollectingSink.Output;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.util.ExceptionUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Savepoint fixtures: a savepoint of a job taken in the middle of a run by one version, committed
 * under {@code src/test/resources/savepoints/<job>/<version>/}, that every later version must
 * restore and finish with the same outputs as an uninterrupted run of the same input.
 *
 * <p>A fixture directory holds {@code fixture.properties} (its inputs with their topics and
 * partitions, how many input lines the first run consumed), {@code input.jsonl} (every input record
 * with its input, partition and key, in the order produced), {@code emitted-before.txt} (the ids
 * the first run emitted before its savepoint),
 * {@code savepoint/} (canonical format, relocatable: its {@code _metadata} refers to its files by
 * relative path) and whatever the job's test adds (its configuration).
 *
 * <p>A job may read several inputs (topics), each named by the test (e.g. {@code predictions},
 * {@code labels}); a fixture of a job with one topic has the single unnamed input {@link #SINGLE}
 * and keeps the first format of these files ({@code topic} and {@code partitions} properties, lines
 * without an {@code input} field), which is read as that one input.
 *
 * <p>The input goes through the real test broker. Recording produces the first {@code consumed}
 * lines (counted across inputs, in the order of {@code input}), runs the job with sources bounded
 * at the offsets of the whole input (so it waits at the end of the first part, windows open),
 * waits until the job's group has committed the whole first part on every input (a completed
 * checkpoint after it, so every operator has processed it) and stops the job with a savepoint,
 * without draining. Verifying produces every line to the same topics and partitions
 * (so the offsets in the savepoint point at the same records), runs the whole input uninterrupted,
 * then the job restored from a copy of the savepoint, which reads the rest up to the bounds kept in
 * its splits and finishes; its outputs must be exactly the uninterrupted run's minus those emitted
 * before the savepoint, by id and value.
 */
public final class SavepointFixture {
  /** {@code -Ddriftline.fixtures.record=true}: record fixtures instead of verifying them. */
  public static final String RECORD_PROPERTY = "driftline.fixtures.record";
  /** {@code -Ddriftline.fixtures.version=0.1.0}: the version directory a recording writes. */
  public static final String VERSION_PROPERTY = "driftline.fixtures.version";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

  private SavepointFixture() {}

  /** The input of a fixture whose job reads one topic (the first format of the files). */
  public static final String SINGLE = "";

  /** One input record: the input (topic) it goes to, its partition, key and value. */
  public record Line(String input, int partition, String key, String value) {
    /** A record of the single input ({@link #SINGLE}). */
    public Line(int partition, String key, String value) {
      this(SINGLE, partition, key, value);
    }
  }

  /**
   * One run of the job: {@code name} is its consumer group and the run name of its
   * {@link CollectingSink}s; the job reads each input's topic ({@code topics}, by input name) up to
   * {@code stoppingOffsets} (every partition of every input, 0 for an empty one).
   */
  public record Run(String name, Map<String, String> topics, Map<TopicPartition, Long> stoppingOffsets) {
    /** The topic of a job with one input. */
    public String topic() {
      if (topics.size() != 1) {
        throw new IllegalStateException("run " + name + ": expected one input, got " + topics.keySet());
      }
      return topics.values().iterator().next();
    }

    /** The topic of {@code input}. */
    public String topic(String input) {
      String topic = topics.get(input);
      if (topic == null) {
        throw new IllegalArgumentException("run " + name + ": no input \"" + input + "\" (inputs: " + topics.keySet() + ")");
      }
      return topic;
    }

    /** Where the source of {@code input} stops: its topic's partitions only. */
    public Map<TopicPartition, Long> stoppingOffsets(String input) {
      String topic = topic(input);
      return stoppingOffsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
          .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
  }

  /** Builds the job for a run on an environment made from {@code conf} and starts it ({@code executeAsync}). */
  @FunctionalInterface
  public interface Deployment {
    JobClient start(Configuration conf, Run run) throws Exception;
  }

  public static boolean recording() {
    return Boolean.getBoolean(RECORD_PROPERTY);
  }

  /** {@code src/test/resources/savepoints/<job>} of the module under test. */
  public static Path root(String job) {
    return Path.of(System.getProperty("user.dir"), "src", "test", "resources", "savepoints", job);
  }

  /** The committed fixtures of {@code job}, one directory per version, sorted. */
  public static List<Path> committed(String job) throws IOException {
    Path root = root(job);
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("fixture.properties"))).sorted().toList();
    }
  }

  /** Where a recording of {@code job} goes: the version from {@value #VERSION_PROPERTY}. */
  public static Path toRecord(String job) {
    String version = System.getProperty(VERSION_PROPERTY, "");
    if (!version.matches("[0-9A-Za-z.\\-]+")) {
      throw new IllegalStateException(VERSION_PROPERTY + ": expected the version being recorded (e.g. 0.1.0), got \"" + version + "\"");
    }
    return root(job).resolve(version);
  }

  /**
   * Records a fixture of a job with one input into {@code dir} (replacing what was there): the job
   * consumes the first {@code consumed} lines of {@code input} and is stopped with a savepoint.
   */
  public static void record(Path dir, KafkaBroker broker, int partitions, List<Line> input, int consumed, Deployment job)
      throws Exception {
    record(dir, broker, Map.of(SINGLE, partitions), input, consumed, job);
  }

  /**
   * Records a fixture into {@code dir} (replacing what was there): {@code partitions} names each
   * input and its number of partitions (in the order the files list them); the job consumes the
   * first {@code consumed} lines of {@code input}, across inputs, and is stopped with a savepoint.
   */
  public static void record(Path dir, KafkaBroker broker, Map<String, Integer> partitions, List<Line> input, int consumed,
      Deployment job) throws Exception {
    if (consumed <= 0 || consumed >= input.size()) {
      throw new IllegalArgumentException("consumed: expected 1.." + (input.size() - 1) + ", got " + consumed);
    }
    for (Line l : input) {
      Integer n = partitions.get(l.input());
      if (n == null || l.partition() < 0 || l.partition() >= n) {
        throw new IllegalArgumentException("input line for \"" + l.input() + "\" partition " + l.partition()
            + ": expected one of the inputs " + partitions);
      }
    }
    deleteRecursively(dir);
    Files.createDirectories(dir);
    Map<String, String> topics = new LinkedHashMap<>();
    String prefix = "fixture-" + dir.getParent().getFileName() + "-" + dir.getFileName();
    for (String name : partitions.keySet()) {
      topics.put(name, name.equals(SINGLE) ? prefix : prefix + "-" + name);
    }
    for (var e : partitions.entrySet()) {
      broker.createTopics(e.getValue(), topics.get(e.getKey()));
    }
    produce(broker, topics, partitions, input.subList(0, consumed));
    Run run = new Run("record-" + prefix, topics, endOffsets(topics, partitions, input));
    JobClient client = job.start(new Configuration(), run);
    Map<TopicPartition, Long> firstPart = endOffsets(topics, partitions, input.subList(0, consumed));
    long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
    while (!committed(broker, run.name(), firstPart)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("recording " + dir + ": group " + run.name() + " did not commit " + firstPart);
      }
      Thread.sleep(200);
    }
    Path target = Path.of(System.getProperty("user.dir"), "target", "fixture-savepoints");
    String savepoint = client.stopWithSavepoint(false, target.toUri().toString(), SavepointFormatType.CANONICAL)
        .get(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    copyRecursively(Path.of(URI.create(savepoint)), dir.resolve("savepoint"));

    Set<String> before = new TreeSet<>();
    for (Output o : CollectingSink.outputs(run.name())) {
      if (!before.add(o.id())) {
        throw new IllegalStateException("recording " + dir + ": the first run emitted " + o.id() + " twice");
      }
    }
    Files.write(dir.resolve("emitted-before.txt"), before, StandardCharsets.UTF_8);
    try (Writer w = Files.newBufferedWriter(dir.resolve("input.jsonl"), StandardCharsets.UTF_8)) {
      for (Line l : input) {
        ObjectNode n = JSON.createObjectNode();
        if (!l.input().equals(SINGLE)) {
          n.put("input", l.input());
        }
        n.put("partition", l.partition()).put("key", l.key()).put("value", l.value());
        w.write(JSON.writeValueAsString(n));
        w.write('\n');
      }
    }
    Properties p = new Properties();
    if (partitions.keySet().equals(Set.of(SINGLE))) {
      p.setProperty("topic", topics.get(SINGLE));
      p.setProperty("partitions", Integer.toString(partitions.get(SINGLE)));
    } else {
      p.setProperty("inputs", String.join(",", partitions.keySet()));
      for (String name : partitions.keySet()) {
        p.setProperty("topic." + name, topics.get(name));
        p.setProperty("partitions." + name, Integer.toString(partitions.get(name)));
      }
    }
    p.setProperty("consumed", Integer.toString(consumed));
    p.setProperty("recorded", Instant.now().toString());
    p.setProperty("savepoint.format", "canonical");
    try (Writer w = Files.newBufferedWriter(dir.resolve("fixture.properties"), StandardCharsets.UTF_8)) {
      p.store(w, "savepoint fixture: see docs/upgrade.md, Savepoint fixtures");
    }
  }

  /**
   * What a verified fixture's runs emitted: the ids emitted before the savepoint, and the restored
   * run's outputs by id (each equal to the uninterrupted run's), for a test's own checks that the
   * restored state mattered.
   */
  public record Verified(Set<String> before, Map<String, String> restored) {}

  /**
   * Restores the fixture in {@code dir} with the current code and checks that it finishes with
   * the outputs of an uninterrupted run, by id and value; fails naming the ids that differ.
   */
  public static Verified verify(Path dir, KafkaBroker broker, Deployment job) throws Exception {
    Properties p = properties(dir);
    Map<String, String> topics = topics(p);
    Map<String, Integer> partitions = partitions(p);
    String topic = String.join("+", topics.values());
    List<Line> input = input(dir);
    for (var e : partitions.entrySet()) {
      broker.createTopics(e.getValue(), topics.get(e.getKey()));
    }
    produce(broker, topics, partitions, input);
    Map<TopicPartition, Long> end = endOffsets(topics, partitions, input);

    // The partitions the restored run still reads: one the first part read to its end holds no
    // split in the savepoint, so nothing is committed for it after the restore.
    Map<TopicPartition, Long> firstPart = endOffsets(topics, partitions, input.subList(0, Integer.parseInt(p.getProperty("consumed"))));
    Map<TopicPartition, Long> rest = new HashMap<>(end);
    rest.entrySet().removeIf(e -> e.getValue() <= firstPart.get(e.getKey()));
    Map<String, String> whole = unique(run(job, new Configuration(), new Run("whole-" + topic, topics, end), dir, "uninterrupted run", broker, end),
        "the uninterrupted run");
    Path copy = Path.of(System.getProperty("user.dir"), "target", "fixture-restore", dir.getParent().getFileName() + "-" + dir.getFileName());
    deleteRecursively(copy);
    copyRecursively(dir.resolve("savepoint"), copy); // restored from elsewhere: the savepoint must be relocatable
    Configuration restore = new Configuration();
    restore.set(StateRecoveryOptions.SAVEPOINT_PATH, copy.toUri().toString());
    List<Output> restored = run(job, restore, new Run("restored-" + topic, topics, end), dir, "restore", broker, rest);

    Set<String> before = new TreeSet<>(Files.readAllLines(dir.resolve("emitted-before.txt"), StandardCharsets.UTF_8));
    List<String> problems = new ArrayList<>();
    Set<String> unknown = new TreeSet<>(before);
    unknown.removeAll(whole.keySet());
    report(problems, "emitted before the savepoint but not by the uninterrupted run", unknown);
    Map<String, String> expected = new TreeMap<>(whole);
    expected.keySet().removeAll(before);
    Map<String, Integer> counts = new HashMap<>();
    restored.forEach(o -> counts.merge(o.id(), 1, Integer::sum));
    report(problems, "emitted more than once after the restore", counts.entrySet().stream().filter(e -> e.getValue() > 1)
        .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new)));
    report(problems, "emitted again after the restore (already before the savepoint)",
        restored.stream().map(Output::id).filter(before::contains).collect(Collectors.toCollection(TreeSet::new)));
    Map<String, String> got = new LinkedHashMap<>();
    restored.forEach(o -> got.put(o.id(), o.value()));
    report(problems, "missing after the restore", expected.keySet().stream().filter(id -> !got.containsKey(id))
        .collect(Collectors.toCollection(TreeSet::new)));
    report(problems, "not emitted by the uninterrupted run", got.keySet().stream()
        .filter(id -> !expected.containsKey(id) && !before.contains(id)).collect(Collectors.toCollection(TreeSet::new)));
    Set<String> differing = got.keySet().stream().filter(id -> expected.containsKey(id) && !expected.get(id).equals(got.get(id)))
        .collect(Collectors.toCollection(TreeSet::new));
    report(problems, "with other values than the uninterrupted run", differing);
    differing.stream().limit(3).forEach(id -> problems.add("  " + id + ": restored " + got.get(id) + ", uninterrupted " + expected.get(id)));
    if (expected.isEmpty() || before.isEmpty()) {
      problems.add("not a mid-run fixture: " + before.size() + " outputs before the savepoint, " + expected.size() + " after");
    }
    if (!problems.isEmpty()) {
      throw new AssertionError("savepoint fixture " + dir + " (" + before.size() + " outputs before the savepoint, "
          + expected.size() + " expected after it, " + restored.size() + " after the restore):\n" + String.join("\n", problems));
    }
    return new Verified(Set.copyOf(before), Map.copyOf(got));
  }

  private static Properties properties(Path dir) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(dir.resolve("fixture.properties"), StandardCharsets.UTF_8)) {
      p.load(r);
    }
    return p;
  }

  /** The inputs' topics, by input name in the files' order; {@link #SINGLE} for the first format. */
  public static Map<String, String> topics(Properties p) {
    Map<String, String> out = new LinkedHashMap<>();
    if (p.getProperty("inputs") == null) {
      out.put(SINGLE, p.getProperty("topic"));
      return out;
    }
    for (String name : p.getProperty("inputs").split(",")) {
      out.put(name, p.getProperty("topic." + name));
    }
    return out;
  }

  private static Map<String, Integer> partitions(Properties p) {
    Map<String, Integer> out = new LinkedHashMap<>();
    if (p.getProperty("inputs") == null) {
      out.put(SINGLE, Integer.parseInt(p.getProperty("partitions")));
      return out;
    }
    for (String name : p.getProperty("inputs").split(",")) {
      out.put(name, Integer.parseInt(p.getProperty("partitions." + name)));
    }
    return out;
  }

  /** The input lines of the fixture in {@code dir}, in the order they were produced. */
  public static List<Line> input(Path dir) throws IOException {
    List<Line> out = new ArrayList<>();
    for (String s : Files.readAllLines(dir.resolve("input.jsonl"), StandardCharsets.UTF_8)) {
      var n = JSON.readTree(s);
      out.add(new Line(n.has("input") ? n.get("input").asText() : SINGLE, n.get("partition").asInt(), n.get("key").asText(),
          n.get("value").asText()));
    }
    return out;
  }

  /**
   * Runs the job to the end of its input. A run from the start ends by itself at the stopping
   * offsets. A restored run is stopped draining once it has read and checkpointed the whole input
   * ({@code toRead}: the stopping offsets of the partitions it has left to read)
   * (the final watermark fires every pending timer, as at the end of a bounded input): a restored
   * bounded Kafka source does not always end by itself, since its enumerator may not tell the
   * readers of restored splits that no more splits come.
   */
  private static List<Output> run(Deployment job, Configuration conf, Run run, Path dir, String what, KafkaBroker broker,
      Map<TopicPartition, Long> toRead) throws Exception {
    boolean restored = conf.contains(StateRecoveryOptions.SAVEPOINT_PATH);
    JobClient client = job.start(conf, run);
    try {
      var result = client.getJobExecutionResult();
      if (!restored) {
        // A source that was not restored ends by itself at its stopping offsets: a stop would only
        // race that end.
        result.get(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return CollectingSink.outputs(run.name());
      }
      long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
      while (!result.isDone() && !committed(broker, run.name(), toRead)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("savepoint fixture " + dir + ": " + what + " did not read its input up to "
              + toRead + " in " + RUN_TIMEOUT + "; " + CollectingSink.outputs(run.name()).size() + " outputs");
        }
        Thread.sleep(200);
      }
      Path target = Path.of(System.getProperty("user.dir"), "target", "fixture-savepoints");
      // The input may end while the stop is under way ("task is closing"): the job then finishes by
      // itself, or, if it is still running, the stop is tried again.
      for (int attempt = 1; !result.isDone(); attempt++) {
        try {
          client.stopWithSavepoint(true, target.toUri().toString(), SavepointFormatType.CANONICAL)
              .get(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException stopDeclined) {
          try {
            result.get(10, TimeUnit.SECONDS);
          } catch (TimeoutException stillRunning) {
            if (attempt == 3) {
              throw stopDeclined;
            }
          }
        }
      }
      result.get(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable root = ExceptionUtils.findThrowableWithMessage(e, "Cannot map")
          .orElseGet(() -> ExceptionUtils.stripExecutionException(e));
      throw new AssertionError("savepoint fixture " + dir + ": " + what + " failed: " + root, e);
    }
    return CollectingSink.outputs(run.name());
  }

  private static Map<String, String> unique(List<Output> outputs, String what) {
    Map<String, String> out = new TreeMap<>();
    for (Output o : outputs) {
      if (out.put(o.id(), o.value()) != null) {
        throw new AssertionError(what + " emitted " + o.id() + " twice");
      }
    }
    return out;
  }

  private static void report(List<String> problems, String what, Set<String> ids) {
    if (!ids.isEmpty()) {
      problems.add(ids.size() + " ids " + what + ": " + ids.stream().limit(20).collect(Collectors.joining(", "))
          + (ids.size() > 20 ? ", …" : ""));
    }
  }

  /** The offset after {@code lines} on every partition of every input (0 where none goes). */
  private static Map<TopicPartition, Long> endOffsets(Map<String, String> topics, Map<String, Integer> partitions,
      List<Line> lines) {
    Map<TopicPartition, Long> out = new HashMap<>();
    partitions.forEach((input, n) -> {
      for (int i = 0; i < n; i++) {
        out.put(new TopicPartition(topics.get(input), i), 0L);
      }
    });
    lines.forEach(l -> out.merge(new TopicPartition(topics.get(l.input()), l.partition()), 1L, Long::sum));
    return out;
  }

  private static boolean committed(KafkaBroker broker, String group, Map<TopicPartition, Long> offsets) throws Exception {
    try (Admin admin = broker.admin()) {
      Map<TopicPartition, OffsetAndMetadata> got = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
          .get(20, TimeUnit.SECONDS);
      // Nothing to commit on an empty partition.
      return offsets.entrySet().stream().allMatch(e -> e.getValue() == 0
          || got.get(e.getKey()) != null && got.get(e.getKey()).offset() >= e.getValue());
    }
  }

  /** Sends to the given partitions, in order: offsets are the positions of the lines per partition. */
  private static void produce(KafkaBroker broker, Map<String, String> topics, Map<String, Integer> partitions, List<Line> lines)
      throws Exception {
    List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
    try (KafkaProducer<String, String> producer = broker.stringProducer()) {
      for (Line l : lines) {
        sent.add(producer.send(new ProducerRecord<>(topics.get(l.input()), l.partition(), l.key(), l.value())));
      }
      producer.flush();
    }
    for (var f : sent) {
      f.get(60, TimeUnit.SECONDS);
    }
    Map<TopicPartition, Long> expected = endOffsets(topics, partitions, lines);
    try (Admin admin = broker.admin()) {
      var latest = admin.listOffsets(expected.keySet().stream().collect(Collectors.toMap(tp -> tp,
          tp -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all().get(20, TimeUnit.SECONDS);
      for (var e : expected.entrySet()) {
        if (latest.get(e.getKey()).offset() != e.getValue()) {
          throw new IllegalStateException(e.getKey() + ": expected " + e.getValue() + " records after producing the fixture's input, found "
              + latest.get(e.getKey()).offset() + " (the topic must be new)");
        }
      }
    }
  }

  private static void copyRecursively(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path t = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(t);
        } else {
          Files.copy(f, t);
        }
      }
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
