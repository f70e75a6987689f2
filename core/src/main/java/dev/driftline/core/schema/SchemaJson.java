package dev.driftline.core.schema;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads and writes the schema files in their committed layout (Python's {@code json.dumps(indent=2,
 * ensure_ascii=False)} plus a newline), so that a file rewritten from the registries differs from
 * the committed one only where the registries changed it. Numbers keep their written digits
 * (floats are read as decimals and written as Python's {@code repr} writes a float). Stateless,
 * thread-safe.
 */
public final class SchemaJson {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

  private SchemaJson() {}

  /** The document in {@code text}; keys keep their order. */
  public static ObjectNode read(String where, String text) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (!(node instanceof ObjectNode object)) {
        throw new IllegalArgumentException(where + ": expected a JSON object");
      }
      return object;
    } catch (IOException e) {
      throw new UncheckedIOException(where + ": not JSON: " + e.getMessage(), e);
    }
  }

  /** {@code node} in the committed layout, ending with a newline. */
  public static String write(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, "", out);
    return out.append('\n').toString();
  }

  private static void write(JsonNode node, String indent, StringBuilder out) {
    String inner = indent + "  ";
    if (node.isObject()) {
      if (node.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append("{\n");
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        out.append(inner);
        string(f.getKey(), out);
        out.append(": ");
        write(f.getValue(), inner, out);
        out.append(fields.hasNext() ? ",\n" : "\n");
      }
      out.append(indent).append('}');
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append("[\n");
      for (int i = 0; i < node.size(); i++) {
        out.append(inner);
        write(node.get(i), inner, out);
        out.append(i + 1 < node.size() ? ",\n" : "\n");
      }
      out.append(indent).append(']');
    } else if (node.isTextual()) {
      string(node.asText(), out);
    } else if (node.isFloatingPointNumber()) {
      out.append(pythonRepr(node.decimalValue()));
    } else {
      out.append(node.toString());
    }
  }

  /** A float's shortest digits as Python's {@code repr} writes them: fixed between 1e-4 and 1e16, else d.ddde±XX. */
  static String pythonRepr(BigDecimal value) {
    if (value.signum() == 0) {
      return value.scale() > 0 && value.toString().startsWith("-") ? "-0.0" : "0.0";
    }
    BigDecimal stripped = value.stripTrailingZeros();
    String digits = stripped.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - stripped.scale(); // value = d.ddd × 10^exponent
    String sign = stripped.signum() < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 16) {
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }
    String plain = stripped.abs().toPlainString();
    return sign + (plain.contains(".") ? plain : plain + ".0");
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
