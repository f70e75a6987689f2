package dev.driftline.cli.html;

import java.util.Locale;

/** Text in the report's pages: escaped for HTML, numbers in one format. */
final class Html {
  private Html() {}

  /** {@code s} escaped for text and attribute values; null (a field a record lacks) is empty. */
  static String esc(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** Four decimals, or scientific notation for very small and very large magnitudes. */
  static String num(double v) {
    if (v == 0 || (Math.abs(v) >= 1e-4 && Math.abs(v) < 1e6)) {
      return String.format(Locale.ROOT, "%.4f", v);
    }
    return String.format(Locale.ROOT, "%.3e", v);
  }
}
