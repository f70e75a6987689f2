package dev.driftline.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Samples one run while it runs: the JVM's peak heap use (every 100 ms, after a {@code System.gc()}
 * at the start), the largest completed checkpoint under the run's checkpoint directory (every
 * 500 ms), the CPU time of each Flink subtask thread (named {@code "… (i/n)#a"}; every 500 ms, so
 * one busy key pinned to one subtask shows), and how busy the whole machine was (from
 * {@code /proc/stat}; the Kafka broker runs in its own process). Start it just before the job,
 * close it right after.
 */
final class RunMeter implements AutoCloseable {
  private static final long HEAP_EVERY_MS = 100;
  private static final long CHECKPOINT_EVERY_MS = 500;
  private static final Pattern SUBTASK = Pattern.compile("\\(\\d+/\\d+\\)#\\d+$");

  private final Path checkpoints;
  private final AtomicLong peakHeap = new AtomicLong();
  private final AtomicLong checkpointBytes = new AtomicLong();
  private final Map<String, Long> taskCpuNanos = new ConcurrentHashMap<>();
  private final long[] cpuAtStart = procStat();
  private long[] cpuAtEnd;
  private final Thread thread;
  private volatile boolean running = true;

  private RunMeter(Path checkpoints) {
    this.checkpoints = checkpoints;
    this.thread = new Thread(this::loop, "driftline-bench-meter");
    thread.setDaemon(true);
  }

  static RunMeter start(Path checkpoints) {
    System.gc();
    RunMeter meter = new RunMeter(checkpoints);
    meter.sampleHeap(ManagementFactory.getMemoryMXBean());
    meter.thread.start();
    return meter;
  }

  private void loop() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long nextCheckpointSample = 0;
    while (running) {
      sampleHeap(memory);
      long now = System.currentTimeMillis();
      if (now >= nextCheckpointSample) {
        checkpointBytes.accumulateAndGet(largestCheckpoint(checkpoints), Math::max);
        sampleTaskThreads();
        nextCheckpointSample = now + CHECKPOINT_EVERY_MS;
      }
      try {
        Thread.sleep(HEAP_EVERY_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sampleHeap(MemoryMXBean memory) {
    peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
  }

  private void sampleTaskThreads() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && SUBTASK.matcher(info.getThreadName()).find()) {
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        if (cpu > 0) {
          taskCpuNanos.merge(info.getThreadName(), cpu, Math::max);
        }
      }
    }
  }

  /** CPU milliseconds of each Flink subtask thread seen during the run, by thread name. */
  Map<String, Long> taskCpuMillis() {
    Map<String, Long> out = new TreeMap<>();
    taskCpuNanos.forEach((name, nanos) -> out.put(name, nanos / 1_000_000));
    return out;
  }

  /** Share of all cores' time the machine was busy during the run, in [0, 1]; null where /proc/stat is not readable. */
  Double cpuBusy() {
    return busyShare(cpuAtStart, cpuAtEnd);
  }

  /** Busy share between two {@code /proc/stat} "cpu" lines: everything but idle and iowait. */
  static Double busyShare(long[] start, long[] end) {
    if (start == null || end == null) {
      return null;
    }
    long total = 0;
    long idle = 0;
    for (int i = 0; i < start.length && i < end.length; i++) {
      long d = end[i] - start[i];
      total += d;
      if (i == 3 || i == 4) {
        idle += d;
      }
    }
    return total <= 0 ? null : (double) (total - idle) / total;
  }

  /** The aggregate "cpu" line of /proc/stat (user nice system idle iowait irq softirq steal ...), or null. */
  private static long[] procStat() {
    try {
      String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] parts = line.trim().split("\\s+");
      long[] v = new long[Math.min(8, parts.length - 1)];
      for (int i = 0; i < v.length; i++) {
        v[i] = Long.parseLong(parts[i + 1]);
      }
      return v;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  long peakHeapBytes() {
    return peakHeap.get();
  }

  long checkpointBytes() {
    return checkpointBytes.get();
  }

  /** Stops sampling after one last look at the checkpoints (the final one completes at the job's end). */
  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(5000);
    cpuAtEnd = procStat();
    checkpointBytes.accumulateAndGet(largestCheckpoint(checkpoints), Math::max);
  }

  /**
   * The largest {@code <job>/chk-*} directory under {@code root} plus its job's {@code shared/}
   * directory, in bytes; 0 when there is none yet.
   */
  static long largestCheckpoint(Path root) {
    long max = 0;
    for (Path job : list(root)) {
      if (!Files.isDirectory(job)) {
        continue;
      }
      long shared = size(job.resolve("shared"));
      for (Path chk : list(job)) {
        if (chk.getFileName().toString().startsWith("chk-") && Files.isDirectory(chk)) {
          max = Math.max(max, size(chk) + shared);
        }
      }
    }
    return max;
  }

  private static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    } catch (NoSuchFileException e) {
      return List.of(); // subsumed checkpoints are deleted while we look: that one no longer counts
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Bytes of the regular files under {@code dir}; files deleted meanwhile count as 0. */
  private static long size(Path dir) {
    long total = 0;
    if (Files.isRegularFile(dir)) {
      return fileSize(dir);
    }
    for (Path p : list(dir)) {
      total += Files.isDirectory(p) ? size(p) : fileSize(p);
    }
    return total;
  }

  private static long fileSize(Path file) {
    try {
      return Files.size(file);
    } catch (NoSuchFileException e) {
      return 0; // deleted with a subsumed checkpoint while we looked
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
