package dev.driftline.core.events;

import dev.driftline.core.io.Decoded;

/**
 * A decoder of the events that share the common header ({@link EventJson#header}: model, prediction
 * id, time): a record whose header is unusable is refused with the header's reason; the rest of a
 * record is the subclass's to read.
 */
abstract class EventDecoder<T> implements Decoded.Decoder<T> {
  private static final long serialVersionUID = 1L;
  private final ModelRegistry models;

  EventDecoder(ModelRegistry models) {
    this.models = models;
  }

  @Override
  public final Decoded<T> decode(byte[] bytes) {
    Decoded<EventJson.Header> head = EventJson.header(bytes, models);
    if (!head.isOk()) {
      return Decoded.error(head.error());
    }
    return decode(head.value());
  }

  /** The event of a record whose header is valid, or the reason it is refused. */
  abstract Decoded<T> decode(EventJson.Header header);
}
