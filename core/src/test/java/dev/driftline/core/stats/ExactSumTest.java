package dev.driftline.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.driftline.core.MergeableSummaries;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExactSumTest {

  /** Values with random signs, significands and decimal exponents in [-{@code span}, {@code span}]. */
  static double[] spread(long seed, int n, int span) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      double x = (1 + 9 * r.nextDouble()) * Math.pow(10, r.nextInt(-span, span + 1));
      v[i] = r.nextBoolean() ? x : -x;
    }
    return v;
  }

  /** The exact sum (BigDecimal of each double is exact) rounded once: Double.parseDouble rounds correctly. */
  static double reference(double[] values) {
    BigDecimal sum = BigDecimal.ZERO;
    for (double v : values) {
      sum = sum.add(new BigDecimal(v));
    }
    return sum.doubleValue();
  }

  static long bits(double v) {
    return Double.doubleToRawLongBits(v);
  }

  static byte[] bytes(ExactSum s) throws IOException {
    return MergeableSummaries.bytes(s::write);
  }

  static ExactSum read(byte[] b) throws IOException {
    return ExactSum.read(new DataInputStream(new ByteArrayInputStream(b)));
  }

  static void shuffle(double[] v, SplittableRandom r) {
    for (int i = v.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      double t = v[i];
      v[i] = v[j];
      v[j] = t;
    }
  }

  /** Adds {@code values} in random parts and merges the parts in a random tree. */
  static ExactSum randomMergeTree(double[] values, SplittableRandom r) {
    return MergeableSummaries.randomMergeTree(values.length, 8, r, ExactSum::new, (s, j) -> s.add(values[j]),
        ExactSum::merge);
  }

  @Test
  void equalsTheExactSumRoundedOnceForValuesOfEveryMagnitude() {
    for (int span : new int[] {3, 20, 150, 300}) {
      for (long seed = 1; seed <= 20; seed++) {
        double[] v = spread(seed * 1_000 + span, 500, span);
        assertThat(bits(ExactSum.of(v).value())).as("span 1e%d, seed %d", span, seed).isEqualTo(bits(reference(v)));
      }
    }
  }

  @Test
  void cancellationKeepsWhatAPlainSumLoses() {
    assertThat(1e16 + 1 - 1e16).isEqualTo(0.0); // the plain sum, for contrast
    assertThat(ExactSum.of(1e16, 1, -1e16).value()).isEqualTo(1.0);
    assertThat(ExactSum.of(1e308, 1e308, -1e308).value()).isEqualTo(1e308); // beyond double range in between
    assertThat(ExactSum.of(1e300, 1e-300, -1e300).value()).isEqualTo(1e-300);
    assertThat(ExactSum.of(0.1, 0.2, -0.3).value()).isEqualTo(reference(new double[] {0.1, 0.2, -0.3}))
        .isEqualTo(0x1p-55);
    double[] pairs = spread(7, 1_000, 300);
    ExactSum s = ExactSum.of(pairs);
    for (double v : pairs) {
      s.add(-v);
    }
    assertThat(s.isZero()).isTrue();
    assertThat(bits(s.value())).isEqualTo(bits(0.0));
  }

  @Test
  void roundsToNearestWithTiesToEven() {
    double two53 = 0x1p53;
    assertThat(ExactSum.of(two53, 1).value()).isEqualTo(two53);          // tie, even stays
    assertThat(ExactSum.of(two53, 3).value()).isEqualTo(two53 + 4);      // tie, odd rounds up
    assertThat(ExactSum.of(two53, 1, 0x1p-60).value()).isEqualTo(two53 + 2); // past the tie by 2^-60
    assertThat(ExactSum.of(-two53, -1, -0x1p-60).value()).isEqualTo(-two53 - 2);
    assertThat(ExactSum.of(Double.MAX_VALUE, Double.MAX_VALUE).value()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(ExactSum.of(-Double.MAX_VALUE, -Double.MAX_VALUE).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(ExactSum.of(Double.MAX_VALUE, Math.ulp(Double.MAX_VALUE) / 4).value()).isEqualTo(Double.MAX_VALUE);
  }

  @Test
  void handlesZerosAndSubnormals() {
    assertThat(bits(new ExactSum().value())).isEqualTo(bits(0.0));
    assertThat(bits(ExactSum.of(-0.0, -0.0).value())).isEqualTo(bits(0.0)); // an exact zero reads as +0.0
    assertThat(ExactSum.of(Double.MIN_VALUE, Double.MIN_VALUE, Double.MIN_VALUE).value()).isEqualTo(3 * Double.MIN_VALUE);
    assertThat(ExactSum.of(Double.MIN_NORMAL, -Double.MIN_VALUE).value()).isEqualTo(Math.nextDown(Double.MIN_NORMAL));
    assertThat(ExactSum.of(Math.nextDown(Double.MIN_NORMAL), Double.MIN_VALUE).value()).isEqualTo(Double.MIN_NORMAL);
    assertThat(ExactSum.of(-Double.MIN_VALUE).value()).isEqualTo(-Double.MIN_VALUE);
    double[] tiny = spread(11, 2_000, 5);
    for (int i = 0; i < tiny.length; i++) {
      tiny[i] *= 0x1p-1070; // subnormal or just above
    }
    assertThat(bits(ExactSum.of(tiny).value())).isEqualTo(bits(reference(tiny)));
  }

  @Test
  void refusesNaNAndInfinities() {
    ExactSum s = ExactSum.of(1.5);
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      assertThatThrownBy(() -> s.add(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("expected a finite value, got " + bad);
    }
    assertThat(s.value()).isEqualTo(1.5);
  }

  @Test
  void staysExactPastTheCarryInterval() {
    // Past 2^30 adds of the largest significand, the digits have been carried once mid-stream.
    long n = (1L << 30) + 12_345;
    double v = Math.nextDown(2.0);
    ExactSum s = new ExactSum();
    for (long i = 0; i < n; i++) {
      s.add(v);
    }
    BigDecimal exact = new BigDecimal(v).multiply(BigDecimal.valueOf(n));
    assertThat(s.value()).isEqualTo(exact.doubleValue());
    double rounded = v * n;
    double rest = exact.subtract(new BigDecimal(rounded)).doubleValue(); // 31 bits at most: exact
    assertThat(rest).isNotZero();
    ExactSum minus = ExactSum.of(-rounded, -rest);
    minus.merge(s);
    assertThat(minus.isZero()).isTrue();
  }

  @Test
  void anyOrderAndMergeTreeGiveTheSameBits() throws IOException {
    // Magnitudes from 1e-300 to 1e300 with pairs that cancel, plus small terms that survive them.
    double[] big = spread(21, 1_500, 300);
    double[] values = new double[big.length * 2 + 3_000];
    System.arraycopy(big, 0, values, 0, big.length);
    for (int i = 0; i < big.length; i++) {
      values[big.length + i] = -big[i] * (i % 3 == 0 ? 1 : 1 + 0x1p-40);
    }
    System.arraycopy(spread(22, 3_000, 8), 0, values, 2 * big.length, 3_000);
    double expected = reference(values);
    byte[] expectedBytes = bytes(ExactSum.of(values));
    SplittableRandom r = new SplittableRandom(23);
    Set<Long> plainSums = new HashSet<>();
    for (int order = 0; order < 50; order++) {
      shuffle(values, r);
      double plain = 0;
      for (double v : values) {
        plain += v;
      }
      plainSums.add(bits(plain));
      ExactSum inOrder = ExactSum.of(values);
      ExactSum merged = randomMergeTree(values, r);
      assertThat(bits(inOrder.value())).as("order %d", order).isEqualTo(bits(expected));
      assertThat(bits(merged.value())).as("order %d, merge tree", order).isEqualTo(bits(expected));
      assertThat(bytes(merged)).isEqualTo(expectedBytes);
    }
    assertThat(plainSums).as("plain double sums of the same orders").hasSizeGreaterThan(1);
  }

  @Test
  void roundTripsThroughItsBinaryForm() throws IOException {
    List<ExactSum> sums = List.of(new ExactSum(), ExactSum.of(1.0), ExactSum.of(-1.0), ExactSum.of(-Double.MIN_VALUE),
        ExactSum.of(Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE), ExactSum.of(-Double.MAX_VALUE, -1e-300),
        ExactSum.of(spread(31, 1_000, 300)), ExactSum.of(spread(32, 1_000, 10)));
    for (ExactSum s : sums) {
      byte[] b = bytes(s);
      ExactSum back = read(b);
      assertThat(bits(back.value())).isEqualTo(bits(s.value()));
      assertThat(bytes(back)).isEqualTo(b);
      // The sum read goes on exactly: adding more equals adding it all to the original.
      back.add(0.1);
      s.add(0.1);
      assertThat(bytes(back)).isEqualTo(bytes(s));
    }
    assertThat(bytes(new ExactSum())).containsExactly(1, 0, 0);
    assertThat(bytes(ExactSum.of(1.0))).containsExactly(1, 0, 1, 33, 0x80, 0x80, 0x10); // 2^1074 units: 2^18 in digit 33
    // Log-loss-like terms: a window's sum of thousands of them takes a few digits.
    SplittableRandom r = new SplittableRandom(33);
    ExactSum logLoss = new ExactSum();
    for (int i = 0; i < 10_000; i++) {
      logLoss.add(-Math.log(r.nextDouble(1e-6, 1)));
    }
    assertThat(bytes(logLoss).length).isLessThan(40);
  }

  @Test
  void refusesMalformedBytesSayingWhy() {
    Object[][] cases = {
        {new byte[] {2, 0, 0}, "unknown exact sum version 2"},
        {new byte[] {1, 2, 0}, "exact sum sign 2, expected 0 or 1"},
        {new byte[] {1, 0, 68}, "exact sum with 68 digits, expected 0 to 67"},
        {new byte[] {1, 0, -1}, "exact sum with -1 digits, expected 0 to 67"},
        {new byte[] {1, 1, 0}, "exact sum of -0, expected sign 0 for zero"},
        {new byte[] {1, 0, 2, 5, 1, 4, 1}, "exact sum digit 4 after 5, expected ascending below 67"},
        {new byte[] {1, 0, 2, 5, 1, 5, 1}, "exact sum digit 5 after 5, expected ascending below 67"},
        {new byte[] {1, 0, 1, 67, 1}, "exact sum digit 67 after -1, expected ascending below 67"},
        {new byte[] {1, 0, 1, 3, 0}, "exact sum digit 3 is 0, out of range"},
        {new byte[] {1, 0, 1, 3, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x10}, "exact sum digit 3 is 4294967296, out of range"},
        {new byte[] {1, 0, 1, 66, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
            (byte) 0x80, 0x40}, "exact sum digit 66 is 4611686018427387904, out of range"},
        {new byte[] {1, 0, 1, 3, (byte) 0x81, 0}, "malformed varint in an exact sum"},
        {new byte[] {1, 0, 1, 3, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1}, "malformed varint in an exact sum"},
    };
    for (Object[] c : cases) {
      assertThatThrownBy(() -> read((byte[]) c[0])).isInstanceOf(IOException.class).hasMessage((String) c[1]);
    }
    assertThatThrownBy(() -> read(new byte[] {1, 0, 2, 3, 1})).isInstanceOf(IOException.class); // ends early
  }

  @Test
  void damagedBytesAreRefusedOrReadAsACanonicalSum() throws IOException {
    byte[] valid = bytes(ExactSum.of(spread(41, 200, 300)));
    SplittableRandom r = new SplittableRandom(42);
    int accepted = 0;
    for (int trial = 0; trial < 20_000; trial++) {
      byte[] b = valid.clone();
      for (int k = 1 + r.nextInt(3); k > 0; k--) {
        b[r.nextInt(b.length)] = (byte) r.nextInt(256);
      }
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
      ExactSum s;
      try {
        s = ExactSum.read(in);
      } catch (IOException e) {
        continue;
      }
      // Whatever is accepted is exactly the canonical form of the sum it reads as.
      byte[] consumed = java.util.Arrays.copyOf(b, b.length - in.available());
      assertThat(bytes(s)).isEqualTo(consumed);
      accepted++;
    }
    assertThat(accepted).isPositive();
  }
}
