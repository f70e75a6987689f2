package dev.driftline.runtime.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.junit.jupiter.api.Test;

class BulkEntrySerializerTest {
  @Test
  void bufferedEntriesRoundTripThroughWriterState() throws Exception {
    List<BulkEntry> entries = List.of(
        new BulkEntry(EsOperation.index("drift", "m1|2026-01-01", bytes("{\"psi\":0.2}")), 0),
        new BulkEntry(EsOperation.index("drift", "m1|2026-01-02", bytes("{\"psi\":0.3}")).withExternalVersion(17), 3),
        new BulkEntry(EsOperation.upsert("perf", "m2", bytes("{\"ü\":\"ß\"}")), 1));
    BulkEntrySerializer serializer = new BulkEntrySerializer();
    BufferedRequestState<BulkEntry> state = new BufferedRequestState<>(
        entries.stream().map(e -> new RequestEntryWrapper<>(e, e.sizeInBytes())).toList());

    BufferedRequestState<BulkEntry> back = serializer.deserialize(serializer.getVersion(), serializer.serialize(state));

    assertThat(back.getBufferedRequestEntries()).extracting(RequestEntryWrapper::getRequestEntry).isEqualTo(entries);
  }

  @Test
  void externalVersionsOnlyGoWithIndexOperations() {
    assertThatThrownBy(() -> new EsOperation("perf", "m2", bytes("{}"), EsOperation.OpType.UPSERT, 4))
        .hasMessage("Elasticsearch operation perf/m2: external versions work only with op type INDEX, got UPSERT");
    assertThatThrownBy(() -> EsOperation.index("Drift", "x", bytes("{}")))
        .hasMessageStartingWith("Elasticsearch operation: index: expected a lowercase name");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
