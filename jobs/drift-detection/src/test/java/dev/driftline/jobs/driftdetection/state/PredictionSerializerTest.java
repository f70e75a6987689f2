package dev.driftline.jobs.driftdetection.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.events.Prediction;
import dev.driftline.core.spec.FeatureType;
import java.io.IOException;
import org.apache.flink.types.StringValue;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class PredictionSerializerTest {
  static final Prediction FULL = new Prediction("credit-default", "p-1", 1_772_409_600_123L, "e-9", "north",
      new double[] {1.5, Double.NaN, -0.0, 42}, new String[] {null, "auto", null, null}, 0.73, "1");
  static final Prediction SPARSE = new Prediction("churn", "p-2", 5, null, null, new double[0], new String[0], 0.1, null);

  static Prediction roundTrip(Prediction p) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    PredictionSerializer.INSTANCE.serialize(p, out);
    return PredictionSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
  }

  static void assertSame(Prediction back, Prediction p) {
    assertThat(back).usingRecursiveComparison().ignoringFields("numeric").isEqualTo(p);
    assertThat(back.numeric()).containsExactly(p.numeric());
    assertThat(back.categorical()).containsExactly(p.categorical());
  }

  @Test
  void predictionsRoundTripWithNullsNaNAndEmptyArrays() throws IOException {
    assertSame(roundTrip(FULL), FULL);
    assertSame(roundTrip(SPARSE), SPARSE);
    assertThat(Double.doubleToRawLongBits(roundTrip(FULL).numeric()[2])).isEqualTo(Double.doubleToRawLongBits(-0.0));
  }

  /** The marks of values of the wrong type live in the slots the layout already has: they survive it. */
  @Test
  void wrongTypeMarksRoundTrip() throws IOException {
    Prediction marked = new Prediction("credit-default", "p-3", 7, null, null,
        new double[] {Double.NaN, Prediction.WRONG_TYPE_MARK}, new String[] {Prediction.WRONG_TYPE, null}, 0.5, null);
    Prediction back = roundTrip(marked);
    assertSame(back, marked);
    assertThat(back.wrongType(0, FeatureType.NUMERIC)).isTrue();
    assertThat(back.wrongType(1, FeatureType.CATEGORICAL)).isTrue();
    assertThat(roundTrip(FULL).wrongType(1, FeatureType.CATEGORICAL)).isFalse();
    assertThat(roundTrip(FULL).wrongType(0, FeatureType.NUMERIC)).isFalse();
  }

  /** A multiclass prediction keeps its class probabilities; a binary one is written as 0.1.0 wrote it. */
  @Test
  void classProbabilitiesRoundTripAndOtherPredictionsKeepTheirLayout() throws IOException {
    Prediction multiclass = new Prediction("fruit", "p-4", 9, null, "eu", new double[] {120, Double.NaN},
        new String[] {null, "red"}, 0.625, "banana", new double[] {0.25, 0.625, 0.125});
    Prediction back = roundTrip(multiclass);
    assertSame(back, multiclass);
    assertThat(back.classScores()).containsExactly(0.25, 0.625, 0.125);
    assertThat(roundTrip(FULL).classScores()).isNull();

    DataOutputSerializer out = new DataOutputSerializer(64);
    PredictionSerializer.INSTANCE.serialize(SPARSE, out);
    // 0.1.0's layout: "churn", "p-2", 5, null, null, 0 numeric values, 0 categorical ones, 0.1, null
    DataOutputSerializer old = new DataOutputSerializer(64);
    StringValue.writeString("churn", old);
    StringValue.writeString("p-2", old);
    old.writeLong(5);
    StringValue.writeString(null, old);
    StringValue.writeString(null, old);
    old.writeInt(0);
    old.writeInt(0);
    old.writeDouble(0.1);
    StringValue.writeString(null, old);
    assertThat(out.getCopyOfBuffer()).containsExactly(old.getCopyOfBuffer());
  }
}
