package dev.driftline.jobs.driftdetection.state;

import dev.driftline.core.events.Label;
import dev.driftline.core.events.Prediction;
import dev.driftline.jobs.driftdetection.operators.LabelJoinFunction;
import dev.driftline.runtime.flink.FlinkStrings;
import dev.driftline.runtime.flink.SerializerTypeInfo;
import dev.driftline.runtime.kafka.RawRecord;
import dev.driftline.runtime.kafka.Sourced;
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
 * waits) and {@code join-waiting-label} a {@link Label} with its source record (layout 2, see
 * {@link LabelSerializer}; layout 1 of 0.1.0 is read and migrated on restore).
 */
public final class JoinState {
  private JoinState() {}

  public static TypeInformation<LabelJoinFunction.Pending> pendingTypeInfo() {
    return new SerializerTypeInfo<>(LabelJoinFunction.Pending.class, PendingSerializer.INSTANCE);
  }

  /** A label with its source record: the labels' stream from decoding to the join, and the join's waiting label. */
  @SuppressWarnings("unchecked")
  public static TypeInformation<Sourced<Label>> labelTypeInfo() {
    return new SerializerTypeInfo<>((Class<Sourced<Label>>) (Class<?>) Sourced.class, LabelSerializer.INSTANCE);
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

  /**
   * A label with its source record ({@link Sourced}), so that its dead letter (unmatched,
   * duplicate) keeps the original bytes and position. Layout 2: model id, prediction id, timestamp
   * millis, value, then a flag byte (1 = the source follows) and the source: topic, partition,
   * offset, record timestamp, key, value (each byte array as its length, -1 for null, and its
   * bytes) and schema header (a flag byte, then the string). Layout 1 (0.1.0) is layout 2 without
   * the flag and source; it restores as labels whose source is not known.
   */
  public static class LabelSerializer extends TypeSerializerSingleton<Sourced<Label>> {
    private static final long serialVersionUID = 1L;
    public static final LabelSerializer INSTANCE = new LabelSerializer();
    private static final int SOURCE = 1;

    @Override
    public boolean isImmutableType() {
      return true;
    }

    @Override
    public Sourced<Label> createInstance() {
      return null;
    }

    @Override
    public Sourced<Label> copy(Sourced<Label> from) {
      return from;
    }

    @Override
    public Sourced<Label> copy(Sourced<Label> from, Sourced<Label> reuse) {
      return from;
    }

    @Override
    public int getLength() {
      return -1;
    }

    @Override
    public void serialize(Sourced<Label> s, DataOutputView out) throws IOException {
      writeLabel(s.value(), out);
      RawRecord r = s.source();
      out.writeByte(r != null ? SOURCE : 0);
      if (r != null) {
        writeNullableString(r.topic(), out);
        out.writeInt(r.partition());
        out.writeLong(r.offset());
        out.writeLong(r.timestamp());
        writeBytes(r.key(), out);
        writeBytes(r.value(), out);
        writeNullableString(r.schema(), out);
      }
    }

    @Override
    public Sourced<Label> deserialize(DataInputView in) throws IOException {
      Label l = readLabel(in);
      if ((in.readByte() & SOURCE) == 0) {
        return new Sourced<>(l, null);
      }
      String topic = readNullableString(in);
      int partition = in.readInt();
      long offset = in.readLong();
      long timestamp = in.readLong();
      byte[] key = readBytes(in);
      byte[] value = readBytes(in);
      return new Sourced<>(l, new RawRecord(topic, partition, offset, timestamp, key, value, readNullableString(in)));
    }

    @Override
    public Sourced<Label> deserialize(Sourced<Label> reuse, DataInputView in) throws IOException {
      return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
      serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<Sourced<Label>> snapshotConfiguration() {
      return new LabelSnapshot();
    }

    static void writeLabel(Label l, DataOutputView out) throws IOException {
      StringValue.writeString(l.modelId(), out);
      StringValue.writeString(l.predictionId(), out);
      out.writeLong(l.timestamp());
      out.writeDouble(l.value());
    }

    static Label readLabel(DataInputView in) throws IOException {
      return new Label(FlinkStrings.read(in), FlinkStrings.read(in), in.readLong(), in.readDouble());
    }

    private static void writeNullableString(String s, DataOutputView out) throws IOException {
      out.writeBoolean(s != null);
      if (s != null) {
        StringValue.writeString(s, out);
      }
    }

    private static String readNullableString(DataInputView in) throws IOException {
      return in.readBoolean() ? FlinkStrings.read(in) : null;
    }

    private static void writeBytes(byte[] b, DataOutputView out) throws IOException {
      out.writeInt(b == null ? -1 : b.length);
      if (b != null) {
        out.write(b);
      }
    }

    private static byte[] readBytes(DataInputView in) throws IOException {
      int n = in.readInt();
      if (n < 0) {
        return null;
      }
      byte[] b = new byte[n];
      in.readFully(b);
      return b;
    }
  }

  /** Reads (and writes) layout 1: a label without its source; only for restoring state of 0.1.0. */
  static final class LabelLayout1Serializer extends LabelSerializer {
    private static final long serialVersionUID = 1L;
    static final LabelLayout1Serializer INSTANCE = new LabelLayout1Serializer();

    @Override
    public void serialize(Sourced<Label> s, DataOutputView out) throws IOException {
      writeLabel(s.value(), out);
    }

    @Override
    public Sourced<Label> deserialize(DataInputView in) throws IOException {
      return new Sourced<>(readLabel(in), null);
    }
  }

  public static final class LabelSnapshot extends VersionedSnapshot<Sourced<Label>> {
    @Override
    public int getCurrentVersion() {
      return 2;
    }

    @Override
    protected TypeSerializer<Sourced<Label>> serializerFor(int version) {
      return version == 1 ? LabelLayout1Serializer.INSTANCE : LabelSerializer.INSTANCE;
    }
  }
}
