package dev.driftline.runtime.compose;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.Yaml;

/**
 * What {@code docker compose} itself checks before it starts anything: the interpolation of every
 * string value, then the document against the Compose Specification's JSON schema
 * ({@code compose/compose-spec.json}; where it comes from is in the README beside it). Each problem
 * is one line naming the file and, for interpolation, the line. Stateless; thread-safe.
 *
 * <p>Two readers, because they answer different questions. Jackson's YAML parser walks the text as
 * written: each scalar once, at its own line, anchors not expanded, so an error names the line to
 * edit. Compose validates the document after YAML has expanded aliases and merge keys ({@code <<});
 * Jackson's YAML module does neither (an alias reads as the anchor's name), so the document for the
 * schema is loaded with SnakeYAML, the parser underneath Jackson's, which does both.
 */
final class ComposeSpecCheck {
  static final String SCHEMA_RESOURCE = "/compose/compose-spec.json";
  private static final Schema SCHEMA = loadSchema();

  private ComposeSpecCheck() {}

  /** Every problem Compose would report for this text, interpolation first; empty when none. */
  static List<String> check(String fileName, String composeYaml) {
    List<String> problems = new ArrayList<>(interpolationProblems(fileName, composeYaml));
    JsonNode document;
    try {
      document = new ObjectMapper().valueToTree(new Yaml().load(composeYaml));
    } catch (RuntimeException e) {
      problems.add(fileName + ": not YAML: " + e.getMessage().lines().findFirst().orElse(""));
      return problems;
    }
    List<Error> errors = SCHEMA.validate(document);
    for (Error error : errors) {
      String at = location(error);
      if (isAlternativeExplainedDeeper(error, at, errors)) {
        continue;
      }
      String line = fileName + ": " + (at.isEmpty() ? "(top level)" : at) + ": " + error.getMessage()
          + " (Compose Specification schema)";
      if (!problems.contains(line)) {
        problems.add(line);
      }
    }
    return problems;
  }

  private static String location(Error error) {
    return error.getInstanceLocation().toString().replaceFirst("^\\$", "");
  }

  /**
   * A value that may take one of several shapes ({@code oneOf}/{@code anyOf}: a list or a map)
   * fails every shape; the error inside the shape it was written in says what is wrong, the others
   * ("array expected", "one and only one schema") only that it is not the other shape.
   */
  private static boolean isAlternativeExplainedDeeper(Error error, String at, List<Error> errors) {
    String path = error.getEvaluationPath().toString();
    if (!path.contains("oneOf") && !path.contains("anyOf")) {
      return false;
    }
    return errors.stream().anyMatch(other -> location(other).startsWith(at + "/"));
  }

  /**
   * Compose's interpolation rules applied to every string value (keys are not interpolated):
   * {@code $$} is a literal {@code $}; {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}},
   * {@code ${VAR-default}}, {@code ${VAR:?error}}, {@code ${VAR?error}}, {@code ${VAR:+alt}} and
   * {@code ${VAR+alt}} are variables (the text after the operator is interpolated in turn); a name is
   * {@code [_A-Za-z][_A-Za-z0-9]*}. Any other {@code $} makes Compose refuse the file.
   */
  static List<String> interpolationProblems(String fileName, String composeYaml) {
    List<String> problems = new ArrayList<>();
    List<String> lines = composeYaml.lines().toList();
    try (JsonParser parser = new YAMLFactory().createParser(composeYaml)) {
      for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
        if (t != JsonToken.VALUE_STRING) {
          continue;
        }
        String value = parser.getText();
        int at = invalidAt(value);
        if (at < 0) {
          continue;
        }
        String bad = fragment(value, at);
        int lineStart = value.lastIndexOf('\n', at) + 1;
        int lineEnd = value.indexOf('\n', at);
        String valueLine = value.substring(lineStart, lineEnd < 0 ? value.length() : lineEnd).strip();
        int line = lineOf(lines, (int) parser.currentTokenLocation().getLineNr(), valueLine);
        String where = parser.getParsingContext().pathAsPointer().toString().substring(1)
            .replaceAll("/(\\d+)(?=/|$)", "[$1]").replace('/', '.');
        problems.add(fileName + ":" + line + ": " + where + ": invalid interpolation \"" + bad
            + "\": Compose reads $ as the start of a variable; write $$ for a literal $");
      }
    } catch (IOException e) {
      problems.add(fileName + ": not YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    return problems;
  }

  /** The first {@code $...} fragment Compose cannot interpolate, or null when every one is valid. */
  static String firstInvalidTemplate(String s) {
    int at = invalidAt(s);
    return at < 0 ? null : fragment(s, at);
  }

  /** Where the first {@code $} Compose cannot interpolate starts, or -1. */
  private static int invalidAt(String s) {
    int i = 0;
    while ((i = s.indexOf('$', i)) >= 0) {
      char next = i + 1 < s.length() ? s.charAt(i + 1) : ' ';
      if (next == '$') {
        i += 2;
      } else if (isNameStart(next)) {
        i = nameEnd(s, i + 1);
      } else if (next == '{') {
        int close = closingBrace(s, i + 2);
        if (close < 0) {
          return i;
        }
        String inner = s.substring(i + 2, close);
        int nameEnd = inner.isEmpty() || !isNameStart(inner.charAt(0)) ? 0 : nameEnd(inner, 0);
        String operatorAndRest = inner.substring(nameEnd);
        if (nameEnd == 0 || !(operatorAndRest.isEmpty() || operatorAndRest.matches("(?s):?[-?+].*"))) {
          return i;
        }
        int operatorLength = operatorAndRest.isEmpty() ? 0 : operatorAndRest.charAt(0) == ':' ? 2 : 1;
        int restStart = i + 2 + nameEnd + operatorLength;
        int nested = invalidAt(s.substring(restStart, close));
        if (nested >= 0) {
          return restStart + nested;
        }
        i = close + 1;
      } else {
        return i;
      }
    }
    return -1;
  }

  /** The invalid template at {@code at} as the user wrote it: a whole {@code ${...}}, else {@code $} and the character after it. */
  private static String fragment(String s, int at) {
    if (s.startsWith("${", at)) {
      int close = closingBrace(s, at + 2);
      return close < 0 ? s.substring(at).lines().findFirst().orElse("${") : s.substring(at, close + 1);
    }
    return at + 1 < s.length() && !Character.isWhitespace(s.charAt(at + 1)) ? s.substring(at, at + 2) : "$";
  }

  /** The brace closing the {@code ${} whose body starts at {@code from}; nested {@code ${...}} count. */
  private static int closingBrace(String s, int from) {
    int depth = 1;
    for (int j = from; j < s.length(); j++) {
      if (s.startsWith("${", j)) {
        depth++;
        j++;
      } else if (s.charAt(j) == '}' && --depth == 0) {
        return j;
      }
    }
    return -1;
  }

  private static boolean isNameStart(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static int nameEnd(String s, int start) {
    int j = start;
    while (j < s.length() && (isNameStart(s.charAt(j)) || (s.charAt(j) >= '0' && s.charAt(j) <= '9'))) {
      j++;
    }
    return j;
  }

  /**
   * The 1-based line holding {@code text} (the value's line with the invalid template), searching
   * from the scalar's first line: a block scalar's text starts on the lines after its key. The
   * scalar's line when YAML folded the text so that no source line holds it whole.
   */
  private static int lineOf(List<String> lines, int tokenLine, String text) {
    for (int n = tokenLine; n <= lines.size(); n++) {
      if (lines.get(n - 1).contains(text)) {
        return n;
      }
    }
    return tokenLine;
  }

  private static Schema loadSchema() {
    try (InputStream in = ComposeSpecCheck.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(SCHEMA_RESOURCE + ": not on the test classpath");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
          .getSchema(SchemaLocation.of("classpath:" + SCHEMA_RESOURCE), text, InputFormat.JSON);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
