package dev.driftline.runtime.dashboards;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks Kibana saved objects (ndjson, as the saved-objects import API takes them) against the
 * Elasticsearch index templates, without a Kibana: what would otherwise show up as an import error
 * or an empty, broken chart after import. Each problem is one line naming the object and what was
 * expected. Not thread-safe; one instance per check.
 */
final class SavedObjectsChecker {
  /** Types the import API accepts that Driftline may ship (Kibana's importableAndExportable types). */
  static final Set<String> IMPORTABLE_TYPES = Set.of("index-pattern", "lens", "search", "dashboard",
      "visualization", "map", "tag", "query", "config", "url", "links");

  static final Set<String> NUMERIC = Set.of("long", "integer", "short", "byte", "double", "float",
      "half_float", "scaled_float", "unsigned_long");
  static final Set<String> DATE = Set.of("date", "date_nanos");
  /** Lens metric operations that need a number. */
  static final Set<String> NUMERIC_OPS = Set.of("average", "sum", "min", "max", "median", "percentile",
      "percentile_rank", "standard_deviation", "range");
  /** Field types a terms bucket is meaningful on (Kibana would also take numbers; we keep to these). */
  static final Set<String> TERMS_TYPES = Set.of("keyword", "constant_keyword", "boolean", "ip");
  static final Set<String> SORTABLE = union(NUMERIC, DATE, Set.of("keyword", "boolean", "ip"));
  static final String RECORDS = "___records___";

  /** A mapped field: its type and whether it is indexed (searchable and aggregatable). */
  record Field(String type, boolean indexed) {}

  /** An index template: its name (file name), index patterns and flattened fields. */
  record Template(String name, List<String> indexPatterns, Map<String, Field> fields) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern KQL_FIELD = Pattern.compile("(?<![\\w.@*-])([A-Za-z_@][\\w.@-]*)\\s*(?::|<=|>=|<|>)");

  private final List<Template> templates;
  private final List<String> problems = new ArrayList<>();
  private final Map<String, JsonNode> objects = new LinkedHashMap<>(); // "type/id" -> object

  SavedObjectsChecker(List<Template> templates) {
    this.templates = templates;
  }

  /** Reads every {@code *.json} index template in {@code dir}. */
  static List<Template> loadTemplates(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      List<Template> out = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode t = JSON.readTree(file.toFile());
        List<String> patterns = new ArrayList<>();
        t.path("index_patterns").forEach(p -> patterns.add(p.asText()));
        Map<String, Field> fields = new TreeMap<>();
        flatten("", t.path("template").path("mappings").path("properties"), fields);
        out.add(new Template(file.getFileName().toString(), patterns, fields));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void flatten(String prefix, JsonNode properties, Map<String, Field> out) {
    for (Map.Entry<String, JsonNode> e : properties.properties()) {
      String name = prefix + e.getKey();
      JsonNode m = e.getValue();
      if (m.has("properties")) {
        flatten(name + ".", m.get("properties"), out);
        continue;
      }
      out.put(name, new Field(m.path("type").asText("object"), m.path("index").asBoolean(true)));
      for (Map.Entry<String, JsonNode> s : m.path("fields").properties()) {
        out.put(name + "." + s.getKey(),
            new Field(s.getValue().path("type").asText(), s.getValue().path("index").asBoolean(true)));
      }
    }
  }

  /** Every problem found in {@code ndjson} (empty when none); {@code source} names it in messages. */
  List<String> check(String source, String ndjson) {
    String[] lines = ndjson.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      String where = source + ":" + (i + 1);
      JsonNode o;
      try {
        o = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        problems.add(where + ": not JSON: " + e.getOriginalMessage());
        continue;
      }
      String type = o.path("type").asText("");
      String id = o.path("id").asText("");
      if (!o.isObject() || type.isEmpty() || id.isEmpty() || !o.path("attributes").isObject()) {
        problems.add(where + ": expected an object with type, id and attributes");
        continue;
      }
      if (!IMPORTABLE_TYPES.contains(type)) {
        problems.add(where + ": " + type + "/" + id + ": type " + type + " is not one the import API accepts "
            + IMPORTABLE_TYPES);
      }
      if (objects.put(type + "/" + id, o) != null) {
        problems.add(where + ": " + type + "/" + id + ": duplicate object");
      }
    }
    for (JsonNode o : objects.values()) {
      String name = o.get("type").asText() + "/" + o.get("id").asText();
      for (JsonNode ref : o.path("references")) {
        String target = ref.path("type").asText() + "/" + ref.path("id").asText();
        if (!objects.containsKey(target)) {
          problems.add(name + ": reference " + ref.path("name").asText() + " -> " + target + ": no such object in the file");
        }
      }
      switch (o.get("type").asText()) {
        case "index-pattern" -> checkDataView(name, o);
        case "lens" -> checkLens(name, o);
        case "search" -> checkSearch(name, o);
        case "dashboard" -> checkDashboard(name, o);
        default -> { }
      }
    }
    return problems;
  }

  private void checkDataView(String name, JsonNode o) {
    JsonNode a = o.get("attributes");
    Template t = templateOfDataView(name, a.path("title").asText());
    String timeField = a.path("timeFieldName").asText("");
    if (t != null && !timeField.isEmpty()) {
      checkField(name, t, timeField, "time field", DATE);
    }
  }

  /** The one template whose index patterns cover the data view's title, or null (a problem noted). */
  private Template templateOfDataView(String name, String title) {
    if (title.isEmpty() || title.contains(",")) {
      problems.add(name + ": title: expected one index pattern, got \"" + title + "\"");
      return null;
    }
    // Concrete names the data view would read; all must belong to one and the same template.
    Template found = null;
    for (String sample : List.of(title.replace("*", ""), title.replace("*", "2026.01"), title.replace("*", "-2026.01"))) {
      List<Template> matching = templates.stream()
          .filter(t -> t.indexPatterns().stream().anyMatch(p -> glob(p).matcher(sample).matches()))
          .toList();
      if (matching.size() != 1 || (found != null && found != matching.get(0))) {
        problems.add(name + ": title \"" + title + "\": expected the indices it reads (e.g. " + sample
            + ") to match exactly one index template, matched " + matching.stream().map(Template::name).toList());
        return null;
      }
      found = matching.get(0);
    }
    return found;
  }

  private static Pattern glob(String indexPattern) {
    StringBuilder re = new StringBuilder();
    for (String part : indexPattern.split("\\*", -1)) {
      if (re.length() > 0) {
        re.append(".*");
      }
      re.append(Pattern.quote(part));
    }
    return Pattern.compile(re.toString());
  }

  /** The template behind a data view referenced by id, or null (a problem noted elsewhere). */
  private Template templateOfDataViewId(String dataViewId) {
    JsonNode dv = objects.get("index-pattern/" + dataViewId);
    if (dv == null) {
      return null;
    }
    String title = dv.get("attributes").path("title").asText();
    return templates.stream()
        .filter(t -> t.indexPatterns().stream().anyMatch(p -> glob(p).matcher(title.replace("*", "2026.01")).matches()))
        .findFirst().orElse(null);
  }

  private String referenceId(JsonNode o, String refName, String type) {
    for (JsonNode ref : o.path("references")) {
      if (ref.path("name").asText().equals(refName) && ref.path("type").asText().equals(type)) {
        return ref.path("id").asText();
      }
    }
    return null;
  }

  private void checkLens(String name, JsonNode o) {
    JsonNode state = o.get("attributes").path("state");
    JsonNode layers = state.path("datasourceStates").path("formBased").path("layers");
    if (!layers.isObject() || layers.isEmpty()) {
      problems.add(name + ": state.datasourceStates.formBased.layers: expected at least one layer");
      return;
    }
    Set<String> columnIds = new java.util.HashSet<>();
    Template layerTemplate = null;
    for (Map.Entry<String, JsonNode> layer : layers.properties()) {
      String where = name + ": layer " + layer.getKey();
      layer.getValue().path("columns").fieldNames().forEachRemaining(columnIds::add);
      String dvId = referenceId(o, "indexpattern-datasource-layer-" + layer.getKey(), "index-pattern");
      if (dvId == null) {
        problems.add(where + ": expected a reference indexpattern-datasource-layer-" + layer.getKey() + " to a data view");
        continue;
      }
      Template t = templateOfDataViewId(dvId);
      if (t == null) {
        continue; // the data view's own problem is reported on it
      }
      layerTemplate = t;
      for (Map.Entry<String, JsonNode> c : layer.getValue().path("columns").properties()) {
        checkColumn(where + ": column " + c.getKey(), t, c.getValue());
      }
      for (JsonNode id : layer.getValue().path("columnOrder")) {
        if (!layer.getValue().path("columns").has(id.asText())) {
          problems.add(where + ": columnOrder names " + id.asText() + ", which is not a column");
        }
      }
    }
    for (String accessor : accessors(state.path("visualization"))) {
      if (!columnIds.contains(accessor)) {
        problems.add(name + ": visualization uses column " + accessor + ", which no layer defines");
      }
    }
    if (layerTemplate != null) {
      checkQuery(name + ": query", layerTemplate, state.path("query"));
      checkFilters(name, layerTemplate, state.path("filters"));
    }
  }

  private static List<String> accessors(JsonNode vis) {
    List<String> out = new ArrayList<>();
    List<JsonNode> holders = new ArrayList<>();
    holders.add(vis);
    vis.path("layers").forEach(holders::add);
    for (JsonNode h : holders) {
      for (String key : List.of("xAccessor", "yAccessor", "valueAccessor", "splitAccessor", "metricAccessor")) {
        if (h.path(key).isTextual()) {
          out.add(h.get(key).asText());
        }
      }
      h.path("accessors").forEach(a -> out.add(a.asText()));
      h.path("columns").forEach(c -> out.add(c.path("columnId").asText())); // a table's (lnsDatatable) columns
    }
    return out;
  }

  private void checkColumn(String where, Template t, JsonNode c) {
    String op = c.path("operationType").asText();
    String field = c.path("sourceField").asText(null);
    if (c.has("filter")) {
      checkQuery(where + ": filter", t, c.get("filter"));
    }
    if (field == null) {
      return; // formula, math and other column-on-column operations
    }
    if (op.equals("count") && field.equals(RECORDS)) {
      return;
    }
    if (op.equals("date_histogram")) {
      checkField(where, t, field, op, DATE);
    } else if (op.equals("terms")) {
      checkField(where, t, field, op, TERMS_TYPES);
    } else if (NUMERIC_OPS.contains(op)) {
      checkField(where, t, field, op, NUMERIC);
    } else if (op.equals("unique_count") || op.equals("count") || op.equals("last_value")) {
      checkField(where, t, field, op, union(NUMERIC, DATE, TERMS_TYPES));
    } else {
      problems.add(where + ": operation " + op + " on " + field + " is not one this check knows; add it to SavedObjectsChecker");
    }
  }

  private void checkSearch(String name, JsonNode o) {
    JsonNode a = o.get("attributes");
    JsonNode source;
    try {
      source = JSON.readTree(a.path("kibanaSavedObjectMeta").path("searchSourceJSON").asText("{}"));
    } catch (JsonProcessingException e) {
      problems.add(name + ": kibanaSavedObjectMeta.searchSourceJSON: not JSON: " + e.getOriginalMessage());
      return;
    }
    String refName = source.path("indexRefName").asText("");
    String dvId = referenceId(o, refName, "index-pattern");
    if (dvId == null) {
      problems.add(name + ": searchSourceJSON.indexRefName \"" + refName + "\": expected a reference of that name to a data view");
      return;
    }
    Template t = templateOfDataViewId(dvId);
    if (t == null) {
      return;
    }
    a.path("columns").forEach(col -> checkField(name + ": columns", t, col.asText(), "column", null));
    a.path("sort").forEach(s -> checkField(name + ": sort", t, s.path(0).asText(), "sort", SORTABLE));
    checkQuery(name + ": query", t, source.path("query"));
    checkFilters(name, t, source.path("filter"));
  }

  private void checkDashboard(String name, JsonNode o) {
    JsonNode panels;
    try {
      panels = JSON.readTree(o.get("attributes").path("panelsJSON").asText("[]"));
    } catch (JsonProcessingException e) {
      problems.add(name + ": panelsJSON: not JSON: " + e.getOriginalMessage());
      return;
    }
    if (panels.isEmpty()) {
      problems.add(name + ": panelsJSON: expected at least one panel");
    }
    Map<String, Integer> seen = new HashMap<>();
    for (JsonNode p : panels) {
      String index = p.path("panelIndex").asText();
      if (seen.merge(index, 1, Integer::sum) > 1) {
        problems.add(name + ": panel " + index + ": duplicate panelIndex");
      }
      if (p.has("panelRefName")) {
        String refName = index + ":" + p.get("panelRefName").asText();
        if (referenceId(o, refName, p.path("type").asText()) == null) {
          problems.add(name + ": panel " + index + ": expected a reference " + refName + " of type " + p.path("type").asText());
        }
      }
    }
  }

  private void checkFilters(String name, Template t, JsonNode filters) {
    for (JsonNode f : filters) {
      String key = f.path("meta").path("key").asText("");
      if (!key.isEmpty()) {
        checkField(name + ": filter", t, key, "filter", null);
      }
      if (f.has("query") && f.get("query").has("language")) {
        checkQuery(name + ": filter", t, f.get("query"));
      }
    }
  }

  /** Field names in a KQL query ({@code field : value}, {@code field > n}); Lucene is not parsed. */
  private void checkQuery(String where, Template t, JsonNode query) {
    if (!"kuery".equals(query.path("language").asText("kuery"))) {
      return;
    }
    String text = QUOTED.matcher(query.path("query").asText("")).replaceAll("\"\"");
    Matcher m = KQL_FIELD.matcher(text);
    while (m.find()) {
      checkField(where, t, m.group(1), "query", null);
    }
  }

  /** The field must be mapped, indexed, and (when {@code allowed} is given) of one of those types. */
  private void checkField(String where, Template t, String field, String use, Set<String> allowed) {
    Field f = t.fields().get(field);
    if (f == null) {
      problems.add(where + ": " + use + " on " + field + ": no such field in " + t.name() + " (fields: "
          + String.join(", ", t.fields().keySet()) + ")");
    } else if (allowed != null && !allowed.contains(f.type())) {
      problems.add(where + ": " + use + " on " + field + ": " + t.name() + " maps it as " + f.type()
          + ", expected one of " + new java.util.TreeSet<>(allowed));
    } else if (!f.indexed() && !use.equals("column")) {
      problems.add(where + ": " + use + " on " + field + ": " + t.name() + " does not index it");
    }
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    Set<String> out = new java.util.HashSet<>();
    for (Set<String> s : sets) {
      out.addAll(s);
    }
    return Set.copyOf(out);
  }
}
