package dev.driftline.core.synth;

/**
 * What a {@link TrafficGenerator} has emitted so far.
 *
 * @param missingLabels predictions emitted that will never get a label
 */
public record TrafficCounts(long predictions, long labels, long missingLabels) {}
