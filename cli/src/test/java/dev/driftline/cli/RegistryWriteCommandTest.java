package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.driftline.core.schema.RecordSchema;
import dev.driftline.core.schema.RegistryFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code driftline registry write} on a copy of the generated files. */
class RegistryWriteCommandTest {
  static final Path ROOT = Path.of("..");

  @Test
  void rewritesOnlyTheFilesThatLostTheirGeneratedParts(@TempDir Path dir) throws Exception {
    for (String f : RegistryFiles.paths()) {
      Files.createDirectories(dir.resolve(f).getParent());
      Files.copy(ROOT.resolve(f), dir.resolve(f));
    }
    Path doc = dir.resolve(RegistryFiles.DRIFT_TESTS_DOC);
    String committed = Files.readString(doc);
    Files.writeString(doc, committed.replaceAll("(?m)^\\| `wasserstein` .*\\n", ""));
    Path template = dir.resolve(RegistryFiles.PERFORMANCE_TEMPLATE);
    String mapping = Files.readString(template);
    Files.writeString(template, mapping.replace("        \"rmse\": {\"type\": \"double\"},\n", ""));

    CliRun first = CliRun.of("registry", "write", "--root", dir.toString());
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).isEqualTo("wrote " + RegistryFiles.PERFORMANCE_TEMPLATE + "\nwrote " + RegistryFiles.DRIFT_TESTS_DOC + "\n");
    assertThat(Files.readString(doc)).isEqualTo(committed);
    assertThat(Files.readString(template)).isEqualTo(mapping);

    CliRun again = CliRun.of("registry", "write", "--root", dir.toString());
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).isEmpty();
  }

  @Test
  void aDirectoryThatIsNotTheRepositoryIsOneLineAndExitCode2(@TempDir Path dir) {
    CliRun r = CliRun.of("registry", "write", "--root", dir.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("driftline: --root " + dir + ": expected a Driftline repository (with "
        + "schemas/performance.v1.schema.json), found none\n");
  }
}
