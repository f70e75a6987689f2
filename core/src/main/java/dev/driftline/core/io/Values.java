package dev.driftline.core.io;

import java.util.function.Supplier;

/** Parsing of single values from text input, with errors that say where the value was. */
public final class Values {
  private Values() {}

  /**
   * Parses a finite decimal number. NaN and infinities are rejected: they are never a valid
   * observation, and a missing value must be written as a missing value.
   *
   * @param where describes the position for the error message, e.g. {@code current.txt:17}
   */
  public static double parseFinite(String text, Supplier<String> where) {
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new InputException(where.get() + ": not a number: \"" + text + "\"");
    }
    if (Double.isNaN(value)) {
      throw new InputException(where.get() + ": NaN is not a value; leave a missing value out");
    }
    if (Double.isInfinite(value)) {
      throw new InputException(where.get() + ": not a finite number: \"" + text + "\"");
    }
    return value;
  }
}
