package dev.driftline.core.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.driftline.core.io.DurationText;
import dev.driftline.core.io.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A position in a parsed YAML document that knows its source file and its path, so every
 * validation error can say where it is and what was expected. Immutable.
 */
public final class SpecNode {
  private final String source;
  private final String path;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final JsonNode node;

  SpecNode(String source, String path, JsonNode node) {
    this.source = source;
    this.path = path;
    this.node = node == null ? MissingNode.getInstance() : node;
  }

  /** The text of a spec file; a missing or unreadable file is a {@link SpecException} naming it. */
  public static String readFile(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new SpecException(file + ": no such file");
    } catch (IOException e) {
      throw new SpecException(file + ": cannot read: " + e.getMessage());
    }
  }

  /** The root of a YAML document; a syntax error is a {@link SpecException} with its line and column. */
  public static SpecNode parseYaml(String source, String yaml) {
    JsonNode tree;
    try {
      tree = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
      String reason = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage();
      throw new SpecException(source + where + ": invalid YAML: " + reason.lines().findFirst().orElse(""));
    }
    return new SpecNode(source, "", tree);
  }


  public String path() {
    return path.isEmpty() ? "(document)" : path;
  }

  public boolean isPresent() {
    return !node.isMissingNode() && !node.isNull();
  }

  JsonNode raw() {
    return node;
  }

  /** An error at this node: {@code source: path: message}. */
  public SpecException error(String message) {
    return new SpecException(source + ": " + path() + ": " + message);
  }

  public SpecNode get(String key) {
    return new SpecNode(source, path.isEmpty() ? key : path + "." + key, node.get(key));
  }

  /** Fails when this mapping has a key outside {@code allowed}: a typo must not be ignored. */
  public SpecNode requireMapping(String... allowed) {
    if (!node.isObject()) {
      throw error("expected a mapping, got " + describe(node));
    }
    Set<String> known = new TreeSet<>(Arrays.asList(allowed));
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        throw get(name).error("unknown key; expected one of " + String.join("|", known));
      }
    }
    return this;
  }

  public List<SpecNode> elements() {
    if (!isPresent()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw error("expected a list, got " + describe(node));
    }
    List<SpecNode> out = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      out.add(new SpecNode(source, path + "[" + i + "]", node.get(i)));
    }
    return out;
  }

  public String requiredString() {
    if (!isPresent()) {
      throw error("required, missing");
    }
    return string();
  }

  public String optionalString(String fallback) {
    return isPresent() ? string() : fallback;
  }

  private String string() {
    if (!node.isTextual() && !node.isNumber()) {
      throw error("expected a string, got " + describe(node));
    }
    String text = node.asText().trim();
    if (text.isEmpty()) {
      throw error("expected a non-empty string");
    }
    return text;
  }

  public String requiredMatching(Pattern pattern, String expected) {
    String text = requiredString();
    if (!pattern.matcher(text).matches()) {
      throw error("expected " + expected + ", got \"" + text + "\"");
    }
    return text;
  }

  public <E extends Enum<E>> E enumValue(Class<E> type, E fallback, Function<E, String> name) {
    if (!isPresent()) {
      if (fallback == null) {
        throw error("required, missing; expected one of " + choices(type, name));
      }
      return fallback;
    }
    String text = string();
    for (E e : type.getEnumConstants()) {
      if (name.apply(e).equalsIgnoreCase(text)) {
        return e;
      }
    }
    throw error("expected one of " + choices(type, name) + ", got \"" + text + "\"");
  }

  private static <E extends Enum<E>> String choices(Class<E> type, Function<E, String> name) {
    List<String> out = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      out.add(name.apply(e));
    }
    return String.join("|", out);
  }

  public double number(double fallback, double min, double max) {
    if (!isPresent()) {
      return fallback;
    }
    return requiredNumber(min, max);
  }

  public double requiredNumber(double min, double max) {
    if (!isPresent()) {
      throw error("required, missing");
    }
    if (!node.isNumber()) {
      throw error("expected a number, got " + describe(node));
    }
    double value = node.asDouble();
    if (!Double.isFinite(value) || value < min || value > max) {
      throw error("expected a number in [" + fmt(min) + ", " + fmt(max) + "], got " + node.asText());
    }
    return value;
  }

  public int integer(int fallback, int min, int max) {
    if (!isPresent()) {
      return fallback;
    }
    if (!node.isIntegralNumber()) {
      throw error("expected a whole number, got " + describe(node));
    }
    long value = node.asLong();
    if (value < min || value > max) {
      throw error("expected a whole number in [" + min + ", " + max + "], got " + value);
    }
    return (int) value;
  }

  public boolean bool(boolean fallback) {
    if (!isPresent()) {
      return fallback;
    }
    if (!node.isBoolean()) {
      throw error("expected true or false, got " + describe(node));
    }
    return node.asBoolean();
  }

  /** As {@link #duration}, and above zero. */
  public Duration positiveDuration(Duration fallback) {
    Duration d = duration(fallback);
    if (d.isZero() || d.isNegative()) {
      throw error("expected a duration above zero");
    }
    return d;
  }

  /** A duration such as {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 7d}, {@code 2w}. */
  public Duration duration(Duration fallback) {
    if (!isPresent()) {
      if (fallback == null) {
        throw error("required, missing; expected a duration such as 30s, 10m, 1h, 7d");
      }
      return fallback;
    }
    return parseDuration(node.asText().trim());
  }

  private Duration parseDuration(String text) {
    if (!node.isTextual()) {
      throw error("expected a duration such as 30s, 10m, 1h, 7d, got " + describe(node));
    }
    try {
      return DurationText.parse(text);
    } catch (InputException e) {
      throw error(e.getMessage());
    }
  }

  static String describe(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return "nothing";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isTextual()) {
      return "\"" + node.asText() + "\"";
    }
    return node.asText();
  }

  private static String fmt(double v) {
    if (v == Double.MAX_VALUE) {
      return "inf";
    }
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
