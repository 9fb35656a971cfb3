package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.errors.UnexpectedStatusCodeException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.support.GatewayStack;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every error status a client can meet, as the official SDK sees it. */
class ErrorStatusesTest {
  static GatewayStack stack;

  @BeforeAll
  static void start() {
    ServerConfig config =
        ServerConfig.forTests().toBuilder()
            .limits(ServerConfig.Limits.DEFAULT.withMaxBodyBytes(64 * 1024))
            .build();
    stack =
        GatewayStack.start(
            config, s -> s.toBuilder().firstByteTimeout(Duration.ofMillis(700)).build());
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @BeforeEach
  void resetStub() {
    stack.stub.reset();
  }

  @Test
  void unknownKeyIs401() {
    assertError(
        () -> call(stack.client("sk-not-a-real-key"), "model-cheap"),
        UnauthorizedException.class,
        401,
        "invalid_api_key");
  }

  @Test
  void blockedKeyIs401() {
    IssuedKey key = stack.key("drafting", s -> s);
    stack.admin.blockKey(Principal.MASTER, key.key().id(), true);
    assertError(
        () -> call(stack.client(key.plaintext()), "model-cheap"),
        UnauthorizedException.class,
        401,
        "blocked_api_key");
  }

  @Test
  void expiredKeyIs401() {
    IssuedKey key =
        stack.key("drafting", s -> s.toBuilder().duration(Duration.ofMinutes(5)).build());
    OpenAIClient client = stack.client(key.plaintext());
    call(client, "model-cheap");
    stack.clock.advance(Duration.ofMinutes(6));
    assertError(
        () -> call(client, "model-cheap"), UnauthorizedException.class, 401, "expired_api_key");
  }

  @Test
  void modelOutsideTheTierIs403NamingTheAllowedModels() {
    OpenAIServiceException e =
        assertError(
            () -> call(stack.client(stack.userKey("coding")), "model-cheap"),
            PermissionDeniedException.class,
            403,
            "model_not_allowed");
    assertThat(e.getMessage()).contains("model-balanced");
  }

  @Test
  void unknownModelIs404() {
    assertError(
        () -> call(stack.client(stack.userKey("coding")), "gpt-17"),
        NotFoundException.class,
        404,
        "model_not_found");
  }

  @Test
  void unsupportedParameterIs400() {
    OpenAIClient client = stack.client(stack.userKey("coding"));
    OpenAIServiceException e =
        assertError(
            () ->
                client
                    .chat()
                    .completions()
                    .create(
                        ChatCompletionCreateParams.builder()
                            .model("model-balanced")
                            .addUserMessage("hi")
                            .n(2)
                            .build()),
            BadRequestException.class,
            400,
            "invalid_request");
    assertThat(e.param()).contains("n");
  }

  @Test
  void oversizedBodyIs413() {
    assertError(
        () ->
            stack
                .client(stack.userKey("coding"))
                .chat()
                .completions()
                .create(
                    ChatCompletionCreateParams.builder()
                        .model("model-balanced")
                        .addUserMessage("y".repeat(100_000))
                        .build()),
        UnexpectedStatusCodeException.class,
        413,
        "request_too_large");
  }

  @Test
  void rateLimitIs429WithRetryAfter() {
    IssuedKey key =
        stack.key(
            "coding",
            s ->
                new KeySpec(
                    s.userId(),
                    s.teamId(),
                    s.alias(),
                    s.role(),
                    s.models(),
                    s.budgets(),
                    RateLimits.NONE.withRpm(OptionalLong.of(1)),
                    s.expiresAt(),
                    s.duration(),
                    false,
                    s.metadata(),
                    s.key()));
    OpenAIClient client = stack.client(key.plaintext());
    call(client, "model-balanced");
    OpenAIServiceException e =
        assertError(
            () -> call(client, "model-balanced"),
            RateLimitException.class,
            429,
            "rate_limit_exceeded");
    assertThat(e.headers().values("retry-after")).isNotEmpty();
    assertThat(e.type()).contains("rate_limit_error");
  }

  @Test
  void upstreamConfigurationRejectionIs502() {
    stack.stub.enqueue(StubResponse.error(403, "AccessDeniedException", "not authorized"));
    assertError(
        () -> call(stack.client(stack.userKey("coding")), "model-balanced"),
        InternalServerException.class,
        502,
        "provider_rejected");
  }

  @Test
  void upstreamOutageIs503() {
    for (int i = 0; i < 3; i++) {
      stack.stub.enqueue(StubResponse.error(503, "ServiceUnavailableException", "down"));
    }
    assertError(
        () -> call(stack.client(stack.userKey("coding")), "model-balanced"),
        InternalServerException.class,
        503,
        "provider_unavailable");
  }

  @Test
  void upstreamTimeoutIs504() {
    for (int i = 0; i < 3; i++) {
      stack.stub.enqueue(
          StubResponse.delayed(Duration.ofSeconds(2), StubResponse.text("late", 1, 1)));
    }
    assertError(
        () -> call(stack.client(stack.userKey("coding")), "model-balanced"),
        InternalServerException.class,
        504,
        "provider_timeout");
  }

  private static void call(OpenAIClient client, String model) {
    client
        .chat()
        .completions()
        .create(ChatCompletionCreateParams.builder().model(model).addUserMessage("Hi").build());
  }

  private static OpenAIServiceException assertError(
      Runnable call, Class<? extends OpenAIServiceException> type, int status, String code) {
    OpenAIServiceException[] caught = new OpenAIServiceException[1];
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            type,
            e -> {
              assertThat(e.statusCode()).isEqualTo(status);
              assertThat(e.code()).contains(code);
              assertThat(e.headers().values("x-request-id")).isNotEmpty();
              assertThat(e.getMessage()).doesNotContain("\tat ").doesNotContain("at io.llmgateway");
              caught[0] = e;
            });
    return caught[0];
  }
}
