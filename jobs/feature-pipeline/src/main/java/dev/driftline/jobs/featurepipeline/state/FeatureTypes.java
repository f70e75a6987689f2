package dev.driftline.jobs.featurepipeline.state;

import dev.driftline.core.features.FeatureEvent;
import dev.driftline.core.features.FeatureRecord;
import dev.driftline.runtime.flink.BinaryStateSerializer;
import dev.driftline.runtime.flink.SerializerTypeInfo;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/**
 * Explicit serializers of the values that cross the feature job's operators, so Flink never falls
 * back to Kryo (records with maps and arrays would otherwise be generic types).
 */
public final class FeatureTypes {
  private FeatureTypes() {}

  public static TypeInformation<FeatureEvent> events() {
    return new SerializerTypeInfo<>(FeatureEvent.class, EventSerializer.INSTANCE);
  }

  public static TypeInformation<FeatureRecord> records() {
    return new SerializerTypeInfo<>(FeatureRecord.class, RecordSerializer.INSTANCE);
  }

  public static final class EventSerializer extends BinaryStateSerializer<FeatureEvent> {
    private static final long serialVersionUID = 1L;
    public static final EventSerializer INSTANCE = new EventSerializer();

    @Override
    public boolean isImmutableType() {
      return true; // never mutated after decoding
    }

    @Override
    public FeatureEvent copy(FeatureEvent from) {
      return from;
    }

    @Override
    public FeatureEvent createInstance() {
      return new FeatureEvent("", 0, new double[0], new String[0]);
    }

    @Override
    protected void write(FeatureEvent e, DataOutputStream out) throws IOException {
      out.writeUTF(e.entity());
      out.writeLong(e.timestamp());
      out.writeInt(e.numbers().length);
      for (double d : e.numbers()) {
        out.writeDouble(d);
      }
      out.writeInt(e.texts().length);
      for (String s : e.texts()) {
        out.writeUTF(s);
      }
    }

    @Override
    protected FeatureEvent read(DataInputStream in) throws IOException {
      String entity = in.readUTF();
      long ts = in.readLong();
      double[] numbers = new double[in.readInt()];
      for (int i = 0; i < numbers.length; i++) {
        numbers[i] = in.readDouble();
      }
      String[] texts = new String[in.readInt()];
      for (int i = 0; i < texts.length; i++) {
        texts[i] = in.readUTF();
      }
      return new FeatureEvent(entity, ts, numbers, texts);
    }

    @Override
    public TypeSerializerSnapshot<FeatureEvent> snapshotConfiguration() {
      return new EventSnapshot();
    }
  }

  public static final class EventSnapshot extends SimpleTypeSerializerSnapshot<FeatureEvent> {
    public EventSnapshot() {
      super(() -> EventSerializer.INSTANCE);
    }
  }

  public static final class RecordSerializer extends BinaryStateSerializer<FeatureRecord> {
    private static final long serialVersionUID = 1L;
    public static final RecordSerializer INSTANCE = new RecordSerializer();

    @Override
    public boolean isImmutableType() {
      return true;
    }

    @Override
    public FeatureRecord copy(FeatureRecord from) {
      return from;
    }

    @Override
    public FeatureRecord createInstance() {
      return new FeatureRecord("", "", 0, 0, Map.of());
    }

    @Override
    protected void write(FeatureRecord r, DataOutputStream out) throws IOException {
      out.writeUTF(r.view());
      out.writeUTF(r.entity());
      out.writeLong(r.asOf());
      out.writeLong(r.computedAt());
      out.writeInt(r.features().size());
      for (Map.Entry<String, Double> e : r.features().entrySet()) {
        out.writeUTF(e.getKey());
        out.writeDouble(e.getValue() == null ? Double.NaN : e.getValue());
      }
    }

    @Override
    protected FeatureRecord read(DataInputStream in) throws IOException {
      String view = in.readUTF();
      String entity = in.readUTF();
      long asOf = in.readLong();
      long computedAt = in.readLong();
      int n = in.readInt();
      Map<String, Double> features = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        String name = in.readUTF();
        double v = in.readDouble();
        features.put(name, Double.isNaN(v) ? null : v);
      }
      return new FeatureRecord(view, entity, asOf, computedAt, features);
    }

    @Override
    public TypeSerializerSnapshot<FeatureRecord> snapshotConfiguration() {
      return new RecordSnapshot();
    }
  }

  public static final class RecordSnapshot extends SimpleTypeSerializerSnapshot<FeatureRecord> {
    public RecordSnapshot() {
      super(() -> RecordSerializer.INSTANCE);
    }
  }
}
