package dev.driftline.runtime.flink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;

/**
 * Reads strings in the layout of Flink's {@code StringValue.writeString} (the layout of the job
 * states that hold strings): the length plus one (0 for null) as a little-endian base-128 varint,
 * then each char as such a varint. Flink's own reader takes a thread-local buffer per string, which
 * costs a hash-map probe per call on a task thread that holds many thread-locals; a prediction read
 * from the shuffle or the join's state has ten or more strings, so this one decodes into an array
 * of its own.
 */
public final class FlinkStrings {
  private static final int HIGH_BIT = 0x80;

  private FlinkStrings() {}

  public static String read(DataInputView in) throws IOException {
    int len = varint(in, in.readUnsignedByte());
    if (len == 0) {
      return null;
    }
    len -= 1;
    byte[] latin1 = null;
    char[] chars = null;
    for (int i = 0; i < len; i++) {
      int c = varint(in, in.readUnsignedByte());
      if (chars == null && c <= 0xff) {
        if (latin1 == null) {
          latin1 = new byte[len];
        }
        latin1[i] = (byte) c;
      } else {
        if (chars == null) {
          chars = new char[len];
          for (int j = 0; j < i; j++) {
            chars[j] = (char) (latin1[j] & 0xff);
          }
        }
        chars[i] = (char) c;
      }
    }
    if (chars != null) {
      return new String(chars);
    }
    return len == 0 ? "" : new String(latin1, StandardCharsets.ISO_8859_1);
  }

  /** The varint whose first byte is {@code first}. */
  private static int varint(DataInputView in, int first) throws IOException {
    if (first < HIGH_BIT) {
      return first;
    }
    int value = first & 0x7f;
    int shift = 7;
    int curr;
    while ((curr = in.readUnsignedByte()) >= HIGH_BIT) {
      value |= (curr & 0x7f) << shift;
      shift += 7;
    }
    return value | curr << shift;
  }
}
