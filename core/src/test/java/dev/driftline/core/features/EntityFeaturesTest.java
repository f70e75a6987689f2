package dev.driftline.core.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Optional;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntityFeaturesTest {
  static final FeatureView VIEW = FeatureViewParser.parse("cards.yaml", FeatureViewParserTest.VALID);
  static final long T0 = 1_772_409_600_000L; // 2026-03-02T00:00:00Z

  static FeatureEvent event(long ts, double amount, String merchant) {
    return new FeatureEvent("c1", ts, new double[] {amount}, new String[] {merchant});
  }

  @Test
  void recordHoldsEveryFeatureAsOfTheNewestEvent() {
    EntityFeatures s = new EntityFeatures(VIEW);
    s.apply(event(T0, 10, "m1"));
    FeatureRecord first = s.record("c1", T0 + 1500);
    assertThat(first.asOf()).isEqualTo(T0);
    assertThat(first.freshnessMs()).isEqualTo(1500);
    assertThat(first.features()).containsExactly(entry("n_1h", 1.0), entry("amount_sum_24h", 10.0),
        entry("merchants_24h", 1.0), entry("last_amount", 10.0), entry("gap", null), entry("share", 0.1));

    s.apply(event(T0 + 90_000, 30, "m2"));
    s.apply(event(T0 + 90_000, 5, "m1")); // same instant: one update, the later arrival is "last"
    s.apply(event(T0 + 2 * 3_600_000, 1, "m3"));
    FeatureRecord r = EntityFeatures.fromBytes(VIEW, s.toBytes()).record("c1", 0);
    assertThat(r.features()).containsExactly(entry("n_1h", 1.0), entry("amount_sum_24h", 46.0),
        entry("merchants_24h", 3.0), entry("last_amount", 1.0), entry("gap", 7110.0), entry("share", 1 / 46.0));
  }

  @Test
  void jsonRoundTripKeepsValuesAndMissingOnes() {
    EntityFeatures s = new EntityFeatures(VIEW);
    s.apply(event(T0, 12.5, "m1"));
    FeatureRecord r = s.record("c1", T0 + 10);
    String json = new String(r.toJson(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("{\"view\":\"cards\",\"entity\":\"c1\",\"as_of\":1772409600000,\"computed_at\":1772409600010,"
        + "\"freshness_ms\":10,\"features\":{\"n_1h\":1,\"amount_sum_24h\":12.5,\"merchants_24h\":1,\"last_amount\":12.5,"
        + "\"gap\":null,\"share\":0.08}}");
    assertThat(FeatureRecord.fromJson(r.toJson())).isEqualTo(r);
  }

  @Test
  void pointInTimeIsTheNewestRecordNotAfterT() {
    FeatureRecord a = new FeatureRecord("v", "c1", 100, 0, java.util.Map.of());
    FeatureRecord b = new FeatureRecord("v", "c1", 200, 0, java.util.Map.of());
    FeatureRecord other = new FeatureRecord("v", "c2", 150, 0, java.util.Map.of());
    FeatureRecord bAgain = new FeatureRecord("v", "c1", 200, 5, java.util.Map.of());
    List<FeatureRecord> log = List.of(b, other, a, bAgain); // a replayed older record after b
    assertThat(PointInTime.asOf(log, "c1", 99)).isEmpty();
    assertThat(PointInTime.asOf(log, "c1", 100)).contains(a);
    assertThat(PointInTime.asOf(log, "c1", 199)).contains(a);
    assertThat(PointInTime.asOf(log, "c1", 200)).isEqualTo(Optional.of(bAgain));
    assertThat(PointInTime.asOf(log, "c2", 1000)).contains(other);
  }

  /** The feature operator reads an entity's newest event time off its state without decoding the rest. */
  @Test
  void newestIsReadOffTheStateBytes() {
    EntityFeatures s = new EntityFeatures(VIEW);
    assertThat(EntityFeatures.newestOf(s.toBytes())).isEqualTo(Long.MIN_VALUE);
    s.apply(event(T0, 10, "m1"));
    s.apply(event(T0 + 90_000, 30, "m2"));
    assertThat(EntityFeatures.newestOf(s.toBytes())).isEqualTo(T0 + 90_000).isEqualTo(s.newest());
  }

  /** The token-by-token JSON equals what Jackson's tree writes for the same record, value by value. */
  @Test
  void jsonIsWhatTheTreeWouldWrite() {
    java.util.Random random = new java.util.Random(3);
    double[] special = {0, -0.0, 1e15, 1e15 - 1, -3, 0.1, 1e-300, Double.MIN_VALUE, 123456.789, 1e300};
    for (int i = 0; i < 500; i++) {
      java.util.Map<String, Double> features = new java.util.LinkedHashMap<>();
      features.put("n \"quoted\" é", i % 7 == 0 ? null : special[i % special.length]);
      features.put("x", random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10));
      features.put("k", (double) random.nextInt(1000));
      FeatureRecord r = new FeatureRecord("v", "e-" + i, T0 + i, T0 + 2 * i, features);
      var n = dev.driftline.core.io.Json.mapper().createObjectNode();
      n.put("view", "v").put("entity", "e-" + i).put("as_of", T0 + i).put("computed_at", T0 + 2 * i).put("freshness_ms", i);
      var f = n.putObject("features");
      features.forEach((name, v) -> {
        if (v == null) {
          f.putNull(name);
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
          f.put(name, v.longValue());
        } else {
          f.put(name, v);
        }
      });
      assertThat(new String(r.toJson(), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo(new String(dev.driftline.core.io.Json.bytes(n), java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
