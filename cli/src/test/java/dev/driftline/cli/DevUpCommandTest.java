package dev.driftline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `driftline dev up` as a person runs it: real services come up, answer, and go away. */
class DevUpCommandTest {
  @TempDir Path dir;

  @Test
  void startsKafkaAndElasticsearchPrintsTheirAddressesAndStopsThem() throws Exception {
    // Services other test classes of this JVM started stay: only what dev up starts must go.
    Set<Long> before = ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
    DevCommand.Up up = new DevCommand.Up();
    StringWriter out = new StringWriter();
    CommandLine cmd = new CommandLine(up);
    cmd.setOut(new PrintWriter(out, true));
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() ->
        cmd.execute("--kafka-port=0", "--es-port=0", "--dir=" + dir));

    long deadline = System.currentTimeMillis() + 180_000;
    while (!out.toString().contains("ready; press Ctrl-C") && !exit.isDone() && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
    }
    String text = out.toString();
    assertThat(text).contains("ready; press Ctrl-C to stop");
    Matcher kafka = Pattern.compile("Kafka: +(127\\.0\\.0\\.1:\\d+)").matcher(text);
    Matcher es = Pattern.compile("Elasticsearch: +(http://127\\.0\\.0\\.1:\\d+)").matcher(text);
    assertThat(kafka.find()).isTrue();
    assertThat(es.find()).isTrue();

    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.group(1));
    try (Admin admin = Admin.create(p)) {
      assertThat(admin.describeCluster().nodes().get(20, TimeUnit.SECONDS)).hasSize(1);
    }
    HttpResponse<String> health = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(es.group(1) + "/_cluster/health")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).containsPattern("\"status\":\"(green|yellow)\"");

    up.stop.countDown();
    assertThat(exit.get(90, TimeUnit.SECONDS)).isZero();
    assertThat(out.toString()).endsWith("stopped" + System.lineSeparator());
    assertThat(ProcessHandle.current().descendants().filter(h -> h.isAlive() && !before.contains(h.pid()))
        .map(h -> h.pid() + " " + h.info().commandLine().orElse("?")).toList())
        .as("no service process of dev up left behind").isEmpty();
  }
}
