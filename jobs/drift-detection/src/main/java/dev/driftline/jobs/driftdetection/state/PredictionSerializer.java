package dev.driftline.jobs.driftdetection.state;

import dev.driftline.core.events.Prediction;
import dev.driftline.runtime.flink.FlinkStrings;
import dev.driftline.runtime.flink.SerializerTypeInfo;
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
 *
 * <p>A prediction without class probabilities (a binary classifier's, a regressor's) is written as
 * in 0.1.0: ids, time, entity, segment, the numeric values after their count, the categorical
 * values after theirs, score, predicted class. A multiclass prediction writes its numeric count as
 * {@code -(count + 1)}, which no earlier version wrote, and its class probabilities (a count, then
 * the values) after the predicted class; so state of 0.1.0 reads as it was written.
 */
public final class PredictionSerializer extends TypeSerializerSingleton<Prediction> {
  private static final long serialVersionUID = 1L;
  public static final PredictionSerializer INSTANCE = new PredictionSerializer();

  public static TypeInformation<Prediction> typeInfo() {
    return new SerializerTypeInfo<>(Prediction.class, INSTANCE);
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
    out.writeInt(p.classScores() == null ? numeric.length : -(numeric.length + 1));
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
    if (p.classScores() != null) {
      out.writeInt(p.classScores().length);
      for (double v : p.classScores()) {
        out.writeDouble(v);
      }
    }
  }

  @Override
  public Prediction deserialize(DataInputView in) throws IOException {
    String modelId = FlinkStrings.read(in);
    String predictionId = FlinkStrings.read(in);
    long timestamp = in.readLong();
    String entityId = FlinkStrings.read(in);
    String segment = FlinkStrings.read(in);
    int numericCount = in.readInt();
    boolean multiclass = numericCount < 0;
    double[] numeric = new double[multiclass ? -numericCount - 1 : numericCount];
    for (int i = 0; i < numeric.length; i++) {
      numeric[i] = in.readDouble();
    }
    String[] categorical = new String[in.readInt()];
    for (int i = 0; i < categorical.length; i++) {
      categorical[i] = FlinkStrings.read(in);
    }
    double score = in.readDouble();
    String predictedClass = FlinkStrings.read(in);
    double[] classScores = null;
    if (multiclass) {
      classScores = new double[in.readInt()];
      for (int i = 0; i < classScores.length; i++) {
        classScores[i] = in.readDouble();
      }
    }
    return new Prediction(modelId, predictionId, timestamp, entityId, segment, numeric, categorical, score,
        predictedClass, classScores);
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
}
