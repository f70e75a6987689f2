package dev.driftline.cli.bench;

import java.util.Map;

/**
 * What one run measured.
 *
 * @param records predictions read (raw events for the feature pipeline); labels are not counted
 * @param seconds wall time from the job reaching RUNNING to its end
 * @param latencyMsP50 null for runs without window results or without windows closed before the end of input
 * @param checkpointBytes the largest completed checkpoint
 * @param cpuBusy share of the machine's CPU time that was busy during the run (all processes), null if unknown
 * @param taskCpuMs CPU milliseconds of each Flink subtask thread, by thread name
 * @param stateBytesPerKey the largest drift plus performance window state of one key (the job's accumulators), null when it has none
 * @param featureWindows distinct (model, segment, window, feature) among the run's drift results, null when not read
 */
record RunResult(String name, long records, double seconds, Long latencyMsP50, Long latencyMsP99,
    long checkpointBytes, long peakHeapBytes, Long stateBytesPerKey, Double cpuBusy, Map<String, Long> taskCpuMs,
    Long featureWindows) {

  RunResult(String name, long records, double seconds, Long latencyMsP50, Long latencyMsP99, long checkpointBytes,
      long peakHeapBytes, Long stateBytesPerKey, Double cpuBusy, Map<String, Long> taskCpuMs) {
    this(name, records, seconds, latencyMsP50, latencyMsP99, checkpointBytes, peakHeapBytes, stateBytesPerKey, cpuBusy,
        taskCpuMs, null);
  }

  /** CPU milliseconds of the subtask threads of the stages whose name starts with {@code stage}. */
  long stageCpuMs(String stage) {
    return taskCpuMs.entrySet().stream().filter(e -> e.getKey().startsWith(stage)).mapToLong(Map.Entry::getValue).sum();
  }

  /** The label join's CPU per prediction in µs (its chain: the join and duplicate check, drift's local summaries, the performance counting, the labelled writer); null without one. */
  Double joinMicrosPerPrediction() {
    long ms = stageCpuMs("join labels");
    return ms == 0 || records == 0 ? null : ms * 1000.0 / records;
  }

  /** The drift tests' CPU per closed window and feature in µs; null when not measured. */
  Double windowCloseMicrosPerFeature() {
    long ms = stageCpuMs("drift per window");
    return featureWindows == null || featureWindows == 0 || ms == 0 ? null : ms * 1000.0 / featureWindows;
  }

  double recordsPerSecond() {
    return seconds > 0 ? records / seconds : 0;
  }
}
