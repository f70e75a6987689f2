package dev.driftline.cli.topics;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code driftline topics create|check|script|table}: the topic catalogue ({@code core/.../topics/Topic.java}) applied to a broker. */
@Command(name = "topics", mixinStandardHelpOptions = true,
    description = "Create Driftline's Kafka topics as the catalogue says (cleanup policy, retention), or check a broker's against it.",
    subcommands = {TopicsCreateCommand.class, TopicsCheckCommand.class, TopicsScriptCommand.class, TopicsTableCommand.class})
public final class TopicsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
