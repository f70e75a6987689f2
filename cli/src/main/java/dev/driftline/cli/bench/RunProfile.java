package dev.driftline.cli.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A Java Flight Recording of one bench run ({@code --profile}) and what it says: per stage (a Flink
 * subtask thread's name without its {@code (i/n)#a} suffix, so all subtasks of one chain of
 * operators together) its share of the samples and the methods most often on top of the stack. A
 * thread is sampled when it runs Java code or is inside a native method (JNI: RocksDB's reads and
 * writes); the latter are marked {@code [native]}. A thread parked or blocked is not sampled.
 * Start it just before the job, {@link #stop} right after.
 */
final class RunProfile {
  /** How many of a stage's top frames are reported. */
  static final int TOP_FRAMES = 8;
  private static final Pattern SUBTASK = Pattern.compile(" \\(\\d+/\\d+\\)#\\d+$");

  private final Recording recording;
  private final Path file;

  private RunProfile(Recording recording, Path file) {
    this.recording = recording;
    this.file = file;
  }

  /** Starts a recording with the JDK's {@code profile} settings (a sample every 10 ms per running thread). */
  static RunProfile start(Path file) throws IOException {
    try {
      Recording r = new Recording(Configuration.getConfiguration("profile"));
      r.setName("driftline bench");
      r.start();
      return new RunProfile(r, file);
    } catch (java.text.ParseException e) {
      throw new IOException("the JDK's JFR configuration \"profile\" cannot be read: " + e.getMessage(), e);
    }
  }

  /** Stops the recording, writes it to its file and returns its summary. */
  Summary stop() throws IOException {
    recording.stop();
    recording.dump(file);
    recording.close();
    return summarize(file);
  }

  /** The samples of one stage. */
  record Stage(String name, long samples, List<Frame> top) {}

  /** A method on top of the stack in {@code samples} samples of its stage. */
  record Frame(String method, long samples) {}

  /** Every stage with at least one sample, most sampled first, and the recording's path. */
  record Summary(Path file, long samples, List<Stage> stages) {
    /** Markdown: a line per stage with its share, then its top frames with theirs. */
    String markdown(String run) {
      StringBuilder b = new StringBuilder();
      b.append("### ").append(run).append("\n\n").append(samples).append(" samples of Flink subtask threads (running Java or native code), ")
          .append(file.getFileName()).append("\n\n| stage | share | top frames (share of the stage) |\n|---|---:|---|\n");
      for (Stage s : stages) {
        List<String> frames = new ArrayList<>();
        for (Frame f : s.top()) {
          frames.add(String.format(Locale.ROOT, "`%s` %.0f%%", f.method(), 100.0 * f.samples() / s.samples()));
        }
        b.append(String.format(Locale.ROOT, "| %s | %.1f%% | %s |%n", s.name().replace("|", "\\|"),
            100.0 * s.samples() / Math.max(1, samples), String.join(", ", frames)));
      }
      return b.toString();
    }
  }

  /** Reads the execution samples of {@code file}, keeping those of Flink subtask threads. */
  static Summary summarize(Path file) throws IOException {
    Map<String, Map<String, Long>> byStage = new HashMap<>();
    long total = 0;
    try (RecordingFile in = new RecordingFile(file)) {
      while (in.hasMoreEvents()) {
        RecordedEvent e = in.readEvent();
        String type = e.getEventType().getName();
        boolean nativeSample = type.equals("jdk.NativeMethodSample");
        if (!nativeSample && !type.equals("jdk.ExecutionSample")) {
          continue;
        }
        String thread = e.getThread("sampledThread") == null ? null : e.getThread("sampledThread").getJavaName();
        String stage = stage(thread);
        RecordedStackTrace stack = e.getStackTrace();
        if (stage == null || stack == null || stack.getFrames().isEmpty()) {
          continue;
        }
        RecordedFrame top = stack.getFrames().get(0);
        String method = top.getMethod().getType().getName() + "." + top.getMethod().getName()
            + (nativeSample ? " [native]" : "");
        byStage.computeIfAbsent(stage, k -> new HashMap<>()).merge(method, 1L, Long::sum);
        total++;
      }
    }
    List<Stage> stages = new ArrayList<>();
    for (Map.Entry<String, Map<String, Long>> s : new TreeMap<>(byStage).entrySet()) {
      long samples = s.getValue().values().stream().mapToLong(Long::longValue).sum();
      List<Frame> top = s.getValue().entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .limit(TOP_FRAMES).map(f -> new Frame(f.getKey(), f.getValue())).toList();
      stages.add(new Stage(s.getKey(), samples, top));
    }
    stages.sort(Comparator.comparingLong(Stage::samples).reversed().thenComparing(Stage::name));
    return new Summary(file, total, stages);
  }

  /** The stage of a Flink subtask thread ({@code "name (1/2)#0"} → {@code "name"}); null for any other thread. */
  static String stage(String thread) {
    if (thread == null || !SUBTASK.matcher(thread).find()) {
      return null;
    }
    return SUBTASK.matcher(thread).replaceFirst("");
  }
}
