package dev.driftline.jobs.driftdetection.state;

import dev.driftline.connectors.flink.SerializerTypeInfo;
import dev.driftline.connectors.flink.BinaryStateSerializer;
import dev.driftline.core.window.PerformanceWindow;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/** Flink type information for {@link PerformanceWindow} accumulators. */
public final class PerformanceAccumulator {
  private PerformanceAccumulator() {}

  public static TypeInformation<PerformanceWindow> typeInfo() {
    return new SerializerTypeInfo<>(PerformanceWindow.class, Serializer.INSTANCE);
  }

  public static final class Serializer extends BinaryStateSerializer<PerformanceWindow> {
    private static final long serialVersionUID = 1L;
    public static final Serializer INSTANCE = new Serializer();

    @Override
    public PerformanceWindow createInstance() {
      return new PerformanceWindow();
    }

    @Override
    protected void write(PerformanceWindow value, DataOutputStream out) throws IOException {
      value.write(out);
    }

    @Override
    protected PerformanceWindow read(DataInputStream in) throws IOException {
      return PerformanceWindow.read(in);
    }

    @Override
    public TypeSerializerSnapshot<PerformanceWindow> snapshotConfiguration() {
      return new Snapshot();
    }
  }

  public static final class Snapshot extends SimpleTypeSerializerSnapshot<PerformanceWindow> {
    public Snapshot() {
      super(() -> Serializer.INSTANCE);
    }
  }
}
