package dev.driftline.jobs.driftdetection.state;

import dev.driftline.core.window.PerformanceWindow;
import dev.driftline.core.window.WindowSummary;
import dev.driftline.jobs.driftdetection.operators.WindowPartial;
import dev.driftline.runtime.flink.SerializerTypeInfo;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

/** Flink type information of the window partials (records between the two phases, and the merged accumulators). */
public final class Partials {
  private Partials() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static TypeInformation<WindowPartial<WindowSummary>> drift() {
    return new SerializerTypeInfo<>((Class) WindowPartial.class, DriftSerializer.INSTANCE);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static TypeInformation<WindowPartial<PerformanceWindow>> performance() {
    return new SerializerTypeInfo<>((Class) WindowPartial.class, PerformanceSerializer.INSTANCE);
  }

  public static final class DriftSerializer extends WindowPartial.Serializer<WindowSummary> {
    private static final long serialVersionUID = 1L;
    public static final DriftSerializer INSTANCE = new DriftSerializer();

    @Override
    protected void writeSummary(WindowSummary summary, DataOutputStream out) throws IOException {
      summary.write(out);
    }

    @Override
    protected WindowSummary readSummary(DataInputStream in) throws IOException {
      return WindowSummary.read(in);
    }

    @Override
    public TypeSerializerSnapshot<WindowPartial<WindowSummary>> snapshotConfiguration() {
      return new DriftSnapshot();
    }
  }

  public static final class DriftSnapshot extends SimpleTypeSerializerSnapshot<WindowPartial<WindowSummary>> {
    public DriftSnapshot() {
      super(() -> DriftSerializer.INSTANCE);
    }
  }

  public static final class PerformanceSerializer extends WindowPartial.Serializer<PerformanceWindow> {
    private static final long serialVersionUID = 1L;
    public static final PerformanceSerializer INSTANCE = new PerformanceSerializer();

    @Override
    protected void writeSummary(PerformanceWindow summary, DataOutputStream out) throws IOException {
      summary.write(out);
    }

    @Override
    protected PerformanceWindow readSummary(DataInputStream in) throws IOException {
      return PerformanceWindow.read(in);
    }

    @Override
    public TypeSerializerSnapshot<WindowPartial<PerformanceWindow>> snapshotConfiguration() {
      return new PerformanceSnapshot();
    }
  }

  public static final class PerformanceSnapshot extends SimpleTypeSerializerSnapshot<WindowPartial<PerformanceWindow>> {
    public PerformanceSnapshot() {
      super(() -> PerformanceSerializer.INSTANCE);
    }
  }
}
