package dev.driftline.core.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Loads the scipy fixtures written by core/src/test/python/make_ks_fixtures.py. */
final class KsFixtures {

  private KsFixtures() {}

  static JsonNode load(String name) {
    String path = "/fixtures/" + name;
    try (InputStream in = KsFixtures.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("fixture missing from classpath: " + path);
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read fixture " + path, e);
    }
  }

  static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).doubleValue();
    }
    return out;
  }
}
