package dev.driftline.cli.savepoint;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code driftline savepoint inspect}: what a savepoint of one of the jobs holds. */
@Command(name = "savepoint", mixinStandardHelpOptions = true,
    description = "Read a savepoint of a Driftline job offline (Flink's State Processor API).",
    subcommands = {SavepointInspectCommand.class})
public final class SavepointCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
