package dev.driftline.cli.dashboards;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The subset of Kibana Query Language the saved objects use, as an Elasticsearch query:
 * {@code field : value} with a quoted string (a phrase), a bare word, {@code true}/{@code false}
 * or a number; a bare value with {@code *} is a wildcard ({@code field : *} alone: the field
 * exists); {@code and}, {@code or}, {@code not} (any case, {@code not} binding tightest, then
 * {@code and}) and parentheses. An empty query matches everything. Anything else — a value without
 * a field, range operators, nested {@code {...}} queries, escapes — is refused with the query and
 * the position, rather than translated to something Kibana would not do.
 */
final class Kql {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private final String text;
  private final List<String> tokens = new ArrayList<>();
  private final List<Integer> positions = new ArrayList<>();
  private final List<Boolean> quoted = new ArrayList<>();
  private int at;

  private Kql(String text) {
    this.text = text;
    tokenize();
  }

  /** The Elasticsearch query for {@code kql}. @throws IllegalArgumentException outside the subset */
  static ObjectNode toQuery(String kql) {
    if (kql == null || kql.isBlank()) {
      return F.objectNode().set("match_all", F.objectNode());
    }
    Kql k = new Kql(kql);
    ObjectNode q = k.or();
    if (k.at < k.tokens.size()) {
      throw k.error("unexpected " + k.tokens.get(k.at));
    }
    return q;
  }

  private void tokenize() {
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')' || c == ':') {
        add(String.valueOf(c), i, false);
        i++;
      } else if (c == '"') {
        int end = text.indexOf('"', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("KQL " + quote() + ": unterminated string at " + i);
        }
        String value = text.substring(i + 1, end);
        if (value.contains("\\")) {
          throw new IllegalArgumentException("KQL " + quote() + ": escapes are not supported, at " + i);
        }
        add(value, i, true);
        i = end + 1;
      } else if ("<>{}\\".indexOf(c) >= 0) {
        throw new IllegalArgumentException("KQL " + quote() + ": '" + c + "' at " + i + " is not supported"
            + " (only field : value, and/or/not, parentheses)");
      } else {
        int start = i;
        while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && "():\"<>{}\\".indexOf(text.charAt(i)) < 0) {
          i++;
        }
        add(text.substring(start, i), start, false);
      }
    }
  }

  private void add(String token, int position, boolean isQuoted) {
    tokens.add(token);
    positions.add(position);
    quoted.add(isQuoted);
  }

  private boolean keyword(String word) {
    return at < tokens.size() && !quoted.get(at) && tokens.get(at).toLowerCase(Locale.ROOT).equals(word);
  }

  private ObjectNode or() {
    List<ObjectNode> parts = new ArrayList<>(List.of(and()));
    while (keyword("or")) {
      at++;
      parts.add(and());
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    ObjectNode bool = F.objectNode();
    ArrayNode should = bool.putArray("should");
    parts.forEach(should::add);
    bool.put("minimum_should_match", 1);
    return F.objectNode().set("bool", bool);
  }

  private ObjectNode and() {
    List<ObjectNode> parts = new ArrayList<>(List.of(not()));
    while (keyword("and")) {
      at++;
      parts.add(not());
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    ObjectNode bool = F.objectNode();
    ArrayNode filter = bool.putArray("filter");
    parts.forEach(filter::add);
    return F.objectNode().set("bool", bool);
  }

  private ObjectNode not() {
    if (keyword("not")) {
      at++;
      ObjectNode bool = F.objectNode();
      bool.putArray("must_not").add(not());
      return F.objectNode().set("bool", bool);
    }
    return term();
  }

  private ObjectNode term() {
    if (at >= tokens.size()) {
      throw error("expected field : value, got the end");
    }
    if (tokens.get(at).equals("(") && !quoted.get(at)) {
      at++;
      ObjectNode inner = or();
      if (at >= tokens.size() || !tokens.get(at).equals(")")) {
        throw error("expected )");
      }
      at++;
      return inner;
    }
    if (quoted.get(at) || at + 2 >= tokens.size() || quoted.get(at + 1) || !tokens.get(at + 1).equals(":")) {
      throw error("expected field : value (a value without a field is not supported)");
    }
    String field = tokens.get(at);
    boolean isQuoted = quoted.get(at + 2);
    String value = tokens.get(at + 2);
    if (!isQuoted && (value.equals("(") || value.equals(")") || value.equals(":"))) {
      throw error("expected a value after " + field + " :");
    }
    at += 3;
    if (isQuoted) {
      return F.objectNode().set("match_phrase", F.objectNode().put(field, value));
    }
    if (value.equals("*")) {
      return F.objectNode().set("exists", F.objectNode().put("field", field));
    }
    if (value.contains("*")) {
      return F.objectNode().set("wildcard", F.objectNode().set(field, F.objectNode().put("value", value)));
    }
    return F.objectNode().set("match", F.objectNode().put(field, value));
  }

  private IllegalArgumentException error(String what) {
    int position = at < positions.size() ? positions.get(at) : text.length();
    return new IllegalArgumentException("KQL " + quote() + ": " + what + ", at " + position);
  }

  private String quote() {
    return "\"" + text + "\"";
  }
}
