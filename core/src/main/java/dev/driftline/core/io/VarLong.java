package dev.driftline.core.io;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Unsigned variable-length longs (LEB128: seven bits a byte, low bits first, the high bit set on
 * all but the last byte), as the binary state forms of the summaries write their counts: a count
 * that is mostly small takes one or two bytes.
 */
public final class VarLong {
  private VarLong() {}

  public static void write(DataOutput out, long v) throws IOException {
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  /** Reads one in any form; {@code what} names the summary being read in the error ("a numeric histogram"). */
  public static long read(DataInput in, String what) throws IOException {
    return read(in, false, what);
  }

  /**
   * Reads one.
   *
   * @param canonical whether to accept only the shortest form with no bits past 64 (so that equal
   *     values have equal bytes)
   * @param what the summary being read, for the error message
   */
  public static long read(DataInput in, boolean canonical, String what) throws IOException {
    long v = 0;
    for (int s = 0; s < 64; s += 7) {
      int b = in.readUnsignedByte();
      v |= (long) (b & 0x7F) << s;
      if ((b & 0x80) == 0) {
        if (canonical && (s > 0 && b == 0 || s == 63 && b > 1)) {
          break;
        }
        return v;
      }
    }
    throw new IOException("malformed varint in " + what);
  }
}
