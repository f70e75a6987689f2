package dev.driftline.core.features;

import dev.driftline.core.io.DurationText;
import dev.driftline.core.spec.SpecException;
import dev.driftline.core.spec.SpecNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a feature view (YAML). Every problem is a {@link SpecException} with one
 * line naming the file, the path in the document and what was expected:
 * {@code card.yaml: features[2].window: expected a duration such as 30s, 10m, 1h, 7d, got "1 hour"}.
 */
public final class FeatureViewParser {
  private static final Pattern VIEW = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  private static final Pattern FEATURE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final Pattern FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
  private static final String FIELD_EXPECTED = "a field name of letters, digits, _ . - starting with a letter or _";
  /** Bounds the state of one entity: buckets × features. */
  public static final int MAX_BUCKETS = 10_000;
  static final int DEFAULT_BUCKETS = 60;
  
  private FeatureViewParser() {}

  public static FeatureView load(Path file) {
    return parse(file.toString(), SpecNode.readFile(file));
  }

  /** Parses {@code yaml}; {@code source} names it in error messages (usually the file path). */
  public static FeatureView parse(String source, String yaml) {
    SpecNode root = SpecNode.parseYaml(source, yaml);
    if (!root.isPresent()) {
      throw new SpecException(source + ": empty document; expected a feature view mapping");
    }
    root.requireMapping("view", "description", "source", "entity_ttl", "features");
    String name = root.get("view").requiredMatching(VIEW, "a view name of lowercase letters, digits, _ - (at most 64)");

    SpecNode src = root.get("source");
    if (!src.isPresent()) {
      throw src.error("required, missing; expected {topic, entity_key, timestamp, ...}");
    }
    src.requireMapping("topic", "entity_key", "timestamp", "max_out_of_orderness", "idle_timeout");
    String topic = src.get("topic").requiredMatching(TOPIC, "a Kafka topic name of letters, digits, . _ -");
    String entity = src.get("entity_key").requiredMatching(FIELD, FIELD_EXPECTED);
    String timestamp = src.get("timestamp").requiredMatching(FIELD, FIELD_EXPECTED);
    if (entity.equals(timestamp)) {
      throw src.get("timestamp").error("expected a field other than entity_key \"" + entity + "\"");
    }
    Duration outOfOrder = src.get("max_out_of_orderness").duration(Duration.ofSeconds(30));
    if (outOfOrder.isNegative()) {
      throw src.get("max_out_of_orderness").error("expected 0 or more");
    }
    Duration idle = src.get("idle_timeout").positiveDuration(Duration.ofMinutes(1));

    SpecNode list = root.get("features");
    if (!list.isPresent()) {
      throw list.error("required, missing; expected a list of {name, aggregation, ...}");
    }
    List<SpecNode> items = list.elements();
    if (items.isEmpty()) {
      throw list.error("expected at least one feature");
    }
    List<FeatureDef> features = new ArrayList<>();
    Map<String, SpecNode> byName = new HashMap<>();
    Set<String> numeric = new LinkedHashSet<>();
    Set<String> text = new LinkedHashSet<>();
    Duration longest = Duration.ZERO;
    for (SpecNode item : items) {
      FeatureDef f = feature(item, entity, timestamp);
      if (byName.put(f.name(), item) != null) {
        throw item.get("name").error("duplicate feature \"" + f.name() + "\"");
      }
      if (f.aggregation().field() == Aggregation.FieldKind.NUMERIC) {
        numeric.add(f.field());
      } else if (f.aggregation().field() == Aggregation.FieldKind.ANY) {
        text.add(f.field());
      }
      if (f.window() != null && f.window().compareTo(longest) > 0) {
        longest = f.window();
      }
      features.add(f);
    }
    for (FeatureDef f : features) {
      if (f.aggregation() == Aggregation.RATIO) {
        SpecNode item = byName.get(f.name());
        checkOperand(item.get("numerator"), f.numerator(), f.name(), features);
        checkOperand(item.get("denominator"), f.denominator(), f.name(), features);
      }
    }

    SpecNode ttlNode = root.get("entity_ttl");
    Duration ttl = ttlNode.positiveDuration(longest.isZero() ? Duration.ofDays(1) : longest);
    if (ttl.compareTo(longest) < 0) {
      throw ttlNode.error("expected at least the longest window " + DurationText.format(longest)
          + " (a shorter one would forget events still inside a window)");
    }
    return new FeatureView(name, topic, entity, timestamp, outOfOrder, idle, ttl, features,
        List.copyOf(numeric), List.copyOf(text));
  }

  private static FeatureDef feature(SpecNode item, String entityField, String timestampField) {
    item.requireMapping("name", "aggregation", "field", "window", "granularity", "numerator", "denominator", "description");
    String name = item.get("name").requiredMatching(FEATURE, "a feature name of letters, digits, _ starting with a letter or _");
    Aggregation agg = item.get("aggregation").enumValue(Aggregation.class, null, Aggregation::id);
    String field = null;
    if (agg.field() == Aggregation.FieldKind.NONE) {
      forbid(item, agg, "field");
    } else {
      field = item.get("field").requiredMatching(FIELD, FIELD_EXPECTED);
      if (field.equals(entityField) || field.equals(timestampField)) {
        throw item.get("field").error("expected an event field other than the entity key and timestamp, got \"" + field + "\"");
      }
    }
    Duration window = null;
    Duration granularity = null;
    if (agg.windowed()) {
      SpecNode w = item.get("window");
      window = w.positiveDuration(null);
      SpecNode g = item.get("granularity");
      if (g.isPresent()) {
        granularity = g.positiveDuration(null);
        if (window.toMillis() % granularity.toMillis() != 0) {
          throw g.error("expected a divisor of the window " + DurationText.format(window) + ", got " + DurationText.format(granularity));
        }
      } else {
        if (window.toMillis() % DEFAULT_BUCKETS != 0) {
          throw w.error("expected a window divisible into " + DEFAULT_BUCKETS + " whole-millisecond buckets, or set granularity");
        }
        granularity = Duration.ofMillis(window.toMillis() / DEFAULT_BUCKETS);
      }
      if (window.toMillis() / granularity.toMillis() > MAX_BUCKETS) {
        throw g.error("expected at most " + MAX_BUCKETS + " buckets per window, got "
            + window.toMillis() / granularity.toMillis() + " (" + DurationText.format(window) + " / " + DurationText.format(granularity) + ")");
      }
    } else {
      forbid(item, agg, "window", "granularity");
    }
    String numerator = null;
    String denominator = null;
    if (agg == Aggregation.RATIO) {
      numerator = item.get("numerator").requiredMatching(FEATURE, "the name of another feature of this view");
      denominator = item.get("denominator").requiredMatching(FEATURE, "the name of another feature of this view");
    } else {
      forbid(item, agg, "numerator", "denominator");
    }
    return new FeatureDef(name, agg, field, window, granularity, numerator, denominator);
  }

  private static void checkOperand(SpecNode node, String operand, String self, List<FeatureDef> features) {
    for (FeatureDef f : features) {
      if (f.name().equals(operand)) {
        if (f.aggregation() == Aggregation.RATIO) {
          throw node.error("expected a feature that is not itself a ratio, got \"" + operand + "\"");
        }
        return;
      }
    }
    throw node.error("expected the name of another feature of this view, got \"" + operand + "\""
        + (operand.equals(self) ? " (itself)" : ""));
  }

  private static void forbid(SpecNode item, Aggregation agg, String... keys) {
    for (String key : keys) {
      if (item.get(key).isPresent()) {
        throw item.get(key).error("not used with aggregation " + agg.id());
      }
    }
  }


}
