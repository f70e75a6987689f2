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
 * A (model|segment) window that has closed, with its summary, on its way to the drift tests.
 *
 * @param start inclusive, epoch millis (a count window's first prediction time)
 * @param end exclusive, epoch millis (one millisecond after a count window's last prediction)
 * @param sequence a count window's number within its key (0, 1, ...); {@link #TIME} for time windows
 */
public record ClosedWindow(String key, long start, long end, long sequence, WindowSummary summary) {
  /** The {@code sequence} of time windows. */
  public static final long TIME = -1;

  /** A time window. */
  public ClosedWindow(String key, long start, long end, WindowSummary summary) {
    this(key, start, end, TIME, summary);
  }

  public boolean isCount() {
    return sequence != TIME;
  }

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
      out.writeLong(w.sequence());
      w.summary().write(out);
    }

    @Override
    protected ClosedWindow read(DataInputStream in) throws IOException {
      return new ClosedWindow(in.readUTF(), in.readLong(), in.readLong(), in.readLong(), WindowSummary.read(in));
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
