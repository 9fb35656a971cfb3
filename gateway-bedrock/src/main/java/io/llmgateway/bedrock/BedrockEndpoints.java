package io.llmgateway.bedrock;

import io.llmgateway.core.catalog.AwsRegions;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.error.Billing;
import io.llmgateway.core.error.ProviderUnavailableException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/**
 * Where a deployment's calls go, and the percent-encoded model paths. Endpoint precedence: the
 * deployment's {@code endpoint}, then {@link BedrockSettings#endpoint()}, then {@code
 * AWS_ENDPOINT_URL_BEDROCK_RUNTIME} (system property {@code aws.endpointUrlBedrockRuntime}), then
 * {@code AWS_ENDPOINT_URL} ({@code aws.endpointUrl}), then {@code
 * https://bedrock-runtime.{region}.{partition dns suffix}} (reference doc 0.8, 1.1), built from
 * parts and refused unless its host is exactly that name. Only operators pick another host: a
 * deployment's own endpoint counts for models-file deployments only. FIPS endpoints ({@code
 * bedrock-runtime-fips.<region>.amazonaws.com}) are not derived; set them through the variable. The
 * variables are read once, when the provider is built. Thread-safe; results are cached.
 */
final class BedrockEndpoints {

  static final String DEFAULT_REGION = AwsRegions.DEFAULT;

  /** A resolved base: scheme, host, port (-1 for the scheme's default), path prefix, region. */
  record Target(String scheme, String host, int port, String pathPrefix, String region) {}

  private record Key(String region, Optional<URI> endpoint) {}

  private final Optional<URI> configured;
  private final Optional<URI> fromEnvironment;
  private final ConcurrentHashMap<Key, Target> targets = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, String> modelPaths = new ConcurrentHashMap<>();

  BedrockEndpoints(Optional<URI> configured) {
    this(configured, environmentEndpoint());
  }

  BedrockEndpoints(Optional<URI> configured, Optional<URI> fromEnvironment) {
    this.configured = configured;
    this.fromEnvironment = fromEnvironment;
  }

  /** The standard variables, service-specific first, as the SDK reads them. */
  static Optional<URI> environmentEndpoint() {
    for (String[] source :
        new String[][] {
          {"aws.endpointUrlBedrockRuntime", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME"},
          {"aws.endpointUrl", "AWS_ENDPOINT_URL"}
        }) {
      String v = System.getProperty(source[0]);
      if (v == null || v.isBlank()) {
        v = System.getenv(source[1]);
      }
      if (v != null && !v.isBlank()) {
        return Optional.of(URI.create(v.trim()));
      }
    }
    return Optional.empty();
  }

  Target target(Deployment d) {
    String region = d.region().orElse(DEFAULT_REGION);
    // Only an operator chooses another host: a models-file deployment's endpoint (Deployment
    // refuses one from the API), the settings, or the standard variables.
    Optional<URI> endpoint =
        d.endpoint()
            .filter(e -> d.source() == Deployment.Source.CONFIG)
            .or(() -> configured)
            .or(() -> fromEnvironment);
    return targets.computeIfAbsent(new Key(region, endpoint), BedrockEndpoints::resolve);
  }

  private static Target resolve(Key k) {
    URI uri = k.endpoint().orElseGet(() -> regional(k.region()));
    if (uri.getScheme() == null
        || uri.getHost() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
      throw new ProviderUnavailableException(
          ProviderUnavailableException.Kind.UNAVAILABLE,
          Billing.NOT_BILLED,
          false,
          "the configured Bedrock endpoint is not an absolute http(s) URL");
    }
    String prefix = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (prefix.endsWith("/")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    return new Target(uri.getScheme(), uri.getHost(), uri.getPort(), prefix, k.region());
  }

  /**
   * {@code https://bedrock-runtime.<region>.<partition suffix>}, built from parts (scheme, host)
   * and checked: the host must be exactly that name, with no user info, port or path, whatever the
   * region held. The region used to be concatenated into a URL string, so {@code
   * x@169.254.169.254#} made the metadata service the upstream host (issue 15, finding 2).
   */
  static URI regional(String region) {
    if (!AwsRegions.isValid(region)) {
      throw refused();
    }
    String host = "bedrock-runtime." + region + "." + dnsSuffix(region);
    URI uri;
    try {
      uri = new URI("https", null, host, -1, null, null, null);
    } catch (URISyntaxException e) {
      throw refused();
    }
    if (!host.equals(uri.getHost()) || uri.getRawUserInfo() != null || uri.getPort() != -1) {
      throw refused();
    }
    return uri;
  }

  private static ProviderUnavailableException refused() {
    return new ProviderUnavailableException(
        ProviderUnavailableException.Kind.UNAVAILABLE,
        Billing.NOT_BILLED,
        false,
        "the deployment's region is not an AWS region");
  }

  /** The SDK's partition table: amazonaws.com, amazonaws.com.cn for China ... never user input. */
  private static String dnsSuffix(String region) {
    PartitionMetadata p = PartitionMetadata.of(Region.of(region));
    String suffix = p == null ? null : p.dnsSuffix();
    return suffix != null && suffix.matches("[a-z0-9.-]+") ? suffix : "amazonaws.com";
  }

  /**
   * {@code /model/{modelId}/converse} or {@code /converse-stream}, the id percent-encoded as the
   * SDK encodes URI labels: everything but unreserved characters, so {@code :} becomes {@code %3A}
   * and an ARN's {@code /} becomes {@code %2F} (reference doc 0.2).
   */
  String path(Target t, String modelId, boolean stream) {
    return path(t, modelId, stream ? "converse-stream" : "converse");
  }

  /** {@code /model/{modelId}/{operation}}, e.g. {@code count-tokens}. */
  String path(Target t, String modelId, String operation) {
    String model = modelPaths.computeIfAbsent(modelId, BedrockEndpoints::encode);
    return t.pathPrefix() + "/model/" + model + "/" + operation;
  }

  /** {@code /model/{modelId}/invoke} (InvokeModel: the embedding models), encoded as above. */
  String invokePath(Target t, String modelId) {
    String model = modelPaths.computeIfAbsent(modelId, BedrockEndpoints::encode);
    return t.pathPrefix() + "/model/" + model + "/invoke";
  }

  static String encode(String label) {
    StringBuilder sb = new StringBuilder(label.length() + 8);
    for (byte b : label.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        sb.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }
}
