package dev.driftline.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command blocks of a Markdown guide that a test runs: a fenced block whose previous line is
 * {@code <!-- tested -->} (run as written) or {@code <!-- tested: settings -->} (the one block of
 * shell variables the test replaces with its own values). Markers render as nothing on GitHub.
 */
final class GuideBlocks {
  static final String TESTED = "<!-- tested -->";
  static final String SETTINGS = "<!-- tested: settings -->";

  /** One fenced block after a marker: its first line number (1-based, the fence), info string and text. */
  record Block(int line, boolean settings, String info, String text) {}

  /** A {@code NAME=value} line of a settings block. */
  private static final Pattern ASSIGNMENT = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)=");

  private GuideBlocks() {}

  /** The marked blocks in page order; a marker not followed by a fence, or an unclosed fence, is an error naming its line. */
  static List<Block> parse(String page, String name) {
    List<String> lines = page.lines().toList();
    List<Block> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String marker = lines.get(i).trim();
      if (!marker.equals(TESTED) && !marker.equals(SETTINGS)) {
        continue;
      }
      if (i + 1 >= lines.size() || !lines.get(i + 1).startsWith("```")) {
        throw new IllegalArgumentException(name + ":" + (i + 1) + ": " + marker + " is not followed by a fenced block");
      }
      int open = i + 1;
      int close = open + 1;
      while (close < lines.size() && !lines.get(close).startsWith("```")) {
        close++;
      }
      if (close >= lines.size()) {
        throw new IllegalArgumentException(name + ":" + (open + 1) + ": fenced block not closed");
      }
      out.add(new Block(open + 1, marker.equals(SETTINGS), lines.get(open).substring(3).trim(),
          String.join("\n", lines.subList(open + 1, close)) + "\n"));
      i = close;
    }
    return out;
  }

  /** The variables a settings block assigns, in order. */
  static Set<String> variables(Block settings) {
    Set<String> names = new LinkedHashSet<>();
    for (String line : settings.text().lines().toList()) {
      Matcher m = ASSIGNMENT.matcher(line.trim());
      if (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /**
   * One bash script of the blocks, the settings block replaced by {@code settings}: each block
   * preceded by a comment naming its line, so that a failure in the script's output points at the page.
   */
  static String script(List<Block> blocks, String settings, String name) {
    StringBuilder s = new StringBuilder("set -euo pipefail\n");
    for (Block b : blocks) {
      s.append("\n# ").append(name).append(':').append(b.line()).append(b.settings() ? " (settings, replaced by the test)" : "")
          .append('\n').append(b.settings() ? settings : b.text());
    }
    return s.toString();
  }
}
