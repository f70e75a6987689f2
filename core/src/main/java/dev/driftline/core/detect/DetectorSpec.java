package dev.driftline.core.detect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.io.Json;
import java.io.Serializable;
import java.util.Map;

/** A detector as a spec configures it: the detector and its validated options. Immutable. */
public record DetectorSpec<O extends Serializable, S>(OnlineDetector<O, S> detector, O options) implements Serializable {

  public String id() {
    return detector.id();
  }

  public Watch watch() {
    return detector.watch(options);
  }

  /**
   * Feeds one value to this detector's state, kept as JSON in {@code states} under its id: reads it
   * (or starts one with {@code seed} when there is none, or the stored one was built for other
   * options), updates it and writes it back.
   */
  public Detection feed(Map<String, JsonNode> states, double value, long seed) {
    S state = null;
    JsonNode stored = states.get(id());
    if (stored != null) {
      try {
        state = Json.mapper().treeToValue(stored, detector.stateType());
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("policy state: detectors." + id() + ": " + Json.invalid(e), e);
      }
    }
    if (state == null || !detector.fits(options, state)) {
      state = detector.start(options, seed);
    }
    Detection d = detector.update(options, state, value);
    states.put(id(), Json.mapper().valueToTree(state));
    return d;
  }
}
