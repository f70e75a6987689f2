package dev.driftline.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The committed corpus of malformed input records, {@code poison/<topic>.jsonl} (see its README and
 * {@code services/scripts/make_poison_corpus.py}): per entry its category, the fragment its dead
 * letter's reason must contain, and how to build its bytes — literal text, base64 bytes, a template
 * the test fills in, a patch of a valid profile, or a record padded to an exact size (with {@code x}
 * or an escape-heavy fill, closed or left open).
 */
public final class PoisonCorpus {
  public static final List<String> TOPICS = List.of("predictions", "labels", "features", "baselines");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern VAR = Pattern.compile("\\$\\{([a-z_]+)}");
  private static final Pattern NEST = Pattern.compile("\\$\\{nest:(array|object):(\\d+)}");

  private PoisonCorpus() {}

  /**
   * One malformed record.
   *
   * @param stage {@code decode} (refused by the decoder), {@code join} (decodes, refused by the
   *     label join: a duplicate prediction id, a label whose prediction never comes) or {@code kept}
   *     (not poison: a prediction with a feature value of the wrong type, which decodes with that
   *     value missing and counted; {@code expect} names the feature)
   * @param body the entry as stored
   */
  public record Entry(String id, String category, String expect, String stage, JsonNode body) {
    /** The ordinal of the valid prediction this entry duplicates, or -1. */
    public int duplicateOf() {
      return body.path("duplicate_of").asInt(-1);
    }

    public boolean needsProfile() {
      return body.has("patch") || "profile".equals(body.path("generate").path("base").asText());
    }

    /** The record's bytes without a template or profile (every entry but those two kinds). */
    public byte[] bytes() {
      return bytes(Map.of(), null);
    }

    /**
     * The record's bytes.
     *
     * @param vars values of the {@code ${name}} placeholders of a template
     * @param profile the valid profile a baseline patch starts from (null for other topics)
     */
    public byte[] bytes(Map<String, String> vars, JsonNode profile) {
      if (body.has("base64")) {
        return Base64.getDecoder().decode(body.get("base64").asText());
      }
      if (body.has("text")) {
        return utf8(body.get("text").asText());
      }
      if (body.has("template")) {
        Matcher m = VAR.matcher(body.get("template").asText());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
          String value = vars.get(m.group(1));
          if (value == null) {
            throw new IllegalArgumentException(id + ": no value for ${" + m.group(1) + "}");
          }
          m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return utf8(out.toString());
      }
      if (body.has("patch")) {
        return utf8(patch(profile(profile), body.get("patch")));
      }
      JsonNode g = body.get("generate");
      if (g != null && "pad".equals(g.path("kind").asText())) {
        String base = g.has("text") ? g.get("text").asText() : profile(profile).toString();
        String open = ",\"padding\":\"";
        // Closed: the padding string and the object end; open: the record stops inside the padding.
        String close = g.path("close").asBoolean(true) ? "\"}" : "";
        int pad = g.get("bytes").asInt() - utf8(base).length + 1 - open.length() - close.length();
        if (pad < 0) {
          throw new IllegalArgumentException(id + ": base record longer than " + g.get("bytes").asInt() + " bytes");
        }
        String fill = g.path("fill").asText("x");
        String padding = fill.repeat(pad / fill.length() + 1).substring(0, pad);
        byte[] out = utf8(base.substring(0, base.lastIndexOf('}')) + open + padding + close);
        if (out.length != g.get("bytes").asInt()) {
          throw new IllegalStateException(id + ": padded to " + out.length + " bytes");
        }
        return out;
      }
      throw new IllegalArgumentException(id + ": no text, base64, template, patch or generate");
    }

    private JsonNode profile(JsonNode profile) {
      if (profile == null) {
        throw new IllegalArgumentException(id + ": needs the valid profile to patch");
      }
      return profile;
    }

    /** The profile with {@code set} paths replaced by raw JSON text (NaN tokens included) and {@code remove} paths gone. */
    private String patch(JsonNode profile, JsonNode patch) {
      ObjectNode doc = profile.deepCopy();
      List<String> raws = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = patch.path("set").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        set(doc, e.getKey(), TextNode.valueOf("@@RAW" + raws.size() + "@@"));
        raws.add(e.getValue().asText());
      }
      for (JsonNode path : patch.path("remove")) {
        set(doc, path.asText(), null);
      }
      String text = doc.toString();
      for (int i = 0; i < raws.size(); i++) {
        text = text.replace("\"@@RAW" + i + "@@\"", raws.get(i));
      }
      return text;
    }

    private void set(ObjectNode doc, String path, JsonNode value) {
      List<String> steps = new ArrayList<>();
      for (String part : path.split("\\.")) {
        Matcher m = Pattern.compile("([^\\[]*)((?:\\[\\d+])*)").matcher(part);
        if (!m.matches()) {
          throw new IllegalArgumentException(id + ": bad path " + path);
        }
        steps.add(m.group(1));
        for (String index : m.group(2).replace("]", "").split("\\[")) {
          if (!index.isEmpty()) {
            steps.add("[" + index);
          }
        }
      }
      JsonNode parent = doc;
      for (int i = 0; i < steps.size() - 1; i++) {
        parent = step(parent, steps.get(i));
        if (parent == null || !parent.isContainerNode()) {
          throw new IllegalArgumentException(id + ": no " + path + " in the profile");
        }
      }
      String last = steps.get(steps.size() - 1);
      if (last.startsWith("[")) {
        int index = Integer.parseInt(last.substring(1));
        if (value == null) {
          ((ArrayNode) parent).remove(index);
        } else {
          ((ArrayNode) parent).set(index, value);
        }
      } else if (value == null) {
        if (((ObjectNode) parent).remove(last) == null) {
          throw new IllegalArgumentException(id + ": no " + path + " to remove");
        }
      } else {
        ((ObjectNode) parent).set(last, value);
      }
    }

    private static JsonNode step(JsonNode node, String step) {
      return step.startsWith("[") ? node.get(Integer.parseInt(step.substring(1))) : node.get(step);
    }

    private static byte[] utf8(String text) {
      Matcher m = NEST.matcher(text);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        int depth = Integer.parseInt(m.group(2));
        m.appendReplacement(out, "array".equals(m.group(1))
            ? "[".repeat(depth) + "1" + "]".repeat(depth)
            : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
      }
      m.appendTail(out);
      return out.toString().getBytes(StandardCharsets.UTF_8);
    }
  }

  /** The poison entries of {@code topic}, one of {@link #TOPICS}, in file order (stages decode and join). */
  public static List<Entry> load(String topic) {
    return read(topic).stream().filter(e -> !e.stage().equals("kept")).toList();
  }

  /** The entries of {@code topic} that are not poison but decode and are kept (stage {@code kept}). */
  public static List<Entry> kept(String topic) {
    return read(topic).stream().filter(e -> e.stage().equals("kept")).toList();
  }

  private static List<Entry> read(String topic) {
    String resource = "/poison/" + topic + ".jsonl";
    try (InputStream in = PoisonCorpus.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no corpus " + resource + " on the classpath");
      }
      List<Entry> out = new ArrayList<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        JsonNode n = MAPPER.readTree(line);
        out.add(new Entry(n.get("id").asText(), n.get("category").asText(), n.get("expect").asText(),
            n.get("stage").asText(), n));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
