package dev.driftline.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.events.Prediction;
import dev.driftline.core.spec.MonitorSpec;
import dev.driftline.core.spec.ChurnSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WindowSummaryTest {
  static final MonitorSpec SPEC = ChurnSpec.parse("window: {size: 1h}");

  static Prediction prediction(SplittableRandom r, int i) {
    return new Prediction("churn", "p" + i, i, null, null, new double[] {r.nextGaussian() * 3, Double.NaN},
        new String[] {null, r.nextBoolean() ? "basic" : "pro"}, r.nextDouble(), null);
  }

  static WindowSummary of(int from, int to, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    WindowSummary s = WindowSummary.empty(SPEC);
    for (int i = from; i < to; i++) {
      s.add(prediction(r, i));
    }
    return s;
  }

  static byte[] bytes(WindowSummary s) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(b)) {
      s.write(out);
    }
    return b.toByteArray();
  }

  @Test
  void countsWrongTypeValuesPerFeatureAsMissingToo() throws IOException {
    WindowSummary s = WindowSummary.empty(SPEC);
    s.add(new Prediction("churn", "a", 1, null, null, new double[] {Double.NaN, Double.NaN},
        new String[] {Prediction.WRONG_TYPE, "pro"}, 0.1, null));
    s.add(new Prediction("churn", "b", 2, null, null, new double[] {4.0, Prediction.WRONG_TYPE_MARK},
        new String[] {null, null}, 0.2, null));
    s.add(new Prediction("churn", "c", 3, null, null, new double[] {Double.NaN, Double.NaN},
        new String[] {null, null}, 0.3, null));
    s.add(new Prediction("churn", "d", 4, null, null, new double[] {Double.NaN, Double.NaN},
        new String[] {Prediction.WRONG_TYPE, "basic"}, 0.4, null));

    assertThat(s.wrongType(0)).isEqualTo(2);
    assertThat(s.missing(0)).isEqualTo(3);
    assertThat(s.wrongType(1)).isEqualTo(1);
    assertThat(s.missing(1)).isEqualTo(2);
    assertThat(s.categories(1)).containsExactly(java.util.Map.entry("basic", 1L), java.util.Map.entry("pro", 1L));
    assertThat(s.quality(0)).extracting(q -> q.rows(), q -> q.missing(), q -> q.wrongType(), q -> q.values().n())
        .containsExactly(4L, 3L, 2L, 1L);
    assertThat(s.quality(1).categories()).hasSize(2);
    WindowSummary back = WindowSummary.read(new DataInputStream(new ByteArrayInputStream(bytes(s))));
    assertThat(back.wrongType(0)).isEqualTo(2);
    assertThat(back.wrongType(1)).isEqualTo(1);
    WindowSummary merged = s.copy();
    merged.merge(s);
    assertThat(merged.wrongType(0)).isEqualTo(4);
  }

  @Test
  void readsVersionTwoWithoutWrongTypeCounts() throws IOException {
    // Version 2 as the 0.1.0 jobs wrote it: no wrong-type count after each slot's missing count.
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(b)) {
      out.writeByte(2);
      out.writeInt(2);
      out.writeBoolean(true);
      out.writeBoolean(false);
      out.writeLong(3);
      out.writeLong(10);
      out.writeLong(30);
      out.writeLong(1);
      dev.driftline.core.stats.NumericHistogram.exactOf(new double[] {1.5, 2.5}).write(out);
      out.writeLong(0);
      out.writeInt(1);
      out.writeUTF("pro");
      out.writeLong(3);
    }
    WindowSummary s = WindowSummary.read(new DataInputStream(new ByteArrayInputStream(b.toByteArray())));
    assertThat(s.count()).isEqualTo(3);
    assertThat(s.missing(0)).isEqualTo(1);
    assertThat(s.wrongType(0)).isZero();
    assertThat(s.numeric(0).values()).containsExactly(1.5, 2.5);
    assertThat(s.categories(1)).containsExactly(java.util.Map.entry("pro", 3L));
    assertThat(bytes(s)[0]).isEqualTo((byte) 3);
  }

  @Test
  void binaryFormKeepsEveryExactValueAndCount() throws IOException {
    WindowSummary s = of(0, 1_500, 1);
    WindowSummary back = WindowSummary.read(new DataInputStream(new ByteArrayInputStream(bytes(s))));
    assertThat(back.numeric(0).values()).containsExactly(s.numeric(0).values());
    assertThat(back.numeric(2).values()).containsExactly(s.numeric(2).values());
    assertThat(back.categories(1)).isEqualTo(s.categories(1));
    assertThat(back.count()).isEqualTo(1_500);
    assertThat(bytes(back)).isEqualTo(bytes(s));
  }

  @Test
  void mergedPartialsHoldTheSameValuesAsOneSummary() {
    WindowSummary whole = of(0, 1_800, 2);
    SplittableRandom r = new SplittableRandom(2);
    WindowSummary a = WindowSummary.empty(SPEC);
    WindowSummary b = WindowSummary.empty(SPEC);
    for (int i = 0; i < 1_800; i++) {
      (i % 3 == 0 ? a : b).add(prediction(r, i));
    }
    a.merge(b);
    double[] merged = a.numeric(0).values();
    double[] direct = whole.numeric(0).values();
    Arrays.sort(merged);
    Arrays.sort(direct);
    assertThat(merged).containsExactly(direct);
    assertThat(a.categories(1)).isEqualTo(whole.categories(1));
    assertThat(a.count()).isEqualTo(1_800);
  }

  @Test
  void pastTheBucketLimitValuesAreCoarsenedAndStateStopsGrowing() throws IOException {
    WindowSummary a = of(0, 1_200, 3);
    a.merge(of(1_200, 2_400, 4));
    assertThat(a.numeric(0).values()).isNull();
    assertThat(a.numeric(0).n()).isEqualTo(2_400);
    int at20k = bytes(of(0, 20_000, 5)).length;
    int at200k = bytes(of(0, 200_000, 5)).length;
    assertThat(at200k).isLessThan(2 * at20k);
  }

  static final MonitorSpec FRUIT = dev.driftline.core.spec.MonitorSpecParser.parse("fruit.yaml", String.join("\n",
      "model_id: fruit", "task: multiclass_classification", "classes: [apple, banana, cherry]",
      "features: [{name: weight, type: numeric}]", "reference: {source: previous_window}", "window: {size: 1h}"));

  static Prediction fruit(SplittableRandom r, int i) {
    double a = r.nextDouble();
    double b = r.nextDouble() * (1 - a);
    double[] p = {a, b, 1 - a - b};
    return new Prediction("fruit", "p" + i, i, null, null, new double[] {r.nextDouble()}, new String[] {null},
        Math.max(a, Math.max(b, 1 - a - b)), null, p);
  }

  /** Only multiclass summaries write version 6; the class probabilities survive the round trip and merges. */
  @Test
  void multiclassSummaryKeepsTheClassProbabilitiesOthersKeepTheirBytes() throws IOException {
    assertThat(bytes(of(0, 10, 1))[0]).isEqualTo((byte) 3);
    assertThat(of(0, 10, 1).classScores()).isNull();

    SplittableRandom r = new SplittableRandom(7);
    WindowSummary whole = WindowSummary.empty(FRUIT);
    WindowSummary first = WindowSummary.empty(FRUIT);
    WindowSummary second = WindowSummary.empty(FRUIT);
    for (int i = 0; i < 300; i++) {
      Prediction p = fruit(r, i);
      whole.add(p);
      (i % 3 == 0 ? first : second).add(p);
    }
    second.merge(first);
    byte[] b = bytes(whole);

    assertThat(b[0]).isEqualTo((byte) 6);
    assertThat(bytes(second)).isEqualTo(b);
    WindowSummary back = WindowSummary.read(new DataInputStream(new ByteArrayInputStream(b)));
    assertThat(back.classScores().n()).isEqualTo(300);
    assertThat(back.reconstruction()).isNull();
    assertThat(bytes(back)).isEqualTo(b);
    // A part counted without them (restored from an older version): the window's rows are not all known.
    byte[] v3 = b.clone();
    v3[0] = 3;
    WindowSummary old = WindowSummary.read(new DataInputStream(new ByteArrayInputStream(v3)));
    assertThat(old.classScores()).isNull();
    back.merge(old);
    assertThat(back.classScores()).isNull();
    assertThat(back.count()).isEqualTo(600);
  }
}
