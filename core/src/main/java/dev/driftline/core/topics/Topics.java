package dev.driftline.core.topics;

import dev.driftline.core.features.FeatureView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The catalogue as lists of named topics, and what is generated from it (the docker setup script, the docs table). */
public final class Topics {
  /** The producer of inputs: the users' own systems (model servers, label sources, event producers). */
  public static final String USERS = "users";
  /** Where {@link #script()} is committed, relative to the repository root. */
  public static final String SCRIPT_PATH = "docker/setup/create-topics.sh";

  private Topics() {}

  /** Every entry under its default name, in catalogue order. */
  public static List<NamedTopic> defaults() {
    return withViews(List.of());
  }

  /**
   * Every entry under its default name, except that the feature entries are those of {@code views}
   * (each view's source topic and log topic) when any are given, instead of the example view's.
   */
  public static List<NamedTopic> withViews(List<FeatureView> views) {
    List<NamedTopic> out = new ArrayList<>();
    for (Topic t : Topic.values()) {
      if (views.isEmpty() || (t != Topic.FEATURE_EVENTS && t != Topic.FEATURES)) {
        out.add(t.byDefault());
      } else if (t == Topic.FEATURE_EVENTS) {
        views.stream().map(v -> v.topic()).distinct().forEach(name -> out.add(t.named(name)));
      } else {
        views.forEach(v -> out.add(t.named(v.logTopic())));
      }
    }
    return out;
  }

  /** The docker setup's {@value #SCRIPT_PATH}: creates every topic of {@link #defaults()} with its configs. */
  public static String script() {
    StringBuilder s = new StringBuilder();
    s.append("#!/bin/sh\n")
        .append("# Generated from the topic catalogue (core/src/main/java/dev/driftline/core/topics/Topic.java) by\n")
        .append("#   bin/driftline topics script > ").append(SCRIPT_PATH).append("\n")
        .append("# do not edit by hand; ComposeFileTest fails when it differs from the catalogue.\n")
        .append("# Creates the Driftline topics with their cleanup policy and retention; safe to run again\n")
        .append("# (--if-not-exists: an existing topic keeps its settings, `driftline topics check` lists differences).\n")
        .append("# Runs in the apache/kafka image.\n")
        .append("set -eu\n")
        .append("bootstrap=\"${BOOTSTRAP_SERVERS:-kafka:9092}\"\n")
        .append("partitions=\"${PARTITIONS:-3}\"\n")
        .append("replication=\"${REPLICATION:-1}\"\n")
        .append("topics=/opt/kafka/bin/kafka-topics.sh\n")
        .append("\n")
        .append("create() {\n")
        .append("  topic=\"$1\"\n")
        .append("  shift\n")
        .append("  \"$topics\" --bootstrap-server \"$bootstrap\" --create --if-not-exists \\\n")
        .append("    --topic \"$topic\" --partitions \"$partitions\" --replication-factor \"$replication\" \"$@\"\n")
        .append("}\n")
        .append("\n");
    for (NamedTopic t : defaults()) {
      s.append("create ").append(t.name());
      for (Map.Entry<String, String> c : t.orderedConfigs().entrySet()) {
        s.append(" --config ").append(c.getKey()).append('=').append(c.getValue());
      }
      s.append('\n');
    }
    s.append("\n")
        .append("echo \"kafka-setup: topics ready on $bootstrap:\"\n")
        .append("\"$topics\" --bootstrap-server \"$bootstrap\" --list\n");
    return s.toString();
  }

  /** The catalogue as the Markdown table of {@code docs/topics.md}. */
  public static String markdownTable() {
    StringBuilder s = new StringBuilder();
    s.append("| topic | records (schema) | written by | created by users | cleanup.policy | retention | key | what |\n")
        .append("|---|---|---|---|---|---|---|---|\n");
    for (Topic t : Topic.values()) {
      String retention = t.retention() != null ? days(t.retention())
          : t.minCompactionLag() != null ? "all records for " + days(t.minCompactionLag()) + ", then the latest per key"
          : "the latest record per key";
      s.append("| ").append(nameCell(t))
          .append(" | [").append(t.schema().headerValue()).append("](../").append(t.schema().resource()).append(")")
          .append(" | ").append(t.producer())
          .append(" | ").append(t.userCreated() ? "yes" : "no")
          .append(" | ").append(t.cleanup().value())
          .append(" | ").append(retention)
          .append(" | ").append(t.key())
          .append(" | ").append(t.description())
          .append(" |\n");
    }
    return s.toString();
  }

  private static String nameCell(Topic t) {
    return switch (t) {
      case FEATURE_EVENTS -> "a view's `source.topic`, e.g. `" + t.defaultName() + "`";
      case FEATURES -> "`" + FeatureView.LOG_TOPIC_PREFIX + "<view>`, e.g. `" + t.defaultName() + "`";
      default -> "`" + t.defaultName() + "`";
    };
  }

  private static String days(Duration d) {
    return String.format(Locale.ROOT, "%d days", d.toDays());
  }
}
