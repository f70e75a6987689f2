package dev.driftline.jobs.driftdetection.operators;

import dev.driftline.runtime.flink.BinaryStateSerializer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Part of one (model|segment) window's summary, from one bundle of one subtask, on its way to be
 * merged; also the merged accumulator of the window, which starts {@link #empty()}.
 */
public record WindowPartial<S>(String key, long start, long end, S summary) {

  /** The accumulator before the first partial arrives. */
  public static <S> WindowPartial<S> empty() {
    return new WindowPartial<>("", 0, 0, null);
  }

  /** Binary form of partials whose summary has its own binary form. */
  public abstract static class Serializer<S> extends BinaryStateSerializer<WindowPartial<S>> {
    private static final long serialVersionUID = 1L;

    protected abstract void writeSummary(S summary, DataOutputStream out) throws IOException;

    protected abstract S readSummary(DataInputStream in) throws IOException;

    @Override
    public WindowPartial<S> createInstance() {
      return null;
    }

    @Override
    protected void write(WindowPartial<S> p, DataOutputStream out) throws IOException {
      out.writeUTF(p.key());
      out.writeLong(p.start());
      out.writeLong(p.end());
      out.writeBoolean(p.summary() != null);
      if (p.summary() != null) {
        writeSummary(p.summary(), out);
      }
    }

    @Override
    protected WindowPartial<S> read(DataInputStream in) throws IOException {
      return new WindowPartial<>(in.readUTF(), in.readLong(), in.readLong(), in.readBoolean() ? readSummary(in) : null);
    }
  }
}
