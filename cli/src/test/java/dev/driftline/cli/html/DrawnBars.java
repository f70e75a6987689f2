package dev.driftline.cli.html;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bars a report page draws for one feature's distribution, read back from its SVG, and the
 * counts the page embeds as JSON arrays: the report tests compare the two.
 */
public record DrawnBars(List<Long> reference, List<Long> current) {
  private static final Pattern BAR = Pattern.compile("<rect class=\"(ref|cur)\" data-bin=\"(\\d+)\" data-count=\"(\\d+)\"");

  /** The reference and current bars of {@code feature}'s distribution chart, or null when the page has none. */
  public static DrawnBars of(String html, String feature) {
    Matcher svg = Pattern.compile("<svg class=\"distribution\" data-feature=\"" + Pattern.quote(feature) + "\".*?</svg>",
        Pattern.DOTALL).matcher(html);
    if (!svg.find()) {
      return null;
    }
    List<Long> reference = new ArrayList<>();
    List<Long> current = new ArrayList<>();
    Matcher bar = BAR.matcher(svg.group());
    while (bar.find()) {
      (bar.group(1).equals("ref") ? reference : current).add(Long.parseLong(bar.group(3)));
    }
    return new DrawnBars(reference, current);
  }

  /** A JSON array of counts. */
  public static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }

  /** A JSON array of counts, boxed, for comparing with the bars. */
  public static Long[] boxed(JsonNode array) {
    long[] counts = longs(array);
    Long[] out = new Long[counts.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = counts[i];
    }
    return out;
  }
}
