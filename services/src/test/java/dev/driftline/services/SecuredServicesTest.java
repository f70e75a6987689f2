package dev.driftline.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The secured services are what they claim: https with their own CA, credentials required, wrong ones refused. */
@ExtendWith({SecuredElasticsearchExtension.class, ScramKafkaExtension.class})
class SecuredServicesTest {
  @Test
  void elasticsearchAnswersTheUserOverHttpsWithItsOwnCaOnly() throws Exception {
    SecuredElasticsearchNode es = SecuredElasticsearchExtension.node();
    assertThat(es.httpsUrl()).startsWith("https://localhost:");
    assertThat(es.request("GET", "/_security/_authenticate", null)).contains("\"username\":\"driftline\"");

    assertThat(es.password()).matches("pw-[0-9a-f]{24}");

    // the JVM's default trust store does not know the node's CA
    HttpClient defaults = HttpClient.newHttpClient();
    assertThatThrownBy(() -> defaults.send(HttpRequest.newBuilder(URI.create(es.httpsUrl())).build(),
        HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);

    // plain http on the https port gets no answer it could read
    assertThatThrownBy(() -> defaults.send(HttpRequest.newBuilder(URI.create(es.httpsUrl().replace("https", "http")))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void kafkaLetsTheUserInAndRefusesAWrongPassword() throws Exception {
    ScramKafkaBroker kafka = ScramKafkaExtension.broker();
    kafka.createTopics(1, "scram-test");
    assertThat(listTopics(kafka, kafka.password())).contains("scram-test");
    assertThatThrownBy(() -> listTopics(kafka, "not-" + kafka.password()))
        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
  }

  private static java.util.Set<String> listTopics(ScramKafkaBroker kafka, String password) throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
    p.putAll(ScramKafkaBroker.clientProperties(password));
    try (Admin admin = Admin.create(p)) {
      return admin.listTopics().names().get(20, TimeUnit.SECONDS);
    }
  }
}
