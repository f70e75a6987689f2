package dev.driftline.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Properties;

/** Where the build put the real services' code, and small helpers shared by the launchers. */
final class ServiceLocations {
  private static final String RESOURCE = "/dev/driftline/testing/driftline-testing.properties";
  /** Written by the driftline-flink-dist build. */
  static final String FLINK_RESOURCE = "/dev/driftline/testing/flink-dist.properties";

  private ServiceLocations() {}

  static String get(String key) {
    return get(RESOURCE, key);
  }

  static String get(String resource, String key) {
    Properties p = new Properties();
    try (InputStream in = ServiceLocations.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing: build the testing modules with Maven");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String value = p.getProperty(key);
    if (value == null || value.isBlank() || value.startsWith("${")) {
      throw new IllegalStateException(resource + ": " + key + " was not filled in by the build");
    }
    return value;
  }

  /** A port on 127.0.0.1 that was free a moment ago. */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A directory of this test JVM's own for a service it starts, under the module's {@code target/}:
   * {@code target/NAME-PID}, so test JVMs forked side by side never write each other's files.
   */
  static Path jvmDirectory(String name) {
    return Path.of(System.getProperty("user.dir"), "target", name + "-" + ProcessHandle.current().pid());
  }
}
