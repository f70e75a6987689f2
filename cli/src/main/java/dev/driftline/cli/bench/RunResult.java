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
 */
record RunResult(String name, long records, double seconds, Long latencyMsP50, Long latencyMsP99,
    long checkpointBytes, long peakHeapBytes, Long stateBytesPerKey, Double cpuBusy, Map<String, Long> taskCpuMs) {

  double recordsPerSecond() {
    return seconds > 0 ? records / seconds : 0;
  }
}
