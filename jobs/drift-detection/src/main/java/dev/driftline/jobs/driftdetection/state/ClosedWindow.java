package dev.driftline.jobs.driftdetection.state;

import dev.driftline.connectors.flink.SerializerTypeInfo;
import dev.driftline.connectors.flink.BinaryStateSerializer;
import dev.driftline.core.window.WindowSummary;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/** A (model|segment) window that has closed, with its summary, on its way to the drift tests. */
public record ClosedWindow(String key, long start, long end, WindowSummary summary) {

  public static TypeInformation<ClosedWindow> typeInfo() {
    return new SerializerTypeInfo<>(ClosedWindow.class, Serializer.INSTANCE);
  }

  public static final class Serializer extends BinaryStateSerializer<ClosedWindow> {
    private static final long serialVersionUID = 1L;
    public static final Serializer INSTANCE = new Serializer();

    @Override
    public ClosedWindow createInstance() {
      return null;
    }

    @Override
    protected void write(ClosedWindow w, DataOutputStream out) throws IOException {
      out.writeUTF(w.key());
      out.writeLong(w.start());
      out.writeLong(w.end());
      w.summary().write(out);
    }

    @Override
    protected ClosedWindow read(DataInputStream in) throws IOException {
      return new ClosedWindow(in.readUTF(), in.readLong(), in.readLong(), WindowSummary.read(in));
    }

    @Override
    public TypeSerializerSnapshot<ClosedWindow> snapshotConfiguration() {
      return new Snapshot();
    }
  }

  public static final class Snapshot extends SimpleTypeSerializerSnapshot<ClosedWindow> {
    public Snapshot() {
      super(() -> Serializer.INSTANCE);
    }
  }
}
