package dev.driftline.runtime.elasticsearch;

import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.runtime.deadletter.DeadLetterSink;
import dev.driftline.runtime.deadletter.DeadLetterWriter;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Test dead letters: every writer of every job in this JVM adds to one static queue. */
final class CollectingDeadLetterSink implements DeadLetterSink {
  private static final long serialVersionUID = 1L;
  private static final Queue<DeadLetter> COLLECTED = new ConcurrentLinkedQueue<>();

  /** Dead letters collected so far whose stage is {@code stage}. */
  static List<DeadLetter> withStage(String stage) {
    return COLLECTED.stream().filter(d -> d.stage().equals(stage)).toList();
  }

  @Override
  public DeadLetterWriter open(String owner) {
    return new DeadLetterWriter() {
      @Override
      public void write(DeadLetter deadLetter) {
        COLLECTED.add(deadLetter);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }
}
