package dev.driftline.jobs.driftdetection.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.driftline.core.events.Label;
import dev.driftline.jobs.driftdetection.operators.LabelJoinFunction.Pending;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
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

  @Test
  void waitingLabelsRoundTrip() throws IOException {
    Label label = new Label("credit-default", "p-1", 1_772_409_700_000L, 0.25);
    assertThat(roundTrip(JoinState.LabelSerializer.INSTANCE, label)).isEqualTo(label);
  }

  @Test
  void snapshotsCarryLayoutVersionOneAndRestoreAsIs() throws IOException {
    TypeSerializerSnapshot<Pending> pending = snapshotRoundTrip(JoinState.PendingSerializer.INSTANCE.snapshotConfiguration());
    assertThat(pending).isInstanceOf(JoinState.PendingSnapshot.class);
    assertThat(pending.getCurrentVersion()).isEqualTo(1);
    assertThat(pending.restoreSerializer()).isSameAs(JoinState.PendingSerializer.INSTANCE);
    assertThat(JoinState.PendingSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(pending).isCompatibleAsIs())
        .isTrue();
    TypeSerializerSnapshot<Label> label = snapshotRoundTrip(JoinState.LabelSerializer.INSTANCE.snapshotConfiguration());
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
