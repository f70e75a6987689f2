package dev.driftline.jobs.driftdetection.operators;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** The size of a summary's binary form (what one key's window costs in state), for the window functions' accumulators. */
final class SerializedSize {
  private SerializedSize() {}

  interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  static long of(Writer writer) throws IOException {
    DataOutputStream counted = new DataOutputStream(OutputStream.nullOutputStream());
    writer.write(counted);
    return counted.size();
  }
}
