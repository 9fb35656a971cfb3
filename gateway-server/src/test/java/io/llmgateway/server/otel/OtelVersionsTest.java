package io.llmgateway.server.otel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Every OpenTelemetry library on the classpath is at the SDK's version: the server's pom imports
 * {@code opentelemetry-bom}. Without it, Selenium's dependency on opentelemetry-context and -common
 * (1.67) won Maven's nearest-first choice and the production jar shipped them beside the 1.68 API,
 * SDK and exporter (found in session 12 while accounting trace overhead).
 */
class OtelVersionsTest {

  @Test
  void contextAndCommonAreAtTheApisVersion() throws IOException {
    String api = version("io/opentelemetry/api/version.properties");
    assertThat(api).isNotBlank();
    assertThat(version("io/opentelemetry/sdk/trace/version.properties")).isEqualTo(api);
    assertThat(version("io/opentelemetry/context/version.properties")).isEqualTo(api);
    assertThat(version("io/opentelemetry/common/version.properties")).isEqualTo(api);
  }

  private static String version(String resource) throws IOException {
    try (InputStream in = OtelVersionsTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("sdk.version");
    }
  }
}
