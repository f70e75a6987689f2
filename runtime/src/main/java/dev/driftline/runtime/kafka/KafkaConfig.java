package dev.driftline.runtime.kafka;

import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How to reach a Kafka cluster: bootstrap servers plus client properties passed through as they
 * are (security.protocol, sasl.*, ssl.*). Immutable and serializable, so operators can carry it.
 * {@link #toString()} masks every value that may be a secret.
 */
public final class KafkaConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String bootstrapServers;
  private final TreeMap<String, String> properties;

  private KafkaConfig(String bootstrapServers, Map<String, String> properties) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("Kafka bootstrap servers: expected host:port[,host:port], got nothing");
    }
    for (String server : bootstrapServers.split(",")) {
      if (!server.trim().matches("[^:\\s]+:\\d{1,5}")) {
        throw new IllegalArgumentException("Kafka bootstrap servers: expected host:port, got \"" + server.trim() + "\"");
      }
    }
    this.bootstrapServers = bootstrapServers.trim();
    this.properties = new TreeMap<>(properties);
  }

  public static KafkaConfig of(String bootstrapServers) {
    return new KafkaConfig(bootstrapServers, Map.of());
  }

  /**
   * From {@code bootstrapServers} and {@code KEY=VALUE} client properties (e.g. from repeated
   * {@code --kafka-property} arguments).
   */
  public static KafkaConfig of(String bootstrapServers, Map<String, String> properties) {
    return new KafkaConfig(bootstrapServers, properties);
  }

  public KafkaConfig withProperty(String key, String value) {
    TreeMap<String, String> next = new TreeMap<>(properties);
    next.put(key, value);
    return new KafkaConfig(bootstrapServers, next);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** A fresh copy of every client property including {@code bootstrap.servers}. */
  public Properties clientProperties() {
    Properties p = new Properties();
    p.putAll(properties);
    p.setProperty("bootstrap.servers", bootstrapServers);
    return p;
  }

  static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password") || k.contains("secret") || k.contains("jaas")
        || k.contains("token") || k.endsWith(".key") || k.contains("credentials");
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("KafkaConfig{bootstrap.servers=").append(bootstrapServers);
    properties.forEach((k, v) -> sb.append(", ").append(k).append('=').append(isSecret(k) ? "****" : v));
    return sb.append('}').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KafkaConfig c && c.bootstrapServers.equals(bootstrapServers) && c.properties.equals(properties);
  }

  @Override
  public int hashCode() {
    return bootstrapServers.hashCode() * 31 + properties.hashCode();
  }
}
