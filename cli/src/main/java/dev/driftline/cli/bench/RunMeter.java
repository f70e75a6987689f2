package dev.driftline.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Samples one run while it runs: the JVM's peak heap use (every 100 ms, after a {@code System.gc()}
 * at the start) and the largest completed checkpoint under the run's checkpoint directory (every
 * 500 ms). Start it just before the job, close it right after.
 */
final class RunMeter implements AutoCloseable {
  private static final long HEAP_EVERY_MS = 100;
  private static final long CHECKPOINT_EVERY_MS = 500;

  private final Path checkpoints;
  private final AtomicLong peakHeap = new AtomicLong();
  private final AtomicLong checkpointBytes = new AtomicLong();
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
