package dev.driftline.core.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The one JSON configuration of Driftline's documents: snake_case keys, unknown keys and trailing
 * text rejected, doubles written as the shortest decimal that reads back as the same double
 * (Jackson's Schubfach writer: JDK 17's {@code Double.toString} is several times slower and now and
 * then writes a digit more than needed; both read back as the same double).
 */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      .build())
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private Json() {}

  /** {@code value} as JSON bytes; a value that cannot be serialized is a programming error. */
  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialize " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  /**
   * The reader of incoming events (predictions, labels, raw feature events): a duplicated key is an
   * error, and numbers are parsed with Jackson's fast parser — correctly rounded like
   * {@code Double.parseDouble}, several times faster, and every event's features go through it.
   * The tokens {@code NaN} and {@code Infinity} (which Python's json.dumps writes) are read as
   * numbers so that the decoder, which refuses every non-finite number, can name the field.
   */
  private static final ObjectMapper EVENTS = new ObjectMapper(JsonFactory.builder()
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build())
      // A valid event followed by anything is not a valid event (a concatenation, a cut-off write).
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** The shared, thread-safe reader of incoming events; do not reconfigure it. */
  public static ObjectMapper events() {
    return EVENTS;
  }

  /** A shared, thread-safe mapper; do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  private static final ObjectMapper RECORDS = MAPPER.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * The reader of Driftline's own records from its topics (drift results, performance): as
   * {@link #mapper()}, but fields it does not know are ignored, because within a schema's major
   * version a newer writer may add optional fields (schemas/README.md). Thread-safe; do not
   * reconfigure it.
   */
  public static ObjectMapper records() {
    return RECORDS;
  }

  /**
   * The one-line reason of a parse failure, naming where it happened:
   * {@code invalid JSON: Unexpected character ('}' (code 125)): expected a value at features.income (line 1, column 40)}.
   */
  public static String invalid(Exception e) {
    String message = e instanceof JsonProcessingException j && j.getOriginalMessage() != null
        ? j.getOriginalMessage() : e.getMessage() == null ? e.toString() : e.getMessage();
    StringBuilder reason = new StringBuilder("invalid JSON: ").append(message.lines().findFirst().orElse(""));
    if (e instanceof JsonProcessingException j) {
      String path = j.getProcessor() instanceof JsonParser p ? path(p.getParsingContext()) : "";
      if (!path.isEmpty()) {
        reason.append(" at ").append(path);
      }
      JsonLocation at = j.getLocation();
      if (at != null && at.getLineNr() > 0) {
        reason.append(path.isEmpty() ? " at " : " ").append("(line ").append(at.getLineNr())
            .append(", column ").append(at.getColumnNr()).append(')');
      }
    }
    return reason.toString();
  }

  /** {@code features.income} or {@code items[3]}: where a parser stood, as a decoder's reasons name fields. */
  private static String path(JsonStreamContext context) {
    java.util.ArrayDeque<String> steps = new java.util.ArrayDeque<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        steps.push("[" + Math.max(c.getCurrentIndex(), 0) + "]");
      } else if (c.getCurrentName() != null) {
        steps.push(c.getCurrentName());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String step : steps) {
      if (out.length() > 0 && !step.startsWith("[")) {
        out.append('.');
      }
      out.append(step);
    }
    return out.length() > 80 ? out.substring(0, 77) + "..." : out.toString();
  }

  /** A field's value as a reason quotes it: JSON text, cut at 60 characters; {@code nothing} when absent. */
  public static String describe(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "nothing";
    }
    if (v.isNull()) {
      return "null";
    }
    if (v.isNumber() && !Double.isFinite(v.asDouble())) {
      return v.asText(); // NaN, Infinity, -Infinity: unquoted, unlike the strings "NaN", ...
    }
    String text = v.toString();
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }
}
