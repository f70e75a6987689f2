package dev.driftline.cli.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What each Lens chart and saved search of a Kibana saved-objects file would ask Elasticsearch,
 * asked of a real Elasticsearch: the data view's index pattern, a range on its time field, the
 * chart's KQL query ({@link Kql}), and per column the aggregation Lens runs for it
 * ({@code date_histogram}, {@code terms}, {@code max}/{@code min}/{@code average}/{@code sum}/
 * {@code median}/{@code unique_count}, {@code count} with its own KQL filter) or, for a saved
 * search's columns, an {@code exists} filter. A panel is empty — it would draw nothing — when no
 * document matches, a bucket aggregation has no bucket, a metric is null or a filtered count is 0.
 * Anything this does not know how to translate (another operation, Lens or search filters, another
 * query language) is an error naming the panel, not a silent pass.
 */
public final class PanelQueries {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One panel's query and what must come back non-empty. */
  public record Panel(String name, String index, String kql, ObjectNode body, List<Check> checks) {}

  /** An aggregation of the query and how it counts as empty. */
  public record Check(String aggregation, String kind, String description) {}

  /** A panel's answer: hits, and one line per part that came back empty (none when it would draw). */
  public record Answer(String panel, long hits, List<String> empty) {}

  private PanelQueries() {}

  /** The panels (Lens layers and saved searches) of {@code ndjson}, each over {@code [from, to]}. */
  public static List<Panel> of(String ndjson, Instant from, Instant to) throws IOException {
    Map<String, JsonNode> dataViews = new HashMap<>();
    List<JsonNode> objects = new ArrayList<>();
    for (String line : ndjson.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode o = MAPPER.readTree(line);
      objects.add(o);
      if (o.path("type").asText().equals("index-pattern")) {
        dataViews.put(o.path("id").asText(), o.path("attributes"));
      }
    }
    List<Panel> out = new ArrayList<>();
    for (JsonNode o : objects) {
      String name = o.path("type").asText() + "/" + o.path("id").asText();
      switch (o.path("type").asText()) {
        case "lens" -> out.addAll(lens(name, o, dataViews, from, to));
        case "search" -> out.add(search(name, o, dataViews, from, to));
        default -> { }
      }
    }
    return out;
  }

  private static List<Panel> lens(String name, JsonNode o, Map<String, JsonNode> dataViews, Instant from, Instant to) {
    JsonNode state = o.path("attributes").path("state");
    requireKuery(name, state.path("query"));
    if (state.path("filters").size() > 0) {
      throw new IllegalArgumentException(name + ": Lens filters are not translated, only the KQL query: " + state.path("filters"));
    }
    String kql = state.path("query").path("query").asText("");
    List<Panel> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> layer : state.path("datasourceStates").path("formBased").path("layers").properties()) {
      JsonNode dataView = dataView(name, o, "indexpattern-datasource-layer-" + layer.getKey(), dataViews);
      ObjectNode body = body(dataView, kql, from, to);
      ObjectNode aggs = body.putObject("aggs");
      List<Check> checks = new ArrayList<>();
      JsonNode columns = layer.getValue().path("columns");
      List<String> order = new ArrayList<>();
      layer.getValue().path("columnOrder").forEach(c -> order.add(c.asText()));
      columns.fieldNames().forEachRemaining(c -> {
        if (!order.contains(c)) {
          order.add(c);
        }
      });
      for (String c : order) {
        if (!columns.has(c)) {
          throw new IllegalArgumentException(name + ": columnOrder names " + c + ", which is not a column");
        }
        column(name, c, columns.get(c), aggs, checks);
      }
      out.add(new Panel(name + (out.isEmpty() ? "" : "#" + layer.getKey()), dataView.path("title").asText(), kql, body, checks));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(name + ": no formBased layer");
    }
    return out;
  }

  private static void column(String panel, String id, JsonNode c, ObjectNode aggs, List<Check> checks) {
    String op = c.path("operationType").asText();
    String field = c.path("sourceField").asText();
    String agg = "column_" + id;
    String what = "column " + id + " (" + op + (op.equals("count") ? "" : " of " + field) + ")";
    JsonNode filter = c.path("filter");
    if (filter.isObject() && !op.equals("count")) {
      throw new IllegalArgumentException(panel + ": " + what + ": a filter on a metric other than count is not translated");
    }
    switch (op) {
      case "date_histogram" -> {
        aggs.putObject(agg).putObject("date_histogram").put("field", field).put("fixed_interval", "1h").put("min_doc_count", 1);
        checks.add(new Check(agg, "buckets", what));
      }
      case "terms" -> {
        aggs.putObject(agg).putObject("terms").put("field", field).put("size", c.path("params").path("size").asInt(10));
        checks.add(new Check(agg, "buckets", what));
      }
      case "max", "min", "sum", "median", "unique_count", "average" -> {
        String es = switch (op) {
          case "average" -> "avg";
          case "unique_count" -> "cardinality";
          default -> op;
        };
        if (op.equals("median")) {
          aggs.putObject(agg).putObject("percentiles").put("field", field).putArray("percents").add(50);
          checks.add(new Check(agg, "percentile", what));
        } else {
          aggs.putObject(agg).putObject(es).put("field", field);
          checks.add(new Check(agg, op.equals("unique_count") ? "positive" : "value", what));
        }
      }
      case "count" -> {
        if (filter.isObject()) {
          requireKuery(panel + " " + what, filter);
          aggs.putObject(agg).set("filter", Kql.toQuery(filter.path("query").asText()));
          checks.add(new Check(agg, "doc_count", what + " where " + filter.path("query").asText()));
        }
        // An unfiltered count is the hits themselves.
      }
      default -> throw new IllegalArgumentException(panel + ": " + what + ": operation " + op + " is not translated");
    }
  }

  private static Panel search(String name, JsonNode o, Map<String, JsonNode> dataViews, Instant from, Instant to)
      throws IOException {
    JsonNode attributes = o.path("attributes");
    JsonNode source = MAPPER.readTree(attributes.path("kibanaSavedObjectMeta").path("searchSourceJSON").asText("{}"));
    requireKuery(name, source.path("query"));
    if (source.path("filter").size() > 0) {
      throw new IllegalArgumentException(name + ": search filters are not translated, only the KQL query: " + source.path("filter"));
    }
    JsonNode dataView = dataView(name, o, source.path("indexRefName").asText(), dataViews);
    String kql = source.path("query").path("query").asText("");
    ObjectNode body = body(dataView, kql, from, to);
    ObjectNode aggs = body.putObject("aggs");
    List<Check> checks = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    attributes.path("columns").forEach(c -> fields.add(c.asText()));
    attributes.path("sort").forEach(s -> fields.add(s.path(0).asText()));
    for (String field : fields) {
      String agg = "has_" + field;
      if (!aggs.has(agg)) {
        aggs.putObject(agg).putObject("filter").putObject("exists").put("field", field);
        checks.add(new Check(agg, "doc_count", "column " + field + " (exists)"));
      }
    }
    return new Panel(name, dataView.path("title").asText(), kql, body, checks);
  }

  private static void requireKuery(String name, JsonNode query) {
    String language = query.path("language").asText("kuery");
    if (!language.equals("kuery")) {
      throw new IllegalArgumentException(name + ": query language " + language + " is not translated, only kuery");
    }
  }

  private static JsonNode dataView(String name, JsonNode o, String refName, Map<String, JsonNode> dataViews) {
    for (JsonNode ref : o.path("references")) {
      if (ref.path("name").asText().equals(refName) && ref.path("type").asText().equals("index-pattern")) {
        JsonNode dv = dataViews.get(ref.path("id").asText());
        if (dv == null) {
          throw new IllegalArgumentException(name + ": data view " + ref.path("id").asText() + " is not in the file");
        }
        return dv;
      }
    }
    throw new IllegalArgumentException(name + ": no data view reference " + refName);
  }

  private static ObjectNode body(JsonNode dataView, String kql, Instant from, Instant to) {
    ObjectNode body = MAPPER.createObjectNode().put("size", 0).put("track_total_hits", true);
    ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
    String timeField = dataView.path("timeFieldName").asText("");
    if (!timeField.isEmpty()) {
      filter.addObject().putObject("range").putObject(timeField).put("gte", from.toString()).put("lte", to.toString())
          .put("format", "strict_date_optional_time");
    }
    filter.add(Kql.toQuery(kql));
    return body;
  }

  /** Runs every panel's query on the Elasticsearch at {@code url} (no credentials), after a refresh. */
  public static List<Answer> ask(String url, List<Panel> panels) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    // What was written is searchable now, not after the next periodic refresh.
    http.send(HttpRequest.newBuilder(URI.create(url + "/_refresh")).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding());
    List<Answer> out = new ArrayList<>();
    for (Panel p : panels) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/" + p.index() + "/_search"))
          .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.ofString(p.body().toString())).build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(p.name() + ": Elasticsearch answered " + response.statusCode() + ": " + response.body());
      }
      out.add(answer(p, MAPPER.readTree(response.body())));
    }
    return out;
  }

  static Answer answer(Panel p, JsonNode response) {
    long hits = response.path("hits").path("total").path("value").asLong();
    List<String> empty = new ArrayList<>();
    String where = p.name() + " (" + p.index() + (p.kql().isEmpty() ? "" : ", " + p.kql()) + ")";
    if (hits == 0) {
      empty.add(where + ": no documents");
    }
    for (Check c : p.checks()) {
      JsonNode a = response.path("aggregations").path(c.aggregation());
      boolean ok = switch (c.kind()) {
        case "buckets" -> a.path("buckets").size() > 0;
        case "value" -> a.hasNonNull("value");
        case "positive" -> a.path("value").asLong() > 0;
        case "percentile" -> a.path("values").path("50.0").isNumber();
        case "doc_count" -> a.path("doc_count").asLong() > 0;
        default -> throw new IllegalStateException("unknown check " + c.kind());
      };
      if (!ok) {
        empty.add(where + ": " + c.description() + " is empty");
      }
    }
    return new Answer(p.name(), hits, empty);
  }
}
