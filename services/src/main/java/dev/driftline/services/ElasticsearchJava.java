package dev.driftline.services;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the Java that runs the Elasticsearch test nodes: Elasticsearch 9 needs Java 21 or newer,
 * while the build itself may run on 17. Places are looked at in this order, and the first Java 21+
 * wins:
 * <ol>
 *   <li>{@code $DRIFTLINE_ES_JAVA_HOME}, when set;</li>
 *   <li>the running JVM ({@code java.home});</li>
 *   <li>{@code $JAVA_HOME}, when set;</li>
 *   <li>each directory under {@code /usr/lib/jvm}, by name.</li>
 * </ol>
 * A Java home is a directory with an executable {@code bin/java} and a {@code release} file; its
 * version is the {@code release} file's {@code JAVA_VERSION} (nothing is run). When no place has a
 * Java 21+, the error is one line naming every place and what was found there. Stateless;
 * thread-safe.
 */
public final class ElasticsearchJava {
  static final String VARIABLE = "DRIFTLINE_ES_JAVA_HOME";
  static final Path JVM_DIR = Path.of("/usr/lib/jvm");
  static final int MIN_FEATURE = 21;
  private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"?(\\d+)(?:\\.(\\d+))?");

  /** The chosen Java home and the place it was found at (e.g. {@code "JAVA_HOME"}). */
  public record Found(Path home, String place, int feature) {}

  private ElasticsearchJava() {}

  /** The Java 21+ for Elasticsearch on this machine. */
  public static Found find() {
    return find(System.getenv(), Path.of(System.getProperty("java.home")), JVM_DIR);
  }

  /**
   * As {@link #find()}, from the given environment, running JVM home and JVM directory.
   *
   * @throws IllegalStateException when no place holds a Java 21+; the one-line message lists each
   *     place looked at and what it held
   */
  static Found find(Map<String, String> env, Path runningJavaHome, Path jvmDir) {
    List<String> looked = new ArrayList<>();
    Map<Path, String> seen = new HashMap<>(); // real path -> where it was first looked at
    String variable = env.get(VARIABLE);
    if (variable == null || variable.isBlank()) {
      looked.add(VARIABLE + " (not set)");
    } else {
      Found f = examine(Path.of(variable), VARIABLE, VARIABLE, looked, seen);
      if (f != null) {
        return f;
      }
    }
    Found running = examine(runningJavaHome, "java.home", "java.home", looked, seen);
    if (running != null) {
      return running;
    }
    String javaHome = env.get("JAVA_HOME");
    if (javaHome == null || javaHome.isBlank()) {
      looked.add("JAVA_HOME (not set)");
    } else {
      Found f = examine(Path.of(javaHome), "JAVA_HOME", "JAVA_HOME", looked, seen);
      if (f != null) {
        return f;
      }
    }
    List<Path> installed;
    try (Stream<Path> entries = Files.list(jvmDir)) {
      installed = entries.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      installed = List.of();
    }
    if (installed.isEmpty()) {
      looked.add(jvmDir + " (no Java installations)");
    }
    for (Path home : installed) {
      Found f = examine(home, jvmDir.toString(), null, looked, seen);
      if (f != null) {
        return f;
      }
    }
    throw new IllegalStateException("Java for Elasticsearch: no Java " + MIN_FEATURE + "+ found; looked at "
        + String.join(", ", looked) + "; set " + VARIABLE + " to a Java " + MIN_FEATURE + "+ home");
  }

  /**
   * The Java at {@code home} when it is {@value #MIN_FEATURE}+, else null with what it held added to
   * {@code looked}; a home examined before under another name (a symbolic link) is not read again.
   *
   * @param label how the message names the place ({@code JAVA_HOME=...}), or null for the path alone
   */
  private static Found examine(Path home, String place, String label, List<String> looked, Map<Path, String> seen) {
    String where = label == null ? home.toString() : label + "=" + home;
    Path real;
    try {
      real = home.toRealPath();
    } catch (IOException e) {
      looked.add(where + " (does not exist)");
      return null;
    }
    String before = seen.putIfAbsent(real, where);
    if (before != null) {
      looked.add(where + " (same as " + before.replaceFirst("=.*", "") + ")");
      return null;
    }
    String problem = null;
    int feature = -1;
    Path release = home.resolve("release");
    if (!Files.isRegularFile(home.resolve("bin/java")) || !Files.isExecutable(home.resolve("bin/java"))) {
      problem = "no bin/java";
    } else if (!Files.isRegularFile(release)) {
      problem = "no release file";
    } else {
      try {
        feature = featureVersion(Files.readString(release));
        problem = feature < 0 ? "no JAVA_VERSION in release" : feature < MIN_FEATURE ? "Java " + feature : null;
      } catch (IOException e) {
        problem = "release unreadable: " + e.getMessage();
      }
    }
    if (problem == null) {
      return new Found(home, place, feature);
    }
    looked.add(where + " (" + problem + ")");
    return null;
  }

  /**
   * The feature version in a {@code release} file's {@code JAVA_VERSION} ({@code "25.0.3"} → 25,
   * {@code "1.8.0_402"} → 8), or -1 when there is none.
   */
  static int featureVersion(String releaseFile) {
    Matcher m = JAVA_VERSION.matcher(releaseFile);
    if (!m.find()) {
      return -1;
    }
    int major = Integer.parseInt(m.group(1));
    return major == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : major;
  }
}
