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
  void aWindowReferenceTakesItsCalibrationFromTheEstimationProfile() throws Exception {
    Path csv = Files.writeString(dir.resolve("churn.csv"), String.join("\n",
        "tenure_months,monthly_spend,support_tickets_30d,plan,payment_method,score,label",
        "1,20,0,basic,card,0.2,0", "5,30,1,pro,card,0.4,1", "9,25,2,basic,debit,0.7,1", ""));
    String yaml = Files.readString(Path.of("../../examples/churn/monitor.yaml"));
    dev.driftline.core.spec.MonitorSpec spec = dev.driftline.core.spec.MonitorSpecParser.parse("churn.yaml",
        yaml + "\nperformance_estimation: {profile: " + dir.resolve("churn-profile.json") + "}\n");
    dev.driftline.core.profile.ReferenceProfiles.write(dev.driftline.core.profile.ProfileBuilder.build(spec,
        dev.driftline.core.io.CsvTable.read(csv), java.time.Instant.EPOCH), dir.resolve("churn-profile.json"));

    var baselines = DriftDetectionLauncher.loadProfiles(java.util.List.of(spec));

    assertThat(baselines.get("churn").calibration().x()).containsExactly(0.2, 0.4, 0.7);
    assertThat(baselines.get("churn").calibration().y()).containsExactly(0.0, 1.0, 1.0);
    Path missing = Files.writeString(dir.resolve("churn.yaml"), yaml + "\nperformance_estimation: {profile: missing.json}\n");
    assertThat(run("--spec", missing.toString(), "--bootstrap-servers", "127.0.0.1:9", "--es-url", "http://127.0.0.1:9")[1])
        .isEqualTo("drift-detection: missing.json: no such profile (performance_estimation.profile of model churn); "
            + "build it with driftline baseline build");
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
