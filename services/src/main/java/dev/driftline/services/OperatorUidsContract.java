package dev.driftline.services;

import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The uid checks every job's test class runs ({@link OperatorUids}): extend it with the job's name,
 * its committed uids and a method that builds the job as production does.
 */
public abstract class OperatorUidsContract {
  private final String job;
  private final Set<String> expected;

  /**
   * @param job the job's name in failure messages
   * @param expected the uids of the previous version, as committed
   */
  protected OperatorUidsContract(String job, Set<String> expected) {
    this.job = job;
    this.expected = expected;
  }

  /** A fresh environment with the job built into it (its sources and sinks need not reach anything). */
  protected abstract StreamExecutionEnvironment built() throws Exception;

  @Test
  public void everyOperatorHasItsCommittedUid() throws Exception {
    OperatorUids.assertStable(job, built(), expected);
  }

  @Test
  public void anOperatorWithoutUidIsRefused() throws Exception {
    OperatorUids.assertRefusesAnOperatorWithoutUid(job, built());
  }
}
