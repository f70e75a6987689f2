package dev.driftline.core.topics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A catalogue entry under the name one deployment gives it, with its topic configs (the entry's,
 * or others where a job's option overrides one, e.g. the feature pipeline's {@code --log-history}).
 */
public record NamedTopic(String name, Topic topic, Map<String, String> configs) {
  public NamedTopic {
    Objects.requireNonNull(topic, "topic");
    if (name == null || !name.matches("[a-zA-Z0-9._-]{1,249}")) {
      throw new IllegalArgumentException(topic.defaultName() + " topic: expected 1-249 of [a-zA-Z0-9._-], got \""
          + name + "\"");
    }
    configs = Map.copyOf(configs);
  }

  public NamedTopic(String name, Topic topic) {
    this(name, topic, topic.configs());
  }

  /** The same topic with {@code key} set to {@code value}. */
  public NamedTopic withConfig(String key, String value) {
    Map<String, String> c = new LinkedHashMap<>(configs);
    c.put(key, value);
    return new NamedTopic(name, topic, c);
  }

  /** The configs in the catalogue's order (cleanup.policy first), for scripts and messages. */
  public Map<String, String> orderedConfigs() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String k : new String[] {Topic.CLEANUP_POLICY, Topic.RETENTION_MS, Topic.MIN_COMPACTION_LAG_MS}) {
      if (configs.containsKey(k)) {
        out.put(k, configs.get(k));
      }
    }
    configs.keySet().stream().sorted().filter(k -> !out.containsKey(k)).forEach(k -> out.put(k, configs.get(k)));
    return out;
  }
}
