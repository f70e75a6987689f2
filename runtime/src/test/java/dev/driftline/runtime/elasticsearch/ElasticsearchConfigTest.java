package dev.driftline.runtime.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class ElasticsearchConfigTest {
  @Test
  void readsUrlsAndCredentialsFromTheEnvironment() {
    ElasticsearchConfig c = ElasticsearchConfig.fromEnvironment(Map.of(
        "DRIFTLINE_ES_URLS", "https://es-1:9200, https://es-2:9200",
        "DRIFTLINE_ES_USERNAME", "driftline",
        "DRIFTLINE_ES_PASSWORD", "s3cret"));

    assertThat(c.urls()).containsExactly("https://es-1:9200", "https://es-2:9200");
    assertThat(c).isEqualTo(ElasticsearchConfig.of("https://es-1:9200", "https://es-2:9200").withBasicAuth("driftline", "s3cret"));
  }

  @Test
  void toStringNamesTheAuthKindButNoSecret() {
    String basic = ElasticsearchConfig.of("http://es:9200").withBasicAuth("driftline", "s3cret").toString();
    String apiKey = ElasticsearchConfig.of("http://es:9200").withApiKey("QUJDOkRFRg==").toString();

    assertThat(basic).isEqualTo("ElasticsearchConfig{urls=http://es:9200, auth=basic(driftline)}");
    assertThat(apiKey).isEqualTo("ElasticsearchConfig{urls=http://es:9200, auth=api-key}");
  }

  @Test
  void rejectsBadUrlsInOneLineWithoutEchoingCredentials() {
    assertThatThrownBy(() -> ElasticsearchConfig.of("es:9200"))
        .hasMessage("Elasticsearch URL: expected http(s)://host:port, got \"es:9200\"");
    assertThatThrownBy(() -> ElasticsearchConfig.of("ftp://es:9200"))
        .hasMessage("Elasticsearch URL: expected http(s)://host:port, got \"ftp://es:9200\"");
    assertThatThrownBy(() -> ElasticsearchConfig.fromArgs(" , ", null, null, null, null))
        .hasMessage("Elasticsearch URLs: expected http(s)://host:port[,...], got nothing");
    assertThatThrownBy(() -> ElasticsearchConfig.of("http://admin:s3cret@es:9200"))
        .hasMessageNotContaining("s3cret")
        .hasMessageStartingWith("Elasticsearch URL: credentials in the URL are not accepted, got \"http://****@es:9200\"");
  }

  @Test
  void rejectsHalfOrDoubleCredentials() {
    assertThatThrownBy(() -> ElasticsearchConfig.fromArgs("http://es:9200", null, "driftline", null, null))
        .hasMessage("Elasticsearch credentials: expected a username and a password, got only the username");
    assertThatThrownBy(() -> ElasticsearchConfig.fromArgs("http://es:9200", "key", "driftline", "pw", null))
        .hasMessage("Elasticsearch credentials: expected an API key or a username/password, got both");
  }

  @Test
  void unreadableCaCertificateFailsInOneLine() {
    ElasticsearchConfig c = ElasticsearchConfig.of("https://es:9200").withCaCertificate("/nonexistent/ca.pem");

    assertThatThrownBy(c::newClient)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Elasticsearch CA certificate /nonexistent/ca.pem: cannot read: ");
  }

  @Test
  void survivesJavaSerialization() throws Exception {
    ElasticsearchConfig c = ElasticsearchConfig.of("http://es:9200").withApiKey("key");

    assertThat(InstantiationUtil.clone(c)).isEqualTo(c);
  }
}
