package dev.driftline.core.spec;

import java.io.Serializable;

import java.time.Instant;

/**
 * Where a model's drift baseline comes from.
 *
 * @param path for {@link Source#PROFILE}: a profile built by {@code driftline baseline build}, any
 *     Flink file system path; null otherwise
 * @param start for {@link Source#PINNED_WINDOW}: inclusive event-time start; null otherwise
 * @param end for {@link Source#PINNED_WINDOW}: exclusive event-time end; null otherwise
 */
public record ReferenceSpec(Source source, String path, Instant start, Instant end) implements Serializable {
  public enum Source {
    PROFILE("profile"),
    PINNED_WINDOW("pinned_window"),
    PREVIOUS_WINDOW("previous_window");

    private final String id;

    Source(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }
}
