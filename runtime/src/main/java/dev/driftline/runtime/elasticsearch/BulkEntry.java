package dev.driftline.runtime.elasticsearch;

import java.io.Serializable;

/**
 * An operation waiting in (or sent from) the sink's buffer, with how often it was retried so far.
 * Kept in checkpoints by {@link BulkEntrySerializer}.
 */
record BulkEntry(EsOperation operation, int retries) implements Serializable {
  private static final long serialVersionUID = 1L;

  BulkEntry retried() {
    return new BulkEntry(operation, retries + 1);
  }

  /** Bytes this entry adds to a bulk request body, roughly: the document plus its action line. */
  long sizeInBytes() {
    return operation.document().length + operation.index().length() + operation.id().length() + 64L;
  }
}
