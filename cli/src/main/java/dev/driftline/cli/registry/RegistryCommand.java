package dev.driftline.cli.registry;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code driftline registry write}: the files generated from the metric and drift-test registries. */
@Command(name = "registry", mixinStandardHelpOptions = true,
    description = "The schemas, index template and doc tables generated from the performance metric and drift test registries.",
    subcommands = {RegistryWriteCommand.class})
public final class RegistryCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
