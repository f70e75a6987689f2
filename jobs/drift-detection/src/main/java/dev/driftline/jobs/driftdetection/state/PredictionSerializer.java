package dev.driftline.jobs.driftdetection.state;

import dev.driftline.connectors.flink.SerializerTypeInfo;
import dev.driftline.core.events.Label;
import dev.driftline.core.events.Prediction;
import dev.driftline.jobs.driftdetection.operators.LabelJoinFunction;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Predictions on the wire and in the label join's state, written field by field: every prediction
 * crosses the shuffle to the join and waits there in RocksDB, so it must not pay for Flink's
 * reflective record serializer. Predictions are immutable, so copies are the instance itself.
 */
public final class PredictionSerializer extends TypeSerializerSingleton<Prediction> {
  private static final long serialVersionUID = 1L;
  public static final PredictionSerializer INSTANCE = new PredictionSerializer();

  public static TypeInformation<Prediction> typeInfo() {
    return new SerializerTypeInfo<>(Prediction.class, INSTANCE);
  }

  /** The join's state: a waiting prediction, a waiting label, and whether the two have met. */
  public static TypeInformation<LabelJoinFunction.Slot> slotTypeInfo() {
    return new SerializerTypeInfo<>(LabelJoinFunction.Slot.class, SlotSerializer.INSTANCE);
  }

  @Override
  public boolean isImmutableType() {
    return true;
  }

  @Override
  public Prediction createInstance() {
    return null;
  }

  @Override
  public Prediction copy(Prediction from) {
    return from;
  }

  @Override
  public Prediction copy(Prediction from, Prediction reuse) {
    return from;
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(Prediction p, DataOutputView out) throws IOException {
    StringValue.writeString(p.modelId(), out);
    StringValue.writeString(p.predictionId(), out);
    out.writeLong(p.timestamp());
    StringValue.writeString(p.entityId(), out);
    StringValue.writeString(p.segment(), out);
    double[] numeric = p.numeric();
    out.writeInt(numeric.length);
    for (double v : numeric) {
      out.writeDouble(v);
    }
    String[] categorical = p.categorical();
    out.writeInt(categorical.length);
    for (String c : categorical) {
      StringValue.writeString(c, out);
    }
    out.writeDouble(p.score());
    StringValue.writeString(p.predictedClass(), out);
  }

  @Override
  public Prediction deserialize(DataInputView in) throws IOException {
    String modelId = StringValue.readString(in);
    String predictionId = StringValue.readString(in);
    long timestamp = in.readLong();
    String entityId = StringValue.readString(in);
    String segment = StringValue.readString(in);
    double[] numeric = new double[in.readInt()];
    for (int i = 0; i < numeric.length; i++) {
      numeric[i] = in.readDouble();
    }
    String[] categorical = new String[in.readInt()];
    for (int i = 0; i < categorical.length; i++) {
      categorical[i] = StringValue.readString(in);
    }
    double score = in.readDouble();
    return new Prediction(modelId, predictionId, timestamp, entityId, segment, numeric, categorical, score,
        StringValue.readString(in));
  }

  @Override
  public Prediction deserialize(Prediction reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    serialize(deserialize(source), target);
  }

  @Override
  public TypeSerializerSnapshot<Prediction> snapshotConfiguration() {
    return new Snapshot();
  }

  public static final class Snapshot extends SimpleTypeSerializerSnapshot<Prediction> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }

  /** {@link LabelJoinFunction.Slot}: a flag byte, then the prediction and the label that are present. */
  public static final class SlotSerializer extends TypeSerializerSingleton<LabelJoinFunction.Slot> {
    private static final long serialVersionUID = 1L;
    public static final SlotSerializer INSTANCE = new SlotSerializer();
    private static final int PREDICTION = 1;
    private static final int LABEL = 2;
    private static final int JOINED = 4;

    @Override
    public boolean isImmutableType() {
      return true;
    }

    @Override
    public LabelJoinFunction.Slot createInstance() {
      return null;
    }

    @Override
    public LabelJoinFunction.Slot copy(LabelJoinFunction.Slot from) {
      return from;
    }

    @Override
    public LabelJoinFunction.Slot copy(LabelJoinFunction.Slot from, LabelJoinFunction.Slot reuse) {
      return from;
    }

    @Override
    public int getLength() {
      return -1;
    }

    @Override
    public void serialize(LabelJoinFunction.Slot s, DataOutputView out) throws IOException {
      out.writeByte((s.prediction() != null ? PREDICTION : 0) | (s.label() != null ? LABEL : 0) | (s.joined() ? JOINED : 0));
      if (s.prediction() != null) {
        PredictionSerializer.INSTANCE.serialize(s.prediction(), out);
      }
      if (s.label() != null) {
        Label l = s.label();
        StringValue.writeString(l.modelId(), out);
        StringValue.writeString(l.predictionId(), out);
        out.writeLong(l.timestamp());
        out.writeDouble(l.value());
      }
    }

    @Override
    public LabelJoinFunction.Slot deserialize(DataInputView in) throws IOException {
      int flags = in.readByte();
      Prediction p = (flags & PREDICTION) != 0 ? PredictionSerializer.INSTANCE.deserialize(in) : null;
      Label l = (flags & LABEL) != 0
          ? new Label(StringValue.readString(in), StringValue.readString(in), in.readLong(), in.readDouble()) : null;
      return new LabelJoinFunction.Slot(p, l, (flags & JOINED) != 0);
    }

    @Override
    public LabelJoinFunction.Slot deserialize(LabelJoinFunction.Slot reuse, DataInputView in) throws IOException {
      return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
      serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<LabelJoinFunction.Slot> snapshotConfiguration() {
      return new SlotSnapshot();
    }
  }

  public static final class SlotSnapshot extends SimpleTypeSerializerSnapshot<LabelJoinFunction.Slot> {
    public SlotSnapshot() {
      super(() -> SlotSerializer.INSTANCE);
    }
  }
}
