package io.llmgateway.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParseException;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.error.AuthenticationException;
import io.llmgateway.core.error.BudgetExceededException;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.error.ModelNotAllowedException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.error.PermissionDeniedException;
import io.llmgateway.core.error.ProviderRejectedException;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.error.RateLimitedException;
import io.llmgateway.core.error.StorageUnavailableException;
import io.llmgateway.core.error.UnknownModelException;
import io.llmgateway.core.money.Money;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {
  static final Instant NOW = Instant.parse("2026-11-27T22:00:00Z");
  final ErrorMapper mapper = new ErrorMapper(Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void mapsEveryGatewayErrorToTheDocumentedStatus() {
    assertThat(status(new AuthenticationException(AuthenticationException.Reason.UNKNOWN, "x")))
        .isEqualTo(401);
    assertThat(status(new PermissionDeniedException("x"))).isEqualTo(403);
    assertThat(status(new ModelNotAllowedException("m", List.of("a")))).isEqualTo(403);
    assertThat(status(new UnknownModelException("m"))).isEqualTo(404);
    assertThat(status(new NotFoundException("x"))).isEqualTo(404);
    assertThat(status(new ConflictException("x"))).isEqualTo(409);
    assertThat(status(new InvalidRequestException("x", "p"))).isEqualTo(400);
    assertThat(
            status(
                new RateLimitedException(
                    RateLimitedException.Limit.REQUESTS_PER_MINUTE,
                    "key",
                    1,
                    Duration.ofSeconds(20))))
        .isEqualTo(429);
    assertThat(status(new ProviderRejectedException(400, "x"))).isEqualTo(400);
    assertThat(status(new ProviderRejectedException(403, "x"))).isEqualTo(502);
    assertThat(status(unavailable(ProviderUnavailableException.Kind.THROTTLED))).isEqualTo(503);
    assertThat(status(unavailable(ProviderUnavailableException.Kind.UNAVAILABLE))).isEqualTo(503);
    assertThat(status(unavailable(ProviderUnavailableException.Kind.TIMEOUT))).isEqualTo(504);
    assertThat(status(unavailable(ProviderUnavailableException.Kind.BAD_RESPONSE))).isEqualTo(502);
    assertThat(status(new StorageUnavailableException("db down", null))).isEqualTo(503);
  }

  @Test
  void budgetRefusalSaysWhichWindowAndWhenItResets() {
    Instant reset = Instant.parse("2026-11-28T00:00:00Z");
    ApiError e =
        mapper.map(
            new BudgetExceededException(
                BudgetScope.user("ana"),
                BudgetWindow.DAILY,
                Money.ofUsd("0.017"),
                Money.ofUsd("0.0169"),
                reset));
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.type()).isEqualTo("budget_exceeded");
    assertThat(e.code()).isEqualTo("budget_exceeded");
    assertThat(e.message()).contains("daily").contains(reset.toString());
    assertThat(e.headers())
        .containsEntry("retry-after", "7200")
        .containsEntry("x-budget-window", "daily")
        .containsEntry("x-budget-scope", "user")
        .containsEntry("x-budget-limit-usd", "0.017");
  }

  @Test
  void rateLimitCarriesRetryAfterInWholeSeconds() {
    ApiError e =
        mapper.map(
            new RateLimitedException(
                RateLimitedException.Limit.TOKENS_PER_MINUTE,
                "key",
                1000,
                Duration.ofMillis(1500)));
    assertThat(e.headers()).containsEntry("retry-after", "2");
    assertThat(e.type()).isEqualTo("rate_limit_error");
  }

  @Test
  void unexpectedFailuresRevealNothing() {
    ApiError e = mapper.map(new IllegalStateException("password=hunter2 at db.internal"));
    assertThat(e.status()).isEqualTo(500);
    assertThat(e.message()).isEqualTo("internal error");
  }

  @Test
  void malformedJsonIs400() {
    ApiError e = mapper.map(new JsonParseException(null, "Unexpected character"));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.code()).isEqualTo("invalid_json");
  }

  private int status(Throwable t) {
    return mapper.map(t).status();
  }

  private static ProviderUnavailableException unavailable(ProviderUnavailableException.Kind kind) {
    return new ProviderUnavailableException(
        kind, io.llmgateway.core.error.Billing.NOT_BILLED, false, "x");
  }
}
