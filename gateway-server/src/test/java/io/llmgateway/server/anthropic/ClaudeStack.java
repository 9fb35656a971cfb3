package io.llmgateway.server.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import io.llmgateway.config.ConfigFiles;
import io.llmgateway.config.ConfigSync;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.server.support.GatewayStack;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Test support: a {@link GatewayStack} with this test's own Claude model ({@code claude-test} on a
 * {@code us.anthropic...} inference profile, Sonnet 4.5 prices with cache read and write prices)
 * and a tier allowing it, and the official Anthropic SDK pointed at the gateway.
 */
final class ClaudeStack {
  static final String MODEL = "claude-test";
  static final String TIER = "claude-coder";
  static final String PROFILE = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

  private ClaudeStack() {}

  static GatewayStack start() {
    GatewayStack stack = GatewayStack.start();
    Path dir = Path.of("src", "test", "resources", "anthropic");
    ConfigSync.syncModels(
        stack.admin,
        Principal.MASTER,
        ConfigFiles.models(dir.resolve("claude-models.yaml")),
        false);
    ConfigSync.syncTiers(
        stack.admin, Principal.MASTER, ConfigFiles.tiers(dir.resolve("claude-tiers.yaml")), false);
    return stack;
  }

  /** The SDK sending the key as {@code x-api-key} (ANTHROPIC_API_KEY), without retries. */
  static AnthropicClient apiKeyClient(GatewayStack stack, String key) {
    return AnthropicOkHttpClient.builder()
        .apiKey(key)
        .baseUrl(stack.server.baseUrl())
        .maxRetries(0)
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  /** The SDK sending {@code Authorization: Bearer} (ANTHROPIC_AUTH_TOKEN, as Claude Code does). */
  static AnthropicClient bearerClient(GatewayStack stack, String key) {
    return AnthropicOkHttpClient.builder()
        .authToken(key)
        .baseUrl(stack.server.baseUrl())
        .maxRetries(0)
        .timeout(Duration.ofSeconds(30))
        .build();
  }
}
