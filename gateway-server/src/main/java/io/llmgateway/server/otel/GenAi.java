package io.llmgateway.server.otel;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * The span attribute names: OpenTelemetry's GenAI and HTTP semantic conventions where they have
 * one, {@code gateway.*} for what is the gateway's own (cost, ids, outcome). Listed in
 * docs/OBSERVABILITY.md.
 */
final class GenAi {
  private GenAi() {}

  static final AttributeKey<String> OPERATION_NAME =
      AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");

  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<Long> REQUEST_MAX_TOKENS =
      AttributeKey.longKey("gen_ai.request.max_tokens");
  static final AttributeKey<String> RESPONSE_MODEL =
      AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<String> RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
  static final AttributeKey<List<String>> RESPONSE_FINISH_REASONS =
      AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<Long> USAGE_INPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> USAGE_OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<Long> USAGE_CACHE_READ_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
  static final AttributeKey<Long> USAGE_CACHE_CREATION_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
  static final AttributeKey<String> INPUT_MESSAGES =
      AttributeKey.stringKey("gen_ai.input.messages");
  static final AttributeKey<String> OUTPUT_MESSAGES =
      AttributeKey.stringKey("gen_ai.output.messages");
  static final AttributeKey<Double> TIME_TO_FIRST_TOKEN =
      AttributeKey.doubleKey("gen_ai.server.time_to_first_token");

  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> CLOUD_REGION = AttributeKey.stringKey("cloud.region");
  static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");

  static final AttributeKey<Long> GATEWAY_COST_NANO_USD =
      AttributeKey.longKey("gateway.cost.nano_usd");
  static final AttributeKey<String> GATEWAY_OUTCOME = AttributeKey.stringKey("gateway.outcome");
  static final AttributeKey<String> GATEWAY_REQUEST_ID =
      AttributeKey.stringKey("gateway.request.id");
  static final AttributeKey<String> GATEWAY_KEY_ID = AttributeKey.stringKey("gateway.key.id");
  static final AttributeKey<String> GATEWAY_USER_ID = AttributeKey.stringKey("gateway.user.id");
  static final AttributeKey<String> GATEWAY_TEAM_ID = AttributeKey.stringKey("gateway.team.id");
  static final AttributeKey<String> GATEWAY_DEPLOYMENT =
      AttributeKey.stringKey("gateway.deployment.id");
  static final AttributeKey<Long> GATEWAY_ATTEMPT = AttributeKey.longKey("gateway.attempt");
  static final AttributeKey<Boolean> GATEWAY_STREAM = AttributeKey.booleanKey("gateway.stream");
  static final AttributeKey<String> GATEWAY_USAGE_SOURCE =
      AttributeKey.stringKey("gateway.usage.source");

  /** The semantic conventions' provider name ({@code aws.bedrock}) for a deployment's provider. */
  static String providerName(String provider) {
    return switch (provider) {
      case "bedrock" -> "aws.bedrock";
      default -> provider;
    };
  }
}
