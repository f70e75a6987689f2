package dev.driftline.jobs.driftdetection.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.driftline.core.events.Label;
import dev.driftline.core.events.Prediction;
import dev.driftline.jobs.driftdetection.operators.LabelJoinFunction.Pending;
import dev.driftline.runtime.kafka.RawRecord;
import dev.driftline.runtime.kafka.Sourced;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;
import org.junit.jupiter.api.Test;

class JoinStateTest {
  static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    serializer.serialize(value, out);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    T back = serializer.deserialize(in);
    assertThat(in.available()).as("every byte read").isZero();
    return back;
  }

  static <T> TypeSerializerSnapshot<T> snapshotRoundTrip(TypeSerializerSnapshot<T> snapshot) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
    return TypeSerializerSnapshot.readVersionedSnapshot(new DataInputDeserializer(out.getCopyOfBuffer()),
        JoinStateTest.class.getClassLoader());
  }

  @Test
  void pendingPredictionsAndJoinedMarksRoundTrip() throws IOException {
    Pending waiting = roundTrip(JoinState.PendingSerializer.INSTANCE, new Pending(PredictionSerializerTest.FULL, 1_772_409_900_123L));
    PredictionSerializerTest.assertSame(waiting.prediction(), PredictionSerializerTest.FULL);
    assertThat(waiting.expiresAt()).isEqualTo(1_772_409_900_123L);
    assertThat(roundTrip(JoinState.PendingSerializer.INSTANCE, new Pending(null, Long.MAX_VALUE)))
        .isEqualTo(new Pending(null, Long.MAX_VALUE));
  }

  /** A waiting multiclass prediction keeps its class probabilities in the join's state. */
  @Test
  void aPendingMulticlassPredictionKeepsItsClassProbabilities() throws IOException {
    Prediction p = new Prediction("ticket-routing", "t-1", 5, null, null, new double[] {42}, new String[] {null}, 0.7,
        "billing", new double[] {0.7, 0.2, 0.05, 0.05});
    Pending waiting = roundTrip(JoinState.PendingSerializer.INSTANCE, new Pending(p, 99));
    assertThat(waiting.prediction().classScores()).containsExactly(0.7, 0.2, 0.05, 0.05);
    assertThat(waiting.prediction().predictedClass()).isEqualTo("billing");
    assertThat(waiting.expiresAt()).isEqualTo(99);
  }

  @Test
  void waitingLabelsRoundTripWithTheirSourceRecord() throws IOException {
    Label label = new Label("credit-default", "p-1", 1_772_409_700_000L, 0.25);
    byte[] value = {'{', (byte) 0xff, 0, '}'};
    Sourced<Label> back = roundTrip(JoinState.LabelSerializer.INSTANCE,
        new Sourced<>(label, new RawRecord("labels", 3, 1_234_567_890_123L, 1_772_409_700_123L, null, value, "label/1")));
    assertThat(back.value()).isEqualTo(label);
    RawRecord r = back.source();
    assertThat(List.of(r.topic(), r.partition(), r.offset(), r.timestamp(), r.schema()))
        .containsExactly("labels", 3, 1_234_567_890_123L, 1_772_409_700_123L, "label/1");
    assertThat(r.key()).isNull();
    assertThat(r.value()).containsExactly(value);
    RawRecord noHeader = roundTrip(JoinState.LabelSerializer.INSTANCE, new Sourced<>(label,
        new RawRecord(null, -1, -1, -1, "p-1".getBytes(StandardCharsets.UTF_8), null))).source();
    assertThat(List.of(String.valueOf(noHeader.topic()), noHeader.partition(), noHeader.offset(), String.valueOf(noHeader.schema())))
        .containsExactly("null", -1, -1L, "null");
    assertThat(noHeader.key()).containsExactly('p', '-', '1');
    assertThat(noHeader.value()).isNull();
    assertThat(roundTrip(JoinState.LabelSerializer.INSTANCE, new Sourced<>(label, null))).isEqualTo(new Sourced<>(label, null));
  }

  /** A label waiting in a 0.1.0 savepoint: layout 1, read as a label whose source is not known, then migrated. */
  @Test
  void layoutOneLabelsRestoreWithoutASourceAfterMigration() throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    StringValue.writeString("credit-default", out);
    StringValue.writeString("p-9", out);
    out.writeLong(1_772_409_700_000L);
    out.writeDouble(1.0);
    JoinState.LabelSnapshot old = new JoinState.LabelSnapshot();
    old.readSnapshot(1, new DataInputDeserializer(new byte[0]), JoinStateTest.class.getClassLoader());
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    assertThat(old.restoreSerializer().deserialize(in))
        .isEqualTo(new Sourced<>(new Label("credit-default", "p-9", 1_772_409_700_000L, 1.0), null));
    assertThat(in.available()).isZero();
    assertThat(JoinState.LabelSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(old)
        .isCompatibleAfterMigration()).isTrue();
  }

  @Test
  void snapshotsCarryTheirLayoutVersionAndRestoreAsIs() throws IOException {
    TypeSerializerSnapshot<Pending> pending = snapshotRoundTrip(JoinState.PendingSerializer.INSTANCE.snapshotConfiguration());
    assertThat(pending).isInstanceOf(JoinState.PendingSnapshot.class);
    assertThat(pending.getCurrentVersion()).isEqualTo(1);
    assertThat(pending.restoreSerializer()).isSameAs(JoinState.PendingSerializer.INSTANCE);
    assertThat(JoinState.PendingSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(pending).isCompatibleAsIs())
        .isTrue();
    TypeSerializerSnapshot<Sourced<Label>> label = snapshotRoundTrip(JoinState.LabelSerializer.INSTANCE.snapshotConfiguration());
    assertThat(label.getCurrentVersion()).isEqualTo(2);
    assertThat(label.restoreSerializer()).isSameAs(JoinState.LabelSerializer.INSTANCE);
    assertThat(JoinState.LabelSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(label).isCompatibleAsIs())
        .isTrue();
  }

  @Test
  void aLayoutFromTheFutureIsRefusedWithItsVersion() {
    assertThatThrownBy(() -> new JoinState.PendingSnapshot().readSnapshot(2, new DataInputDeserializer(new byte[0]),
        JoinStateTest.class.getClassLoader()))
        .hasMessage("PendingSnapshot: state layout version 2 is not readable by this version (reads 1 to 1)");
  }

  @Test
  void anotherSerializersSnapshotIsIncompatible() {
    @SuppressWarnings({"unchecked", "rawtypes"})
    TypeSerializerSchemaCompatibility<Pending> c = new JoinState.PendingSnapshot()
        .resolveSchemaCompatibility((TypeSerializerSnapshot) new JoinState.LabelSnapshot());
    assertThat(c.isIncompatible()).isTrue();
  }
}
