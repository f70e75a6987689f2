package dev.driftline.cli;

import dev.driftline.core.io.InputException;
import dev.driftline.core.io.Values;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A file of one value per line, as the {@code stats} commands take them. */
final class ValueFile {
  private ValueFile() {}

  static double[] numbers(Path file) {
    List<String> lines = lines(file);
    double[] out = new double[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      int line = i + 1;
      out[i] = Values.parseFinite(lines.get(i), () -> file + ":" + line);
    }
    return out;
  }

  /** Count per category. */
  static Map<String, Long> categories(Path file) {
    Map<String, Long> counts = new TreeMap<>();
    for (String value : lines(file)) {
      counts.merge(value, 1L, Long::sum);
    }
    return counts;
  }

  /** Trimmed lines; an empty file or an empty line is an error naming its line. */
  private static List<String> lines(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new InputException(file + ": no such file");
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage());
    }
    if (lines.isEmpty()) {
      throw new InputException(file + ": empty file; expected one value per line");
    }
    for (int i = 0; i < lines.size(); i++) {
      String v = lines.get(i).trim();
      if (v.isEmpty()) {
        throw new InputException(file + ":" + (i + 1) + ": empty line; expected one value per line");
      }
      lines.set(i, v);
    }
    return lines;
  }
}
