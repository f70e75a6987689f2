package dev.driftline.jobs.driftdetection.state;

import dev.driftline.core.window.WindowSummary;
import dev.driftline.runtime.flink.BinaryStateSerializer;
import dev.driftline.runtime.flink.SerializerTypeInfo;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/**
 * Holder of a window's summary: Flink creates accumulators before it sees an element, and a
 * summary needs its model's spec, so the summary is made on the first prediction.
 */
public final class SummaryAccumulator {
  public WindowSummary summary;

  public static final class Serializer extends BinaryStateSerializer<SummaryAccumulator> {
    private static final long serialVersionUID = 1L;
    public static final Serializer INSTANCE = new Serializer();

    @Override
    public SummaryAccumulator createInstance() {
      return new SummaryAccumulator();
    }

    @Override
    protected void write(SummaryAccumulator value, DataOutputStream out) throws IOException {
      out.writeBoolean(value.summary != null);
      if (value.summary != null) {
        value.summary.write(out);
      }
    }

    @Override
    protected SummaryAccumulator read(DataInputStream in) throws IOException {
      SummaryAccumulator a = new SummaryAccumulator();
      if (in.readBoolean()) {
        a.summary = WindowSummary.read(in);
      }
      return a;
    }

    @Override
    public TypeSerializerSnapshot<SummaryAccumulator> snapshotConfiguration() {
      return new Snapshot();
    }
  }

  public static final class Snapshot
      extends SimpleTypeSerializerSnapshot<SummaryAccumulator> {
    public Snapshot() {
      super(() -> Serializer.INSTANCE);
    }
  }

  public static TypeInformation<SummaryAccumulator> typeInfo() {
    return new SerializerTypeInfo<>(SummaryAccumulator.class, Serializer.INSTANCE);
  }
}
