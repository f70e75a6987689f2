package dev.driftline.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/**
 * Flink's Prometheus reporter on a local cluster (the demo's and the tests' MiniClusters, the
 * standalone cluster), and reading what it serves. The reporter is {@code flink-metrics-prometheus}
 * on the classpath; it serves the text exposition format at {@code http://<host>:<port>/metrics}.
 */
public final class PrometheusMetrics {
  /** The reporter's name in Flink's configuration ({@code metrics.reporter.prom.*}). */
  public static final String REPORTER = "prom";
  public static final String FACTORY = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusMetrics() {}

  /** One sample: a metric name, its labels and value. */
  public record Sample(String name, Map<String, String> labels, double value) {
    public String label(String key) {
      return labels.get(key);
    }
  }

  /**
   * Turns the reporter on in {@code conf}, serving on {@code port} (a number, or a range such as
   * {@code 9250-9260}: the first free one is taken). Label values are kept as they are
   * ({@code filterLabelValueCharacters: false}): by default the reporter drops every character but
   * {@code [a-zA-Z0-9:_]}, which would turn the model {@code credit-default} into {@code creditdefault};
   * the exposition format escapes what needs escaping.
   */
  public static Configuration enable(Configuration conf, String port) {
    for (Map.Entry<String, String> e : settings(port).entrySet()) {
      conf.set(ConfigOptions.key(e.getKey()).stringType().noDefaultValue(), e.getValue());
    }
    return conf;
  }

  /** The configuration keys and values {@link #enable} sets, for a config.yaml. */
  public static Map<String, String> settings(String port) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("metrics.reporter." + REPORTER + ".factory.class", FACTORY);
    out.put("metrics.reporter." + REPORTER + ".filterLabelValueCharacters", "false");
    if (port != null) {
      out.put("metrics.reporter." + REPORTER + ".port", port);
    }
    return out;
  }

  /** A port free on this machine now, for a reporter that must not collide with another (a test's, the demo's). */
  public static int freePort() {
    return ServiceLocations.freePort();
  }

  public static String url(int port) {
    return "http://127.0.0.1:" + port + "/metrics";
  }

  /** GETs {@code url} and parses it. */
  public static List<Sample> scrape(String url) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("GET " + url + ": HTTP " + r.statusCode());
      }
      return parse(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Samples of the text exposition format ({@code name{k="v",...} value}); comments skipped. */
  public static List<Sample> parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space;
      String name;
      Map<String, String> labels = new LinkedHashMap<>();
      if (brace >= 0 && brace < line.indexOf(' ')) {
        name = line.substring(0, brace);
        int i = brace + 1;
        while (line.charAt(i) != '}') {
          int eq = line.indexOf('=', i);
          String key = line.substring(i, eq);
          StringBuilder value = new StringBuilder();
          int j = eq + 2; // after ="
          while (line.charAt(j) != '"') {
            char c = line.charAt(j);
            if (c == '\\') {
              char n = line.charAt(++j);
              value.append(n == 'n' ? '\n' : n);
            } else {
              value.append(c);
            }
            j++;
          }
          labels.put(key, value.toString());
          i = j + 1;
          if (line.charAt(i) == ',') {
            i++;
          }
        }
        space = i + 1;
      } else {
        space = line.indexOf(' ');
        name = line.substring(0, space);
      }
      String[] rest = line.substring(space).trim().split("\\s+");
      out.add(new Sample(name, labels, parseValue(rest[0])));
    }
    return out;
  }

  private static double parseValue(String v) {
    return switch (v) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(v);
    };
  }

  /** The samples of the Flink job named {@code job} (label {@code job_name}). */
  public static List<Sample> ofJob(List<Sample> samples, String job) {
    return samples.stream().filter(s -> job.equals(s.label("job_name"))).toList();
  }

  /** The sum over the samples named {@code name} that {@code filter} accepts (0 when there are none). */
  public static double sum(List<Sample> samples, String name, Predicate<Sample> filter) {
    return samples.stream().filter(s -> s.name().equals(name) && filter.test(s)).mapToDouble(Sample::value).sum();
  }
}
