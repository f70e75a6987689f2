package dev.driftline.runtime.elasticsearch;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One write to Elasticsearch: a JSON document for {@code index} under a deterministic {@code id},
 * so that replaying the same input after a restart overwrites instead of duplicating.
 *
 * <p>{@link OpType#INDEX} replaces the document; {@link OpType#UPSERT} merges the given fields into
 * it (an update with {@code doc_as_upsert}). An INDEX may carry an external version
 * ({@link #withExternalVersion}): Elasticsearch then keeps whichever write has the highest
 * version, so a late, older update cannot overwrite a newer one (a "guarded" write).
 *
 * @param index target index (or alias / data stream), e.g. {@code driftline-drift-2026.01}
 * @param id document id, at most 512 bytes of UTF-8
 * @param document the document as UTF-8 JSON, sent as it is
 * @param opType how to write it
 * @param externalVersion the external version, or {@link #NO_VERSION}
 */
public record EsOperation(String index, String id, byte[] document, OpType opType, long externalVersion)
    implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final long NO_VERSION = -1;

  public enum OpType { INDEX, UPSERT }

  public EsOperation {
    checkIndex(index);
    if (id == null || id.isEmpty() || id.getBytes(StandardCharsets.UTF_8).length > 512) {
      throw new IllegalArgumentException("Elasticsearch operation for " + index + ": id: expected 1-512 bytes, got "
          + (id == null ? "nothing" : id.getBytes(StandardCharsets.UTF_8).length + " bytes"));
    }
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(opType, "opType");
    if (externalVersion < NO_VERSION) {
      throw new IllegalArgumentException("Elasticsearch operation " + index + "/" + id
          + ": external version: expected 0 or more, got " + externalVersion);
    }
    if (externalVersion != NO_VERSION && opType != OpType.INDEX) {
      throw new IllegalArgumentException("Elasticsearch operation " + index + "/" + id
          + ": external versions work only with op type INDEX, got " + opType);
    }
  }

  /** Create or replace the document. */
  public static EsOperation index(String index, String id, byte[] json) {
    return new EsOperation(index, id, json, OpType.INDEX, NO_VERSION);
  }

  /** Merge {@code json}'s fields into the document, creating it when absent. */
  public static EsOperation upsert(String index, String id, byte[] json) {
    return new EsOperation(index, id, json, OpType.UPSERT, NO_VERSION);
  }

  /** This INDEX, applied only if {@code version} is higher than the stored document's. */
  public EsOperation withExternalVersion(long version) {
    if (version < 0) {
      throw new IllegalArgumentException("Elasticsearch operation " + index + "/" + id
          + ": external version: expected 0 or more, got " + version);
    }
    return new EsOperation(index, id, document, opType, version);
  }

  public boolean guarded() {
    return externalVersion != NO_VERSION;
  }

  private static void checkIndex(String index) {
    if (index == null || index.isEmpty() || index.length() > 255 || !index.equals(index.toLowerCase(java.util.Locale.ROOT))
        || index.startsWith("-") || index.startsWith("_") || index.startsWith("+")
        || index.equals(".") || index.equals("..") || index.chars().anyMatch(c -> "\\/*?\"<>| ,#:".indexOf(c) >= 0)) {
      throw new IllegalArgumentException("Elasticsearch operation: index: expected a lowercase name without"
          + " \\/*?\"<>| ,#: (not starting with -_+), got \"" + index + "\"");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EsOperation e && index.equals(e.index) && id.equals(e.id) && Arrays.equals(document, e.document)
        && opType == e.opType && externalVersion == e.externalVersion;
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, id, Arrays.hashCode(document), opType, externalVersion);
  }

  @Override
  public String toString() {
    return "EsOperation[" + opType + " " + index + "/" + id + (guarded() ? " v" + externalVersion : "")
        + ", " + document.length + " bytes]";
  }
}
