package dev.driftline.cli;

import dev.driftline.services.ElasticsearchNode;
import dev.driftline.services.KafkaBroker;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code driftline dev up}: the real Kafka and Elasticsearch the tests use, for a person to try. */
@Command(name = "dev", mixinStandardHelpOptions = true, description = "Local development services.",
    subcommands = DevCommand.Up.class)
final class DevCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "up", mixinStandardHelpOptions = true,
      description = "Start a single-node Kafka broker (KRaft) and an Elasticsearch node on 127.0.0.1, "
          + "print their addresses, and stop both on Ctrl-C.")
  static final class Up implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Kafka client port (default ${DEFAULT-VALUE}; 0 = any free port).")
    int kafkaPort;

    @Option(names = "--es-port", defaultValue = "9200", description = "Elasticsearch HTTP port (default ${DEFAULT-VALUE}; 0 = any free port).")
    int esPort;

    @Option(names = "--no-elasticsearch", description = "Start Kafka only.")
    boolean noElasticsearch;

    @Option(names = "--dir", defaultValue = "target/driftline-dev", description = "Where logs and data go (default ${DEFAULT-VALUE}).")
    Path dir;

    /** Released to stop the services; tests use it instead of Ctrl-C. */
    final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      checkPort("--kafka-port", kafkaPort);
      checkPort("--es-port", esPort);
      out.println("starting Kafka (logs in " + dir.resolve("kafka") + ") ...");
      out.flush();
      try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka").toAbsolutePath(), kafkaPort)) {
        ElasticsearchNode es = null;
        if (!noElasticsearch) {
          out.println("starting Elasticsearch (logs in " + dir.resolve("elasticsearch") + ") ...");
          out.flush();
          es = ElasticsearchNode.start(dir.resolve("elasticsearch").toAbsolutePath(), esPort);
        }
        try {
          out.println("Kafka:         " + kafka.bootstrapServers());
          if (es != null) {
            out.println("Elasticsearch: " + es.httpUrl());
          }
          out.println("ready; press Ctrl-C to stop");
          out.flush();
          Thread hook = new Thread(stop::countDown, "driftline-dev-stop");
          Runtime.getRuntime().addShutdownHook(hook);
          stop.await();
        } finally {
          if (es != null) {
            es.close();
          }
        }
      }
      out.println("stopped");
      out.flush();
      return 0;
    }

    private void checkPort(String option, int port) {
      if (port < 0 || port > 65535) {
        throw new CommandLine.ParameterException(spec.commandLine(), option + ": expected a port in 0..65535, got " + port);
      }
    }
  }
}
