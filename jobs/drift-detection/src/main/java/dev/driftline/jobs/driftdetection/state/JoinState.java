package dev.driftline.jobs.driftdetection.state;

import dev.driftline.connectors.flink.SerializerTypeInfo;
import dev.driftline.core.events.Label;
import dev.driftline.core.events.Prediction;
import dev.driftline.jobs.driftdetection.operators.LabelJoinFunction;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The label join's two states, each with its own serializer and a snapshot that records the
 * version of the byte layout ({@link VersionedSnapshot}): {@code join-prediction} holds a
 * {@link LabelJoinFunction.Pending} (layout 1: a flag byte, the expiry, then the prediction if one
 * waits) and {@code join-waiting-label} a {@link Label} (layout 1: model id, prediction id,
 * timestamp, value).
 */
public final class JoinState {
  private JoinState() {}

  public static TypeInformation<LabelJoinFunction.Pending> pendingTypeInfo() {
    return new SerializerTypeInfo<>(LabelJoinFunction.Pending.class, PendingSerializer.INSTANCE);
  }

  public static TypeInformation<Label> labelTypeInfo() {
    return new SerializerTypeInfo<>(Label.class, LabelSerializer.INSTANCE);
  }

  /**
   * A snapshot that remembers which layout version wrote the state. Restoring state of the current
   * layout is compatible as is; a later layout adds a reader for each older version in
   * {@link #serializerFor(int)} and restores it with migration (Flink reads with the old
   * serializer, writes with the new).
   */
  public abstract static class VersionedSnapshot<T> implements TypeSerializerSnapshot<T> {
    private int readVersion = getCurrentVersion();

    /** The serializer that reads bytes of layout {@code version} (1 ... current). */
    protected abstract TypeSerializer<T> serializerFor(int version);

    @Override
    public void writeSnapshot(DataOutputView out) {
      // The version Flink writes before the snapshot is all there is.
    }

    @Override
    public void readSnapshot(int version, DataInputView in, ClassLoader classLoader) throws IOException {
      if (version < 1 || version > getCurrentVersion()) {
        throw new IOException(getClass().getSimpleName() + ": state layout version " + version
            + " is not readable by this version (reads 1 to " + getCurrentVersion() + ")");
      }
      readVersion = version;
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
      return serializerFor(readVersion);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
      if (old.getClass() != getClass()) {
        return TypeSerializerSchemaCompatibility.incompatible();
      }
      return ((VersionedSnapshot<T>) old).readVersion == getCurrentVersion()
          ? TypeSerializerSchemaCompatibility.compatibleAsIs()
          : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
    }
  }

  /** {@link LabelJoinFunction.Pending}, layout 1: flag byte (1 = a prediction follows), expiry millis, prediction. */
  public static final class PendingSerializer extends TypeSerializerSingleton<LabelJoinFunction.Pending> {
    private static final long serialVersionUID = 1L;
    public static final PendingSerializer INSTANCE = new PendingSerializer();
    private static final int PREDICTION = 1;

    @Override
    public boolean isImmutableType() {
      return true;
    }

    @Override
    public LabelJoinFunction.Pending createInstance() {
      return null;
    }

    @Override
    public LabelJoinFunction.Pending copy(LabelJoinFunction.Pending from) {
      return from;
    }

    @Override
    public LabelJoinFunction.Pending copy(LabelJoinFunction.Pending from, LabelJoinFunction.Pending reuse) {
      return from;
    }

    @Override
    public int getLength() {
      return -1;
    }

    @Override
    public void serialize(LabelJoinFunction.Pending s, DataOutputView out) throws IOException {
      out.writeByte(s.prediction() != null ? PREDICTION : 0);
      out.writeLong(s.expiresAt());
      if (s.prediction() != null) {
        PredictionSerializer.INSTANCE.serialize(s.prediction(), out);
      }
    }

    @Override
    public LabelJoinFunction.Pending deserialize(DataInputView in) throws IOException {
      int flags = in.readByte();
      long expiresAt = in.readLong();
      Prediction p = (flags & PREDICTION) != 0 ? PredictionSerializer.INSTANCE.deserialize(in) : null;
      return new LabelJoinFunction.Pending(p, expiresAt);
    }

    @Override
    public LabelJoinFunction.Pending deserialize(LabelJoinFunction.Pending reuse, DataInputView in) throws IOException {
      return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
      serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<LabelJoinFunction.Pending> snapshotConfiguration() {
      return new PendingSnapshot();
    }
  }

  public static final class PendingSnapshot extends VersionedSnapshot<LabelJoinFunction.Pending> {
    @Override
    public int getCurrentVersion() {
      return 1;
    }

    @Override
    protected TypeSerializer<LabelJoinFunction.Pending> serializerFor(int version) {
      return PendingSerializer.INSTANCE;
    }
  }

  /** {@link Label}, layout 1: model id, prediction id, timestamp millis, value. */
  public static final class LabelSerializer extends TypeSerializerSingleton<Label> {
    private static final long serialVersionUID = 1L;
    public static final LabelSerializer INSTANCE = new LabelSerializer();

    @Override
    public boolean isImmutableType() {
      return true;
    }

    @Override
    public Label createInstance() {
      return null;
    }

    @Override
    public Label copy(Label from) {
      return from;
    }

    @Override
    public Label copy(Label from, Label reuse) {
      return from;
    }

    @Override
    public int getLength() {
      return -1;
    }

    @Override
    public void serialize(Label l, DataOutputView out) throws IOException {
      StringValue.writeString(l.modelId(), out);
      StringValue.writeString(l.predictionId(), out);
      out.writeLong(l.timestamp());
      out.writeDouble(l.value());
    }

    @Override
    public Label deserialize(DataInputView in) throws IOException {
      return new Label(StringValue.readString(in), StringValue.readString(in), in.readLong(), in.readDouble());
    }

    @Override
    public Label deserialize(Label reuse, DataInputView in) throws IOException {
      return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
      serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<Label> snapshotConfiguration() {
      return new LabelSnapshot();
    }
  }

  public static final class LabelSnapshot extends VersionedSnapshot<Label> {
    @Override
    public int getCurrentVersion() {
      return 1;
    }

    @Override
    protected TypeSerializer<Label> serializerFor(int version) {
      return LabelSerializer.INSTANCE;
    }
  }
}
