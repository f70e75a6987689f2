package dev.driftline.cli.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.cli.DriftlineCli;
import dev.driftline.core.schema.RecordSchema;
import dev.driftline.core.schema.RegistryFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryWriteCommandTest {
  static final Path ROOT = Path.of("..");
  static final List<String> GENERATED = List.of(RecordSchema.PERFORMANCE.resource(), RegistryFiles.PERFORMANCE_TEMPLATE,
      RecordSchema.RETRAIN_TRIGGER.resource(), RecordSchema.ALERT.resource(), RecordSchema.DRIFT_RESULT.resource(),
      RegistryFiles.METRICS_DOC, RegistryFiles.DRIFT_TESTS_DOC);

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = DriftlineCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  @Test
  void rewritesOnlyTheFilesThatLostTheirGeneratedParts(@TempDir Path dir) throws Exception {
    for (String f : GENERATED) {
      Files.createDirectories(dir.resolve(f).getParent());
      Files.copy(ROOT.resolve(f), dir.resolve(f));
    }
    Path doc = dir.resolve(RegistryFiles.DRIFT_TESTS_DOC);
    String committed = Files.readString(doc);
    Files.writeString(doc, committed.replaceAll("(?m)^\\| `wasserstein` .*\\n", ""));
    Path template = dir.resolve(RegistryFiles.PERFORMANCE_TEMPLATE);
    String mapping = Files.readString(template);
    Files.writeString(template, mapping.replace("        \"rmse\": {\"type\": \"double\"},\n", ""));

    Run first = run("registry", "write", "--root", dir.toString());
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).isEqualTo("wrote " + RegistryFiles.PERFORMANCE_TEMPLATE + "\nwrote " + RegistryFiles.DRIFT_TESTS_DOC + "\n");
    assertThat(Files.readString(doc)).isEqualTo(committed);
    assertThat(Files.readString(template)).isEqualTo(mapping);

    Run again = run("registry", "write", "--root", dir.toString());
    assertThat(again.code()).isZero();
    assertThat(again.out()).isEmpty();
  }

  @Test
  void aDirectoryThatIsNotTheRepositoryIsOneLineAndExitCode2(@TempDir Path dir) {
    Run r = run("registry", "write", "--root", dir.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("driftline: --root " + dir + ": expected a Driftline repository (with "
        + "schemas/performance.v1.schema.json), found none\n");
  }
}
