package dev.driftline.runtime.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;
import org.junit.jupiter.api.Test;

/** Reads back exactly what Flink's StringValue writes, byte for byte, and leaves the input where Flink's reader would. */
class FlinkStringsTest {
  @Test
  void readsWhatStringValueWrites() throws Exception {
    Random random = new Random(7);
    List<String> strings = new ArrayList<>(List.of("", "a", "model-1", "pred-000123", "é", "naïve café",
        "\u4e2d\u6587", "emoji \ud83d\ude00", "\u0000wrong type", "x".repeat(127), "y".repeat(128), "z".repeat(20_000)));
    strings.add(null);
    for (int i = 0; i < 500; i++) {
      char[] c = new char[random.nextInt(300)];
      for (int j = 0; j < c.length; j++) {
        c[j] = (char) (random.nextInt(4) == 0 ? random.nextInt(0x10000) : random.nextInt(0x100));
      }
      strings.add(new String(c));
    }
    DataOutputSerializer out = new DataOutputSerializer(1 << 16);
    for (String s : strings) {
      StringValue.writeString(s, out);
      out.writeInt(42);
    }
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    for (String s : strings) {
      assertThat(FlinkStrings.read(in)).isEqualTo(s);
      assertThat(in.readInt()).isEqualTo(42);
    }
    assertThat(in.available()).isZero();
  }
}
