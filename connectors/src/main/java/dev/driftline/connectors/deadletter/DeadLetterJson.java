package dev.driftline.connectors.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The JSON form of a {@link DeadLetter} on the dead-letter topic. The original key and value are
 * kept as text when they are valid UTF-8 ({@code value_encoding: utf8}) and as base64 otherwise
 * ({@code value_encoding: base64}), so every byte survives.
 */
public final class DeadLetterJson {
  private DeadLetterJson() {}

  public static byte[] toJson(DeadLetter d) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("stage", d.stage());
    n.put("reason", d.reason());
    n.put("topic", d.topic());
    n.put("partition", d.partition());
    n.put("offset", d.offset());
    n.put("record_timestamp", d.recordTimestamp());
    n.put("failed_at", d.failedAt());
    putBytes(n, "key", d.key());
    putBytes(n, "value", d.value());
    try {
      return Json.mapper().writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static DeadLetter fromJson(byte[] json) {
    try {
      JsonNode n = Json.mapper().readTree(json);
      return new DeadLetter(n.path("stage").asText(), n.path("reason").asText(),
          n.path("topic").isNull() ? null : n.path("topic").asText(null),
          n.path("partition").asInt(-1), n.path("offset").asLong(-1),
          bytes(n, "key"), bytes(n, "value"),
          n.path("record_timestamp").asLong(-1), n.path("failed_at").asLong(-1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void putBytes(ObjectNode n, String field, byte[] bytes) {
    if (bytes == null) {
      n.putNull(field);
      return;
    }
    String text = DeadLetter.utf8OrNull(bytes);
    n.put(field, text != null ? text : Base64.getEncoder().encodeToString(bytes));
    n.put(field + "_encoding", text != null ? "utf8" : "base64");
  }

  private static byte[] bytes(JsonNode n, String field) {
    JsonNode text = n.get(field);
    if (text == null || text.isNull()) {
      return null;
    }
    return "base64".equals(n.path(field + "_encoding").asText())
        ? Base64.getDecoder().decode(text.asText())
        : text.asText().getBytes(StandardCharsets.UTF_8);
  }
}
