package dev.driftline.cli.topics;

import dev.driftline.core.topics.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code driftline topics script}: the shell script the docker setup runs ({@code docker/setup/create-topics.sh}). */
@Command(name = "script", mixinStandardHelpOptions = true,
    description = "Print a POSIX shell script that creates the topics with Kafka's kafka-topics.sh "
        + "(what " + Topics.SCRIPT_PATH + " holds; regenerate it with: bin/driftline topics script > " + Topics.SCRIPT_PATH + ").")
public final class TopicsScriptCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().getOut().print(Topics.script());
    spec.commandLine().getOut().flush();
  }
}
