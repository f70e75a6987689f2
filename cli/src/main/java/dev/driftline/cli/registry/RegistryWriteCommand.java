package dev.driftline.cli.registry;

import dev.driftline.core.io.InputException;
import dev.driftline.core.schema.RecordSchema;
import dev.driftline.core.schema.RegistryFiles;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code driftline registry write}: rewrites the generated parts of the schemas, the performance
 * index template and the doc tables from the registries; prints each file it changed.
 */
@Command(name = "write", mixinStandardHelpOptions = true,
    description = "Rewrite what is generated from the registries (core/.../spec/PerformanceMetric.java, "
        + "core/.../drift/DriftTests.java): the metric fields of the performance schema and index template, the "
        + "evidence's metric list, the drift-result schema's test names, and the tables in docs/drift-job.md and "
        + "docs/statistics.md. Prints each file it changed (nothing when all are current).")
public final class RegistryWriteCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--root", paramLabel = "DIR", description = "The repository's root directory (default: the current one).")
  Path root = Path.of(".");

  @Override
  public void run() {
    if (!Files.isRegularFile(root.resolve(RecordSchema.PERFORMANCE.resource()))) {
      throw new InputException("--root " + root + ": expected a Driftline repository (with "
          + RecordSchema.PERFORMANCE.resource() + "), found none");
    }
    List<String> changed = RegistryFiles.write(root);
    PrintWriter out = spec.commandLine().getOut();
    changed.forEach(f -> out.println("wrote " + f));
    out.flush();
  }
}
