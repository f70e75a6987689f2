package dev.driftline.core.io;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Unsigned LEB128 of a long in binary state forms: counts that are mostly small take one or two bytes. */
public final class VarLong {
  private VarLong() {}

  public static void write(DataOutput out, long v) throws IOException {
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  /** One value; {@code what} names the form in the error of a value longer than 64 bits ("a numeric histogram"). */
  public static long read(DataInput in, String what) throws IOException {
    long v = 0;
    for (int s = 0; s < 64; s += 7) {
      int b = in.readUnsignedByte();
      v |= (long) (b & 0x7F) << s;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IOException("malformed varint in " + what);
  }
}
