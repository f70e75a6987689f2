package dev.driftline.cli.soak;

/**
 * What one sample of an overload run saw.
 *
 * @param seconds seconds since the traffic started
 * @param phase {@code overload} while the traffic is written, then {@code catch-up}
 * @param produced predictions written and acknowledged by the broker so far
 * @param pendingRecords the job's own lag: the sum over its Kafka sources' subtasks (predictions and
 *     labels) of Flink's {@code pendingRecords}, records of the inputs not yet read, from the
 *     TaskManager's Prometheus reporter
 * @param groupLag records of the inputs not yet committed by the job's consumer group (the broker's view)
 * @param backPressuredMsPerSecond the largest {@code backPressuredTimeMsPerSecond} among the predictions
 *     source's subtasks (Prometheus): how much of each second the source waited for the operators after it
 * @param busyMsPerSecond the largest {@code busyTimeMsPerSecond} among all the job's subtasks (Prometheus)
 * @param results drift results read committed so far
 */
public record OverloadSample(double seconds, String phase, long produced, long pendingRecords, long groupLag,
    double backPressuredMsPerSecond, double busyMsPerSecond, long results) {}
