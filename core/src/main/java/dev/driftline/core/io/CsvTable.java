package dev.driftline.core.io;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A CSV file with a header row, held as strings with the line number of every row so that a bad
 * cell can be reported as {@code file:line: column c: ...}. Quoted fields follow RFC 4180.
 */
public final class CsvTable {
  private final String source;
  private final List<String> header;
  private final Map<String, Integer> columnIndex;
  private final List<String[]> rows;
  private final List<Integer> lines;

  private CsvTable(String source, List<String> header, List<String[]> rows, List<Integer> lines) {
    this.source = source;
    this.header = List.copyOf(header);
    this.rows = rows;
    this.lines = lines;
    this.columnIndex = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      columnIndex.put(header.get(i).trim(), i);
    }
  }

  /** Reads {@code file}; an unreadable or malformed file is an {@link InputException}. */
  public static CsvTable read(Path file) {
    String source = file.toString();
    CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
    List<String> header = null;
    List<String[]> rows = new ArrayList<>();
    List<Integer> lines = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        MappingIterator<String[]> it = mapper.readerFor(String[].class)
            .with(CsvSchema.emptySchema()).readValues(reader)) {
      while (it.hasNextValue()) {
        int line = it.getCurrentLocation().getLineNr();
        String[] row = it.nextValue();
        if (row.length == 1 && row[0].isBlank()) {
          continue;
        }
        if (header == null) {
          header = List.of(row);
          continue;
        }
        if (row.length != header.size()) {
          throw new InputException(source + ":" + line + ": expected " + header.size()
              + " columns as in the header, got " + row.length);
        }
        rows.add(row);
        lines.add(line);
      }
    } catch (NoSuchFileException e) {
      throw new InputException(source + ": no such file");
    } catch (IOException | RuntimeJsonMappingException e) {
      throw new InputException(source + ": not readable as CSV: " + firstLine(e.getMessage()));
    }
    if (header == null) {
      throw new InputException(source + ": empty file; expected a header row and data rows");
    }
    if (rows.isEmpty()) {
      throw new InputException(source + ": no data rows after the header");
    }
    return new CsvTable(source, header, rows, lines);
  }

  private static String firstLine(String message) {
    return message == null ? "unknown error" : message.lines().findFirst().orElse("");
  }

  public String source() {
    return source;
  }

  public int rowCount() {
    return rows.size();
  }

  public List<String> header() {
    return header;
  }

  public boolean hasColumn(String name) {
    return columnIndex.containsKey(name);
  }

  /** The column's index; a missing column is an {@link InputException} that lists the header. */
  public int column(String name) {
    Integer index = columnIndex.get(name);
    if (index == null) {
      throw new InputException(source + ": missing column \"" + name + "\"; the header has "
          + String.join(",", header));
    }
    return index;
  }

  /** The raw cell, trimmed; empty means missing. */
  public String cell(int row, int column) {
    return rows.get(row)[column].trim();
  }

  /**
   * The cell as a finite number, or NaN when the cell is empty (a missing value). Text, NaN and
   * infinities are an {@link InputException} naming the line and column.
   */
  public double number(int row, int column) {
    String text = cell(row, column);
    if (text.isEmpty()) {
      return Double.NaN;
    }
    return Values.parseFinite(text, () -> where(row, column));
  }

  /** The column's non-missing values, in row order; a column with none is an {@link InputException}. */
  public double[] numbers(int column) {
    double[] values = new double[rows.size()];
    int n = 0;
    for (int row = 0; row < rows.size(); row++) {
      double v = number(row, column);
      if (!Double.isNaN(v)) {
        values[n++] = v;
      }
    }
    requireValues(column, n);
    return Arrays.copyOf(values, n);
  }

  /** Count per distinct non-missing value; a column with none is an {@link InputException}. */
  public Map<String, Long> categoryCounts(int column) {
    Map<String, Long> counts = new TreeMap<>();
    for (int row = 0; row < rows.size(); row++) {
      String v = cell(row, column);
      if (!v.isEmpty()) {
        counts.merge(v, 1L, Long::sum);
      }
    }
    requireValues(column, counts.size());
    return counts;
  }

  private void requireValues(int column, int n) {
    if (n == 0) {
      throw new InputException(source + ": column " + header.get(column).trim()
          + ": no values, all " + rows.size() + " missing");
    }
  }

  public String where(int row, int column) {
    return source + ":" + lines.get(row) + ": column " + header.get(column).trim();
  }
}
