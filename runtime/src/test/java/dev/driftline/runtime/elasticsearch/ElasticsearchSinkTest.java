package dev.driftline.runtime.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.driftline.core.io.Json;
import dev.driftline.runtime.deadletter.DeadLetter;
import dev.driftline.services.ElasticsearchExtension;
import java.io.StringReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sink against a real Elasticsearch node, in jobs on a Flink MiniCluster with parallelism 2. */
@ExtendWith(ElasticsearchExtension.class)
class ElasticsearchSinkTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
      .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  private static ElasticsearchClient es;

  /** An input record: document id, external version (or -1) and the JSON to write. */
  public record Doc(String id, long version, String json) {}

  @BeforeAll
  static void connect() {
    es = ElasticsearchConfig.of(ElasticsearchExtension.url()).newClient();
  }

  @AfterAll
  static void disconnect() throws Exception {
    es.close();
  }

  @Test
  void writesEveryRecordOnceWithItsSource() throws Exception {
    List<Doc> docs = seededDocs(2000, 42);

    runJob(docs, sink("sink-exact", false));

    assertThat(sources("sink-exact")).isEqualTo(expected(docs));
  }

  @Test
  void replayingTheSameRecordsLeavesTheCountUnchanged() throws Exception {
    List<Doc> docs = seededDocs(300, 7);
    runJob(docs, sink("sink-replay", false));

    runJob(docs, sink("sink-replay", false));

    es.indices().refresh(r -> r.index("sink-replay"));
    assertThat(es.count(c -> c.index("sink-replay")).count()).isEqualTo(300);
    assertThat(sources("sink-replay")).isEqualTo(expected(docs));
  }

  @Test
  void sendsADocumentTheMappingRejectsToDeadLettersAndWritesTheRest() throws Exception {
    es.indices().create(c -> c.index("sink-strict").withJson(new StringReader(
        "{\"mappings\":{\"dynamic\":\"strict\",\"properties\":{\"n\":{\"type\":\"long\"},\"text\":{\"type\":\"keyword\"}}}}")));
    List<Doc> docs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      docs.add(new Doc("s-" + i, -1, "{\"n\":" + i + ",\"text\":\"t" + i + "\"}"));
    }
    docs.add(25, new Doc("s-bad", -1, "{\"n\":\"abc\",\"text\":\"bad\"}"));

    runJob(docs, sink("sink-strict", false));

    assertThat(sources("sink-strict")).isEqualTo(expected(docs.stream().filter(d -> !d.id().equals("s-bad")).toList()));
    List<DeadLetter> dead = CollectingDeadLetterSink.withStage("elasticsearch:sink-strict");
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).reason()).startsWith("s-bad: HTTP 400 document_parsing_exception: ")
        .contains("failed to parse field [n] of type [long]");
    assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":\"abc\",\"text\":\"bad\"}");
    assertThat(dead.get(0).topic()).isNull();
    assertThat(dead.get(0).offset()).isEqualTo(-1);
  }

  @Test
  void documentsTheJobsIndexTemplateRefusesAreDeadLettersOnceNotRetried() throws Exception {
    IndexTemplates.installBundled(ElasticsearchConfig.of(ElasticsearchExtension.url()), "driftline-drift");
    List<Doc> docs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      docs.add(new Doc("d-" + i, -1, "{\"model_id\":\"m\",\"feature\":\"f" + i + "\",\"statistic\":" + (i / 10.0) + "}"));
    }
    // The template maps statistic as a double, and its mapping is strict: no field it does not name.
    docs.add(7, new Doc("d-text", -1, "{\"model_id\":\"m\",\"feature\":\"x\",\"statistic\":\"high\"}"));
    docs.add(13, new Doc("d-extra", -1, "{\"model_id\":\"m\",\"feature\":\"y\",\"statistic\":0.5,\"note\":\"n\"}"));
    ElasticsearchSink<Doc> sink = ElasticsearchSink.<Doc>builder()
        .setConfig(ElasticsearchConfig.of(ElasticsearchExtension.url()))
        .setConverter(d -> EsOperation.index("driftline-drift-2030.01", d.id(), d.json().getBytes(StandardCharsets.UTF_8)))
        .setMaxBatchSize(5)
        .setMaxBufferedRequests(100)
        .setMaxTimeInBufferMS(100)
        .setDeadLetterSink(new CollectingDeadLetterSink())
        .build();

    runJob(docs, sink); // no restarts allowed: a refused write that failed the sink would fail the job

    assertThat(sources("driftline-drift-2030.01")).isEqualTo(expected(docs.stream().filter(d -> d.id().matches("d-\\d+")).toList()));
    List<DeadLetter> dead = CollectingDeadLetterSink.withStage("elasticsearch:driftline-drift-2030.01");
    assertThat(dead).extracting(DeadLetter::reason).hasSize(2).anySatisfy(r -> assertThat(r)
        .startsWith("d-text: HTTP 400 document_parsing_exception: ").contains("failed to parse field [statistic] of type [double]"))
        .anySatisfy(r -> assertThat(r).startsWith("d-extra: HTTP 400 strict_dynamic_mapping_exception: ").contains("[note]"));
    assertThat(dead).extracting(d -> new String(d.value(), StandardCharsets.UTF_8))
        .containsExactlyInAnyOrder(docs.get(7).json(), docs.get(13).json());
  }

  @Test
  void guardedWriteKeepsTheHighestVersionWhateverTheArrivalOrder() throws Exception {
    List<Doc> docs = List.of(
        new Doc("model-a", 5, "{\"model\":\"a\",\"version\":5}"),
        new Doc("model-a", 3, "{\"model\":\"a\",\"version\":3}"),
        new Doc("model-b", 3, "{\"model\":\"b\",\"version\":3}"),
        new Doc("model-b", 5, "{\"model\":\"b\",\"version\":5}"));

    runJob(docs, sink("sink-guarded", true));

    GetResponse<ObjectNode> a = es.get(g -> g.index("sink-guarded").id("model-a"), ObjectNode.class);
    GetResponse<ObjectNode> b = es.get(g -> g.index("sink-guarded").id("model-b"), ObjectNode.class);
    assertThat(a.version()).isEqualTo(5);
    assertThat(a.source().get("version").asInt()).isEqualTo(5);
    assertThat(b.version()).isEqualTo(5);
    assertThat(b.source().get("version").asInt()).isEqualTo(5);
    assertThat(CollectingDeadLetterSink.withStage("elasticsearch:sink-guarded")).isEmpty();
  }

  @Test
  void upsertMergesFieldsIntoTheStoredDocument() throws Exception {
    es.index(i -> i.index("sink-upsert").id("w-1").withJson(new StringReader("{\"psi\":0.1,\"label\":\"ok\"}")));
    ElasticsearchSink<Doc> upserts = ElasticsearchSink.<Doc>builder()
        .setConfig(ElasticsearchConfig.of(ElasticsearchExtension.url()))
        .setConverter(d -> EsOperation.upsert("sink-upsert", d.id(), d.json().getBytes(StandardCharsets.UTF_8)))
        .setDeadLetterSink(new CollectingDeadLetterSink())
        .build();

    runJob(List.of(new Doc("w-1", -1, "{\"label\":\"drift\"}"), new Doc("w-2", -1, "{\"psi\":0.4}")), upserts);

    assertThat(es.get(g -> g.index("sink-upsert").id("w-1"), ObjectNode.class).source())
        .isEqualTo(Json.mapper().readTree("{\"psi\":0.1,\"label\":\"drift\"}"));
    assertThat(es.get(g -> g.index("sink-upsert").id("w-2"), ObjectNode.class).source())
        .isEqualTo(Json.mapper().readTree("{\"psi\":0.4}"));
  }

  @Test
  void failsTheJobWhenElasticsearchStaysUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    ElasticsearchSink<Doc> unreachable = ElasticsearchSink.<Doc>builder()
        .setConfig(ElasticsearchConfig.of("http://127.0.0.1:" + closedPort))
        .setConverter(d -> EsOperation.index("sink-nowhere", d.id(), d.json().getBytes(StandardCharsets.UTF_8)))
        .setRetries(2, Duration.ofMillis(50), Duration.ofMillis(200))
        .setDeadLetterSink(new CollectingDeadLetterSink())
        .build();

    assertThatThrownBy(() -> runJob(seededDocs(10, 1), unreachable))
        .satisfies(e -> assertThat(ExceptionUtils.findThrowable(e, ElasticsearchSinkException.class))
            .hasValueSatisfying(s -> assertThat(s).hasMessageMatching("Elasticsearch at http://127\\.0\\.0\\.1:" + closedPort
                + ": \\d+ operations still failing after 2 retries: connection refused")));
  }

  private static ElasticsearchSink<Doc> sink(String index, boolean guarded) {
    return ElasticsearchSink.<Doc>builder()
        .setConfig(ElasticsearchConfig.of(ElasticsearchExtension.url()))
        .setConverter(d -> {
          EsOperation op = EsOperation.index(index, d.id(), d.json().getBytes(StandardCharsets.UTF_8));
          return guarded ? op.withExternalVersion(d.version()) : op;
        })
        .setMaxBatchSize(100)
        .setMaxBufferedRequests(1000)
        .setMaxTimeInBufferMS(100)
        .setDeadLetterSink(new CollectingDeadLetterSink())
        .build();
  }

  private static void runJob(List<Doc> docs, ElasticsearchSink<Doc> sink) throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    env.enableCheckpointing(100);
    env.fromData(docs).rebalance().sinkTo(sink);
    env.execute("elasticsearch-sink-test");
  }

  /** Documents with a few types of field, from a fixed seed. */
  private static List<Doc> seededDocs(int n, long seed) {
    Random r = new Random(seed);
    List<Doc> docs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      docs.add(new Doc("doc-" + i, -1, String.format(java.util.Locale.ROOT,
          "{\"model\":\"m%d\",\"score\":%.6f,\"count\":%d,\"tags\":[\"t%d\"],\"ok\":%b}",
          r.nextInt(5), r.nextDouble(), r.nextInt(1_000_000), r.nextInt(3), r.nextBoolean())));
    }
    return docs;
  }

  private static Map<String, JsonNode> expected(List<Doc> docs) throws Exception {
    Map<String, JsonNode> m = new TreeMap<>();
    for (Doc d : docs) {
      m.put(d.id(), Json.mapper().readTree(d.json()));
    }
    return m;
  }

  /** Every document of {@code index} by id, after a refresh. */
  private static Map<String, JsonNode> sources(String index) throws Exception {
    es.indices().refresh(r -> r.index(index));
    List<Hit<ObjectNode>> hits = es.search(s -> s.index(index).size(10_000), ObjectNode.class).hits().hits();
    return hits.stream().collect(Collectors.toMap(Hit::id, Hit::source, (x, y) -> {
      throw new AssertionError("duplicate id");
    }, TreeMap::new));
  }
}
