package dev.driftline.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.driftline.core.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Same input, same output: the window's results do not depend on order, merge tree, JVM or chance. */
class WindowDeterminismTest {

  @Test
  void insertionOrderAndMergeTreeDoNotChangeOneByteOfTheResults() throws IOException {
    String expected = WindowDeterminismMain.resultsJson(1);
    for (long seed = 2; seed <= 4; seed++) {
      assertThat(WindowDeterminismMain.resultsJson(seed)).isEqualTo(expected);
    }
    JsonNode results = Json.mapper().readTree(expected);
    // the window is past the bucket limit for the continuous features, exact for the integer one
    assertThat(find(results, "income", "ks").get("method").asText()).isEqualTo("histogram");
    assertThat(find(results, "income", "ks").get("error_bound").asDouble()).isBetween(0.0, 0.005);
    assertThat(find(results, "income", "wasserstein").get("method").asText()).isEqualTo("histogram");
    assertThat(find(results, "age", "ks").get("method").asText()).isEqualTo("asymptotic");
    assertThat(find(results, "age", "wasserstein").get("method").asText()).isEqualTo("exact");
    assertThat(find(results, "balance", "wasserstein").get("method_reason").asText())
        .isEqualTo("numeric, reference n=72000 > 1000: wasserstein");
    // shifted income by 0.02 log-units over 30,000 values: KS sees it
    assertThat(find(results, "income", "ks").get("drift").asBoolean()).isTrue();
  }

  @Test
  void twoSeparateJvmsPrintTheSameBytes() throws Exception {
    String first = runInNewJvm(5);
    String second = runInNewJvm(6);
    assertThat(first).isNotEmpty().isEqualTo(second);
    assertThat(first.strip()).isEqualTo(WindowDeterminismMain.resultsJson(7));
  }

  private static String runInNewJvm(long orderSeed) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        WindowDeterminismMain.class.getName(), Long.toString(orderSeed))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }

  private static JsonNode find(JsonNode results, String feature, String test) {
    for (JsonNode r : results) {
      if (r.get("feature").asText().equals(feature) && r.get("test").asText().equals(test)) {
        return r;
      }
    }
    throw new AssertionError("no " + test + " result for " + feature + " in " + results);
  }
}
