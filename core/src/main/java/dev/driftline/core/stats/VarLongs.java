package dev.driftline.core.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Unsigned variable-length longs (LEB128: seven bits a byte, low bits first, the high bit set on
 * all but the last byte), as the binary forms of the summaries in this package write them.
 */
final class VarLongs {
  private VarLongs() {}

  static void write(DataOutput out, long v) throws IOException {
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  /**
   * Reads one.
   *
   * @param canonical whether to accept only the shortest form with no bits past 64 (so that equal
   *     values have equal bytes)
   * @param what the summary being read, for the error message
   */
  static long read(DataInput in, boolean canonical, String what) throws IOException {
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
