package io.llmgateway.bedrock;

import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Authenticates requests with a scheme chosen once, when the provider is built: explicit static
 * credentials always sign with SigV4, even when a Bedrock API key is in the environment (reference
 * doc 0.7: the SDK would prefer the key; explicit credentials must win); otherwise a Bedrock API
 * key ({@code AWS_BEARER_TOKEN_BEDROCK}, system property {@code aws.bearerTokenBedrock}) is sent as
 * {@code Authorization: Bearer}; otherwise SigV4 with the default credential chain, resolved per
 * call (the chain caches and refreshes credentials itself). SigV4 is the SDK's own {@link
 * AwsV4HttpSigner} with signing name {@code bedrock} (not "bedrock-runtime", reference doc 1.1),
 * payload signed. Thread-safe; {@link #close()} releases the credential chain.
 */
final class BedrockAuth implements AutoCloseable {
  static final String SIGNING_NAME = "bedrock";

  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final AwsCredentialsProvider credentials;
  private final String bearer;

  private BedrockAuth(AwsCredentialsProvider credentials, String bearer) {
    this.credentials = credentials;
    this.bearer = bearer;
  }

  static BedrockAuth from(BedrockSettings settings) {
    if (settings.staticCredentials().isPresent()) {
      BedrockSettings.StaticCredentials c = settings.staticCredentials().get();
      return new BedrockAuth(
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())),
          null);
    }
    Optional<String> token = environmentBearerToken();
    if (token.isPresent()) {
      return new BedrockAuth(null, token.get());
    }
    return new BedrockAuth(DefaultCredentialsProvider.builder().build(), null);
  }

  static Optional<String> environmentBearerToken() {
    String v = System.getProperty("aws.bearerTokenBedrock");
    if (v == null || v.isBlank()) {
      v = System.getenv("AWS_BEARER_TOKEN_BEDROCK");
    }
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  /** Bearer or SigV4, as chosen at construction. */
  boolean usesBearerToken() {
    return bearer != null;
  }

  /** The request with its authentication headers added (for SigV4 also x-amz-date etc.). */
  SdkHttpRequest authenticate(SdkHttpRequest request, byte[] body, String region) {
    if (bearer != null) {
      return request.toBuilder().putHeader("Authorization", "Bearer " + bearer).build();
    }
    AwsCredentials identity;
    try {
      identity = credentials.resolveCredentials();
    } catch (RuntimeException e) {
      throw TransportErrors.unauthenticated(e);
    }
    return signer
        .sign(
            r ->
                r.identity(identity)
                    .request(request)
                    .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME))
        .request();
  }

  @Override
  public void close() {
    if (credentials instanceof SdkAutoCloseable c) {
      c.close();
    }
  }
}
