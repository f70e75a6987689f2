package dev.driftline.services;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A seeded fuzzer for decoders of untrusted bytes: random byte strings, random JSON-like token
 * soup, and mutations of valid records (bit flips, cuts, splices, numbers swapped for NaN,
 * Infinity, 1e400 or a 20-digit integer, strings swapped for objects, multi-byte characters cut).
 * The same seed gives the same inputs; a failure names the case and its bytes in base64.
 */
public final class ByteFuzz {
  private static final String[] TOKENS = {"{", "}", "[", "]", ",", ":", "\"", "\"a\"", "\"model_id\"", "\"ts\"",
      "\"features\"", "null", "true", "false", "0", "-1", "1.5", "1e400", "-1e400", "NaN", "Infinity", "-Infinity",
      "18446744073709551616", "1772409600000", "\"2026-03-02T00:00:00Z\"", "\"+999999999-12-31T23:59:59Z\"",
      "\\u0000", "\\", " ", "\n", "é", "😀"};
  private static final String[] VALUES = {"NaN", "Infinity", "-Infinity", "1e400", "-1e400", "\"NaN\"",
      "18446744073709551616", "-9223372036854775809", "{}", "[]", "null", "true", "\"\"", "[[[[[[1]]]]]]",
      "{\"a\":{\"a\":{}}}", "0.1e-400", "1E+2", "-0", "\"x\"", "12345678901234567890.5"};

  private final Random random;
  private int cases;

  public ByteFuzz(long seed) {
    this.random = new Random(seed);
  }

  /** How many inputs {@link #run} has handed to targets so far. */
  public int cases() {
    return cases;
  }

  /**
   * Calls {@code target} with {@code randomInputs} random inputs, then {@code mutationsPerSeed}
   * mutations of each valid record in {@code seeds}. Any exception or error out of the target is
   * rethrown as an {@link AssertionError} that names the input.
   */
  public void run(int randomInputs, List<byte[]> seeds, int mutationsPerSeed, Consumer<byte[]> target) {
    for (int i = 0; i < randomInputs; i++) {
      feed(i % 2 == 0 ? randomBytes() : tokenSoup(), target);
    }
    for (byte[] seed : seeds) {
      for (int i = 0; i < mutationsPerSeed; i++) {
        byte[] input = seed;
        for (int m = 1 + random.nextInt(3); m > 0; m--) {
          input = mutate(input);
        }
        feed(input, target);
      }
    }
  }

  private void feed(byte[] input, Consumer<byte[]> target) {
    cases++;
    try {
      target.accept(input);
    } catch (Throwable t) {
      throw new AssertionError("case " + cases + " failed on base64 " + Base64.getEncoder().encodeToString(input)
          + " (\"" + new String(input, 0, Math.min(input.length, 200), StandardCharsets.UTF_8) + "\"): " + t, t);
    }
  }

  private byte[] randomBytes() {
    byte[] b = new byte[random.nextInt(200)];
    random.nextBytes(b);
    return b;
  }

  private byte[] tokenSoup() {
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(40); i > 0; i--) {
      s.append(TOKENS[random.nextInt(TOKENS.length)]);
    }
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** One mutation of {@code in}; the input is not changed. */
  byte[] mutate(byte[] in) {
    String text = new String(in, StandardCharsets.UTF_8);
    switch (random.nextInt(10)) {
      case 0: { // flip a bit
        byte[] out = in.clone();
        if (out.length > 0) {
          out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return out;
      }
      case 1: // cut
        return Arrays.copyOf(in, in.length == 0 ? 0 : random.nextInt(in.length));
      case 2: { // delete a slice
        if (in.length < 2) {
          return in;
        }
        int from = random.nextInt(in.length);
        int to = Math.min(in.length, from + 1 + random.nextInt(20));
        return concat(Arrays.copyOfRange(in, 0, from), Arrays.copyOfRange(in, to, in.length));
      }
      case 3: { // duplicate a slice
        if (in.length < 2) {
          return in;
        }
        int from = random.nextInt(in.length);
        int to = Math.min(in.length, from + 1 + random.nextInt(40));
        return concat(Arrays.copyOfRange(in, 0, to), Arrays.copyOfRange(in, from, in.length));
      }
      case 4: // insert a token
        return insert(in, TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
      case 5: // a number becomes something else
        return replaceMatch(text, "-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
      case 6: // a string value becomes something else
        return replaceMatch(text, ":\"[^\"]*\"");
      case 7: { // cut a multi-byte character: a lone lead or continuation byte
        byte[] lone = {(byte) (0xC0 + random.nextInt(0x40)), (byte) (0x80 + random.nextInt(0x40)), (byte) 0xF0, (byte) 0xFF};
        return insert(in, new byte[] {lone[random.nextInt(lone.length)]});
      }
      case 8: { // drop a field
        String[] parts = text.split(",");
        if (parts.length < 2) {
          return in;
        }
        List<String> kept = new ArrayList<>(Arrays.asList(parts));
        kept.remove(random.nextInt(kept.size()));
        return String.join(",", kept).getBytes(StandardCharsets.UTF_8);
      }
      default: { // swap a key for another (a field missing, an extra field)
        return replaceMatch(text, "\"[a-z_]+\":", "\"" + (char) ('a' + random.nextInt(26)) + "x\":");
      }
    }
  }

  private byte[] replaceMatch(String text, String regex) {
    String value = VALUES[random.nextInt(VALUES.length)];
    return replaceMatch(text, regex, regex.startsWith(":") ? ":" + value : value);
  }

  private byte[] replaceMatch(String text, String regex, String replacement) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(text);
    List<int[]> spans = new ArrayList<>();
    while (m.find()) {
      spans.add(new int[] {m.start(), m.end()});
    }
    if (spans.isEmpty()) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    int[] s = spans.get(random.nextInt(spans.size()));
    return (text.substring(0, s[0]) + replacement + text.substring(s[1])).getBytes(StandardCharsets.UTF_8);
  }

  private byte[] insert(byte[] in, byte[] what) {
    int at = in.length == 0 ? 0 : random.nextInt(in.length + 1);
    return concat(concat(Arrays.copyOfRange(in, 0, at), what), Arrays.copyOfRange(in, at, in.length));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
