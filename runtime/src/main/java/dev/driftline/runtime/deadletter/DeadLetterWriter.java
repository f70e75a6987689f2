package dev.driftline.runtime.deadletter;

import java.io.IOException;

/**
 * Writes dead letters for one parallel instance. {@link #write} may be called from any thread (an
 * I/O client's callback thread included) and may be asynchronous; {@link #flush} returns once
 * everything written before it is durable, or throws if any of it failed, so a caller can
 * complete a checkpoint only when its dead letters are safe.
 */
public interface DeadLetterWriter extends AutoCloseable {
  /** Hands over one dead letter; throws if an earlier write is already known to have failed. */
  void write(DeadLetter deadLetter) throws IOException;

  /** Blocks until every dead letter written so far is durable; throws if one failed. */
  void flush() throws IOException;

  @Override
  void close() throws IOException;
}
