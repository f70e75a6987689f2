package dev.driftline.cli;

import dev.driftline.cli.bench.BenchCommand;
import dev.driftline.cli.soak.OverloadCommand;
import dev.driftline.cli.soak.SoakCommand;
import dev.driftline.cli.calibrate.CalibrateCommand;
import dev.driftline.cli.demo.DemoCommand;
import dev.driftline.cli.registry.RegistryCommand;
import dev.driftline.cli.savepoint.SavepointCommand;
import dev.driftline.cli.topics.TopicsCommand;
import dev.driftline.core.io.InputException;
import dev.driftline.core.spec.SpecException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code driftline} command. Exit codes: 0 success, 2 bad usage or input, 1 internal error. */
@Command(
    name = "driftline",
    mixinStandardHelpOptions = true,
    versionProvider = DriftlineCli.Version.class,
    description = "Drift statistics, baselines and reports for monitored ML models.",
    subcommands = {
      StatsCommand.class,
      BaselineCommand.class,
      ReportCommand.class,
      SpecCommand.class,
      DevCommand.class,
      DemoCommand.class,
      GenerateCommand.class,
      FeaturesCommand.class,
      CalibrateCommand.class,
      BenchCommand.class,
      SoakCommand.class,
      OverloadCommand.class,
      TopicsCommand.class,
      SavepointCommand.class,
      RegistryCommand.class,
      CommandLine.HelpCommand.class
    })
public final class DriftlineCli implements Runnable {
  public static final int EXIT_INPUT = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The configured command line; tests run it in-process with their own writers. */
  public static CommandLine newCommandLine() {
    CommandLine cmd = new CommandLine(new DriftlineCli());
    StatsCommand.addTests(cmd.getSubcommands().get("stats"));
    cmd.setExecutionExceptionHandler(DriftlineCli::handle);
    return cmd;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    if (e instanceof InputException || e instanceof SpecException) {
      err.println("driftline: " + e.getMessage());
      err.flush();
      return EXIT_INPUT;
    }
    err.println("driftline: internal error: " + e);
    if (System.getenv("DRIFTLINE_DEBUG") != null) {
      e.printStackTrace(err);
    } else {
      err.println("driftline: set DRIFTLINE_DEBUG=1 for the stack trace");
    }
    err.flush();
    return 1;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = DriftlineCli.class.getPackage().getImplementationVersion();
      return new String[] {"driftline " + (v == null ? "(development build)" : v)};
    }
  }
}
