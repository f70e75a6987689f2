package dev.driftline.core.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The one JSON configuration of Driftline's documents: snake_case keys, unknown keys rejected. */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
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
   */
  private static final ObjectMapper EVENTS = new ObjectMapper(JsonFactory.builder()
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build());

  /** The shared, thread-safe reader of incoming events; do not reconfigure it. */
  public static ObjectMapper events() {
    return EVENTS;
  }

  /** A shared, thread-safe mapper; do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
