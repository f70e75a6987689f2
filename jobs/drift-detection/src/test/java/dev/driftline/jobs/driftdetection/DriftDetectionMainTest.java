package dev.driftline.jobs.driftdetection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's entry point refuses bad arguments with one line and exit code 2, before touching Flink. */
class DriftDetectionMainTest {
  @TempDir Path dir;

  private static String[] run(String... args) {
    StringWriter err = new StringWriter();
    int code = DriftDetectionMain.execute(args, new PrintWriter(err, true));
    return new String[] {Integer.toString(code), err.toString().strip()};
  }

  @Test
  void aBadSpecIsOneLine() throws Exception {
    Path spec = Files.writeString(dir.resolve("m.yaml"), "model_id: m\ntask: ranking\n");
    assertThat(run("--spec", spec.toString(), "--bootstrap-servers", "127.0.0.1:9", "--es-url", "http://127.0.0.1:9"))
        .containsExactly("2", "drift-detection: " + spec + ": task: expected one of binary_classification|regression, got \"ranking\"");
  }

  @Test
  void aMissingProfileIsOneLine() {
    assertThat(run("--spec", "../../examples/credit-default/monitor.yaml", "--bootstrap-servers", "127.0.0.1:9",
        "--es-url", "http://127.0.0.1:9")[1])
        .isEqualTo("drift-detection: examples/credit-default/profile.json: no such profile (reference.path of model "
            + "credit-default); build it with driftline baseline build");
  }

  @Test
  void anUnreachableElasticsearchIsOneLine() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path spec = Files.writeString(dir.resolve("m.yaml"), String.join("\n", "model_id: m", "task: regression",
        "features: [{name: x, type: numeric}]", "reference: {source: previous_window}", "window: {size: 1h}"));
    String[] r = run("--spec", spec.toString(), "--bootstrap-servers", "127.0.0.1:9", "--es-url", "http://127.0.0.1:" + port);
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[1]).startsWith("drift-detection: Elasticsearch at http://127.0.0.1:" + port + ": ").doesNotContain("\n");
  }

  @Test
  void aBadOptionValueIsOneLine() throws Exception {
    Path spec = Files.writeString(dir.resolve("m.yaml"), String.join("\n", "model_id: m", "task: regression",
        "features: [{name: x, type: numeric}]", "reference: {source: previous_window}", "window: {size: 1h}"));
    assertThat(run("--spec", spec.toString(), "--bootstrap-servers", "127.0.0.1:9", "--es-url", "http://127.0.0.1:9",
        "--delivery", "twice")).containsExactly("2", "drift-detection: --delivery: expected exactly-once or at-least-once, got twice");
    assertThat(run("--spec", spec.toString(), "--bootstrap-servers", "nohost", "--es-url", "http://127.0.0.1:9"))
        .containsExactly("2", "drift-detection: Kafka bootstrap servers: expected host:port, got \"nohost\"");
  }
}
