package dev.driftline.cli.soak;

/**
 * What one sample of a soak run saw. Sizes in bytes, times in milliseconds; a value not yet known
 * (no checkpoint completed, no result read in the interval) is null.
 *
 * @param minute minutes since the traffic started
 * @param heapAfterGcBytes the TaskManager's heap used right after a full GC it was asked for
 * @param stateBytes full state size of the latest completed checkpoint
 * @param checkpointBytes bytes the latest completed checkpoint wrote
 * @param checkpointMillis end-to-end duration of the latest completed checkpoint
 * @param checkpoints checkpoints completed so far
 * @param latencyMillis the longest wait, among the drift results read in the interval, from the end of a
 *     result's window (event time, which is wall-clock time here) to the moment it was read committed
 * @param results drift results read so far
 * @param lag records of the input topics not yet committed by the job's consumer group
 * @param produced predictions written so far
 */
public record SoakSample(double minute, long heapAfterGcBytes, Long stateBytes, Long checkpointBytes,
    Long checkpointMillis, long checkpoints, Long latencyMillis, long results, long lag, long produced) {}
