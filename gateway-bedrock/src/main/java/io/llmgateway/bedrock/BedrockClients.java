package io.llmgateway.bedrock;

import io.llmgateway.core.catalog.Deployment;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClientBuilder;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeBaseClientBuilder;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClientBuilder;
import software.amazon.awssdk.services.bedrockruntime.auth.scheme.BedrockRuntimeAuthSchemeProvider;

/**
 * Builds and caches one sync client (Converse) and one async client (ConverseStream) per (region,
 * endpoint). Thread-safe; {@link #close()} releases every client.
 */
final class BedrockClients implements AutoCloseable {

  static final String DEFAULT_REGION = "us-east-1";

  /** Which clients to use. An empty endpoint lets the SDK resolve env/profile/regional defaults. */
  record Key(String region, Optional<URI> endpoint) {}

  private final BedrockSettings settings;
  private final AwsCredentialsProvider credentials;
  private final ConcurrentHashMap<Key, BedrockRuntimeClient> sync = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Key, BedrockRuntimeAsyncClient> async = new ConcurrentHashMap<>();

  BedrockClients(BedrockSettings settings) {
    this.settings = settings;
    this.credentials =
        settings
            .staticCredentials()
            .<AwsCredentialsProvider>map(
                c ->
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())))
            .orElseGet(() -> DefaultCredentialsProvider.builder().build());
  }

  BedrockRuntimeClient sync(Key key) {
    return sync.computeIfAbsent(key, this::buildSync);
  }

  BedrockRuntimeAsyncClient async(Key key) {
    return async.computeIfAbsent(key, this::buildAsync);
  }

  private BedrockRuntimeClient buildSync(Key key) {
    BedrockRuntimeClientBuilder b =
        BedrockRuntimeClient.builder()
            .region(Region.of(key.region()))
            .credentialsProvider(credentials)
            // The whole answer arrives after generation, so the socket read waits first-byte long.
            .httpClientBuilder(
                Apache5HttpClient.builder()
                    .connectionTimeout(settings.connectTimeout())
                    .socketTimeout(settings.firstByteTimeout()))
            .overrideConfiguration(overrides());
    key.endpoint().ifPresent(b::endpointOverride);
    forceSigV4IfStatic(b);
    return b.build();
  }

  private BedrockRuntimeAsyncClient buildAsync(Key key) {
    NettyNioAsyncHttpClient.Builder http =
        NettyNioAsyncHttpClient.builder()
            .connectionTimeout(settings.connectTimeout())
            // A backstop only: BedrockChatStream enforces first-byte and idle timeouts itself.
            .readTimeout(backstop());
    if (settings.protocol() == BedrockSettings.Protocol.HTTP1_1) {
      // The service default is HTTP/2 (h2c prior knowledge over http://), which HTTP/1.1-only
      // servers reject with "First received frame was not SETTINGS" (reference doc 0.1).
      http.protocol(Protocol.HTTP1_1);
    }
    BedrockRuntimeAsyncClientBuilder b =
        BedrockRuntimeAsyncClient.builder()
            .region(Region.of(key.region()))
            .credentialsProvider(credentials)
            .httpClientBuilder(http)
            .overrideConfiguration(overrides());
    key.endpoint().ifPresent(b::endpointOverride);
    forceSigV4IfStatic(b);
    return b.build();
  }

  private Duration backstop() {
    Duration longer =
        settings.firstByteTimeout().compareTo(settings.streamIdleTimeout()) > 0
            ? settings.firstByteTimeout()
            : settings.streamIdleTimeout();
    return longer.plusSeconds(5);
  }

  private ClientOverrideConfiguration overrides() {
    // No SDK retries: a retried stream replays already-delivered events into the same handler
    // (reference doc 0.3). The gateway retries or fails over itself, before the first byte only.
    return ClientOverrideConfiguration.builder()
        .retryStrategy(r -> r.maxAttempts(1))
        .apiCallTimeout(settings.callTimeout())
        .build();
  }

  private void forceSigV4IfStatic(BedrockRuntimeBaseClientBuilder<?, ?> b) {
    if (settings.staticCredentials().isEmpty()) {
      return;
    }
    // With AWS_BEARER_TOKEN_BEDROCK (or aws.bearerTokenBedrock) set, the SDK prefers bearer auth
    // even over explicit credentials (reference doc 0.7). Explicit credentials must win.
    BedrockRuntimeAuthSchemeProvider defaults = BedrockRuntimeAuthSchemeProvider.defaultProvider();
    b.authSchemeProvider(
        params ->
            defaults.resolveAuthScheme(params).stream()
                .filter(o -> o.schemeId().endsWith("sigv4"))
                .toList());
  }

  /** Region defaults to us-east-1; the deployment's endpoint wins over the settings' one. */
  Key keyFor(Deployment d) {
    return new Key(
        d.region().filter(r -> !r.isBlank()).orElse(DEFAULT_REGION),
        d.endpoint().or(settings::endpoint));
  }

  @Override
  public void close() {
    sync.values().forEach(BedrockRuntimeClient::close);
    async.values().forEach(BedrockRuntimeAsyncClient::close);
    sync.clear();
    async.clear();
  }
}
