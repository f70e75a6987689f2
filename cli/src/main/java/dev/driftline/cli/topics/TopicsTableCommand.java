package dev.driftline.cli.topics;

import dev.driftline.core.topics.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code driftline topics table}: the catalogue as the Markdown table of {@code docs/topics.md}. */
@Command(name = "table", mixinStandardHelpOptions = true,
    description = "Print the topic catalogue as a Markdown table (the one in docs/topics.md).")
public final class TopicsTableCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().getOut().print(Topics.markdownTable());
    spec.commandLine().getOut().flush();
  }
}
