package dev.driftline.runtime.deadletter;

import java.io.Serializable;

/**
 * Where records that cannot be used go. Serializable so a sink or operator can carry it to the
 * cluster; each parallel writer opens its own {@link DeadLetterWriter}. The production
 * implementation is {@link KafkaDeadLetterSink}.
 */
@FunctionalInterface
public interface DeadLetterSink extends Serializable {
  /**
   * Opens a writer for one parallel instance.
   *
   * @param owner names the opening instance in logs and errors, e.g. {@code elasticsearch-sink 1/2}
   */
  DeadLetterWriter open(String owner);
}
