package dev.driftline.core.stats;

import dev.driftline.core.io.VarLong;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigInteger;

/**
 * The exact sum of finite doubles: nothing is rounded while values are added or sums merged, and
 * {@link #value()} is the exact sum rounded once to the nearest double (ties to even). The result
 * therefore depends only on the multiset of values added, never on their order or on how partial
 * sums were merged, and so it is bit-identical across runs, restarts and restores.
 *
 * <p>Every finite double is an integer multiple of 2<sup>-1074</sup>. The sum is held as that
 * integer in {@value #DIGITS} "digits" of 32 bits each, digit {@code i} weighing
 * 2<sup>32·i − 1074</sup>, each digit in a {@code long}. Adding a value adds its 53-bit significand,
 * split at its exponent's 32-bit boundaries, into at most three digits: O(1), no allocation, no
 * rounding. The spare 31 bits of each {@code long} absorb carries, which are propagated at the
 * latest every 2<sup>30</sup> adds, at every merge and before the sum is read or written. After
 * that, every digit but the top one is in [0, 2<sup>32</sup>) and the top one carries the sign, so
 * equal sums have equal digits and equal bytes.
 *
 * <p>Range: exact for any number of values up to 2<sup>63</sup>. A sum whose magnitude rounds to
 * 2<sup>1024</sup> or more reads as an infinity of its sign; an exact zero reads as {@code +0.0}.
 *
 * <p>Mutable and not thread-safe.
 */
public final class ExactSum {
  /** Digits: 66 reach the top bit of {@link Double#MAX_VALUE}'s significand at any alignment; one more takes carries. */
  static final int DIGITS = 67;
  private static final int TOP = DIGITS - 1;
  private static final long LOW32 = 0xFFFF_FFFFL;
  private static final long SIGNIFICAND = (1L << 52) - 1;
  /** Adds between carry propagations: each add moves a digit by less than 2^32, so a digit stays below 2^62 + 2^32. */
  private static final int ADDS_PER_NORMALIZATION = 1 << 30;

  private final long[] digits = new long[DIGITS];
  private int adds;

  /** The exact sum of {@code values} (any order gives the same sum). */
  public static ExactSum of(double... values) {
    ExactSum s = new ExactSum();
    for (double v : values) {
      s.add(v);
    }
    return s;
  }

  /**
   * Adds one finite value exactly ({@code -0.0} adds nothing).
   *
   * @throws IllegalArgumentException for NaN or an infinity
   */
  public void add(double value) {
    long bits = Double.doubleToRawLongBits(value);
    int exponent = (int) (bits >>> 52) & 0x7FF;
    if (exponent == 0x7FF) {
      throw new IllegalArgumentException("expected a finite value, got " + value);
    }
    long significand = bits & SIGNIFICAND;
    if (exponent != 0) {
      significand |= 1L << 52;
    } else if (significand == 0) {
      return;
    } else {
      exponent = 1; // subnormals share the exponent of the smallest normal, without the hidden bit
    }
    // value = ±significand · 2^(exponent − 1075): the significand's lowest bit is bit (exponent − 1) above 2^-1074.
    int position = exponent - 1;
    int digit = position >>> 5;
    int shift = position & 31;
    long low = (significand << shift) & LOW32;
    long rest = significand >>> (32 - shift); // shift 0: the bits above 32, as wanted
    long middle = rest & LOW32;
    long high = rest >>> 32;
    long sign = bits >> 63; // 0 or -1: (x ^ sign) - sign is x or -x, without a branch to mispredict
    digits[digit] += (low ^ sign) - sign;
    digits[digit + 1] += (middle ^ sign) - sign;
    digits[digit + 2] += (high ^ sign) - sign;
    if (++adds == ADDS_PER_NORMALIZATION) {
      normalize();
    }
  }

  /** Adds {@code other}'s sum exactly; {@code other} is not changed. */
  public void merge(ExactSum other) {
    normalize();
    // Each of other's digits is below 2^62 + 2^32 in magnitude and each of ours below 2^32, so the
    // sums and the carries of normalize() stay below 2^63.
    for (int i = 0; i < DIGITS; i++) {
      digits[i] += other.digits[i];
    }
    propagate(digits);
  }

  /** True when the exact sum is zero. */
  public boolean isZero() {
    normalize();
    for (long d : digits) {
      if (d != 0) {
        return false;
      }
    }
    return true;
  }

  /** The exact sum rounded to the nearest double, ties to even. */
  public double value() {
    normalize();
    boolean negative = digits[TOP] < 0;
    long[] magnitude = negative ? negated() : digits;
    // Big-endian bytes: the top digit in 8 (it may pass 32 bits), every other one in 4.
    byte[] bytes = new byte[8 + 4 * TOP];
    for (int k = 0; k < 8; k++) {
      bytes[k] = (byte) (magnitude[TOP] >>> (56 - 8 * k));
    }
    for (int i = TOP - 1; i >= 0; i--) {
      int at = 8 + 4 * (TOP - 1 - i);
      for (int k = 0; k < 4; k++) {
        bytes[at + k] = (byte) (magnitude[i] >>> (24 - 8 * k));
      }
    }
    double v = toDouble(new BigInteger(1, bytes));
    return negative ? -v : v;
  }

  /** {@code units · 2^-1074} for {@code units >= 0}, rounded to nearest, ties to even. */
  static double toDouble(BigInteger units) {
    int length = units.bitLength();
    if (length <= 53) {
      // Below 2^53 units the bits of the double are the units: subnormal, or normal with exponent -1022.
      return Double.longBitsToDouble(units.longValue());
    }
    int drop = length - 53;
    long kept = units.shiftRight(drop).longValue();
    BigInteger dropped = units.subtract(BigInteger.valueOf(kept).shiftLeft(drop));
    int half = dropped.compareTo(BigInteger.ONE.shiftLeft(drop - 1));
    if (half > 0 || half == 0 && (kept & 1) == 1) {
      kept++;
      if (kept == 1L << 53) {
        kept >>>= 1;
        drop++;
      }
    }
    // kept · 2^(drop − 1074) with kept in [2^52, 2^53): biased exponent drop + 1.
    long biased = drop + 1L;
    if (biased >= 0x7FF) {
      return Double.POSITIVE_INFINITY;
    }
    return Double.longBitsToDouble(biased << 52 | kept & SIGNIFICAND);
  }

  /** Propagates carries: every digit but the top one into [0, 2^32). */
  private void normalize() {
    if (adds == 0) {
      return;
    }
    propagate(digits);
    adds = 0;
  }

  private static void propagate(long[] d) {
    long carry = 0;
    for (int i = 0; i < TOP; i++) {
      long v = d[i] + carry;
      d[i] = v & LOW32;
      carry = v >> 32;
    }
    d[TOP] += carry;
  }

  /** The normalized digits of minus this (normalized, negative) sum. */
  private long[] negated() {
    long[] d = new long[DIGITS];
    for (int i = 0; i < DIGITS; i++) {
      d[i] = -digits[i];
    }
    propagate(d);
    return d;
  }

  // ---------------------------------------------------------------- binary form

  private static final int VERSION = 1;

  /**
   * Canonical bytes, equal for equal sums: the version, the sign (0 or 1), the number of nonzero
   * digits of the magnitude, then each as (index byte, unsigned varint) in ascending index order.
   * A sum of typical metric terms has 3–6 nonzero digits, about 5 bytes each.
   */
  public void write(DataOutput out) throws IOException {
    normalize();
    boolean negative = digits[TOP] < 0;
    long[] magnitude = negative ? negated() : digits;
    int nonzero = 0;
    for (long d : magnitude) {
      nonzero += d != 0 ? 1 : 0;
    }
    out.writeByte(VERSION);
    out.writeByte(negative ? 1 : 0);
    out.writeByte(nonzero);
    for (int i = 0; i < DIGITS; i++) {
      if (magnitude[i] != 0) {
        out.writeByte(i);
        VarLong.write(out, magnitude[i]);
      }
    }
  }

  /** A sum written by {@link #write}; malformed or non-canonical bytes are an {@link IOException} saying why. */
  public static ExactSum read(DataInput in) throws IOException {
    int version = in.readByte();
    if (version != VERSION) {
      throw new IOException("unknown exact sum version " + version);
    }
    int sign = in.readByte();
    int nonzero = in.readByte();
    if (sign != 0 && sign != 1) {
      throw new IOException("exact sum sign " + sign + ", expected 0 or 1");
    }
    if (nonzero < 0 || nonzero > DIGITS) {
      throw new IOException("exact sum with " + nonzero + " digits, expected 0 to " + DIGITS);
    }
    if (sign == 1 && nonzero == 0) {
      throw new IOException("exact sum of -0, expected sign 0 for zero");
    }
    ExactSum s = new ExactSum();
    int previous = -1;
    for (int k = 0; k < nonzero; k++) {
      int i = in.readUnsignedByte();
      long d = VarLong.read(in, true, "an exact sum");
      if (i <= previous || i >= DIGITS) {
        throw new IOException("exact sum digit " + i + " after " + previous + ", expected ascending below " + DIGITS);
      }
      // Below the top, a digit has 32 bits; the top one holds what carries reach, far below 2^62.
      if (d == 0 || i < TOP && d > LOW32 || d >= 1L << 62) {
        throw new IOException("exact sum digit " + i + " is " + Long.toUnsignedString(d) + ", out of range");
      }
      s.digits[i] = sign == 1 ? -d : d;
      previous = i;
    }
    if (sign == 1) {
      propagate(s.digits); // from minus the magnitude's digits to the normal form
    }
    return s;
  }
}
