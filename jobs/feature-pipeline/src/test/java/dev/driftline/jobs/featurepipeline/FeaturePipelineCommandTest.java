package dev.driftline.jobs.featurepipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class FeaturePipelineCommandTest {
  record Run(int code, String err) {}

  static Run run(String... args) {
    StringWriter err = new StringWriter();
    int code = FeaturePipelineCommand.execute(args, new PrintWriter(err, true));
    return new Run(code, err.toString());
  }

  @Test
  void helpDescribesEveryArgument() {
    StringWriter out = new StringWriter();
    picocli.CommandLine cmd = new picocli.CommandLine(new FeaturePipelineCommand());
    cmd.setOut(new PrintWriter(out, true));
    assertThat(cmd.execute("--help")).isZero();
    for (var option : cmd.getCommandSpec().options()) {
      assertThat(option.description()).as(option.longestName()).isNotEmpty();
      assertThat(out.toString()).contains(option.longestName());
    }
  }

  @Test
  void anInvalidViewIsOneLineAndExitCode2() {
    Run r = run("--view", "no/such.yaml", "--bootstrap-servers", "localhost:9092", "--es-url", "http://localhost:9200");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("feature-pipeline: no/such.yaml: no such file" + System.lineSeparator());
  }

  @Test
  void badOptionsAreOneLineAndExitCode2() {
    Run r = run("--view", "../../examples/feature-views/card-transactions.yaml", "--bootstrap-servers", "localhost:9092",
        "--es-url", "http://localhost:9200", "--delivery", "twice");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("feature-pipeline: --delivery: expected exactly-once or at-least-once, got twice" + System.lineSeparator());
    Run k = run("--view", "../../examples/feature-views/card-transactions.yaml", "--bootstrap-servers", "nohost",
        "--es-url", "http://localhost:9200");
    assertThat(k.code()).isEqualTo(2);
    assertThat(k.err()).isEqualTo("feature-pipeline: Kafka bootstrap servers: expected host:port, got \"nohost\"" + System.lineSeparator());
  }
}
