package dev.driftline.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The fields that say when a record was written rather than what it says: the only fields in which
 * two runs of the jobs on the same input may differ (docs/determinism.md).
 */
public final class WrittenAt {
  public static final List<String> FIELDS = List.of("computed_at", "created_at", "failed_at");

  private WrittenAt() {}

  /** The record as compact JSON text without {@link #FIELDS}: equal for records that say the same. */
  public static String without(JsonNode record) {
    ObjectNode copy = ((ObjectNode) record).deepCopy();
    copy.remove(FIELDS);
    return copy.toString();
  }

  /** {@link #without(JsonNode)} of a record as Driftline writes it as JSON. */
  public static String without(Object record) {
    try {
      return without(Json.mapper().readTree(Json.bytes(record)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
