package io.llmgateway.postgres;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.identity.ApiKeys;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserRole;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Builders for domain values used across the adapter tests. */
final class TestData {
  /** A fixed instant at microsecond precision (PostgreSQL keeps microseconds). */
  static final Instant NOW = Instant.parse("2026-11-27T10:15:30.123456Z");

  private TestData() {}

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  static Team team(String id) {
    return new Team(
        id,
        "alias-" + id,
        Optional.of("coding"),
        List.of("model-cheap", "model-smart"),
        List.of(BudgetLimit.daily(Money.ofUsd("10")), BudgetLimit.monthly(Money.ofUsd("100"))),
        List.of(BudgetLimit.daily(Money.ofUsd("0.017"))),
        RateLimits.NONE,
        false,
        Map.of("cost_center", "42", "nested", Map.of("a", 1)),
        NOW,
        NOW,
        Optional.empty());
  }

  static User user(String id, Optional<String> teamId) {
    return new User(
        id,
        Optional.of(id + "@example.com"),
        Optional.of("User " + id),
        teamId,
        UserRole.INTERNAL_USER,
        List.of(),
        List.of(BudgetLimit.daily(Money.ofUsd("0.5"))),
        RateLimits.NONE,
        Map.of(),
        NOW,
        NOW,
        Optional.empty());
  }

  static VirtualKey key(
      String id, String plaintext, Optional<String> userId, Optional<String> teamId) {
    return new VirtualKey(
        id,
        KeyHash.of(plaintext),
        ApiKeys.displayPrefix(plaintext),
        Optional.of("alias-" + id),
        userId,
        teamId,
        KeyRole.LLM_API,
        List.of("model-cheap"),
        List.of(BudgetLimit.monthly(Money.ofUsd("3"))),
        new RateLimits(
            java.util.OptionalLong.of(60),
            java.util.OptionalLong.empty(),
            java.util.OptionalLong.of(2)),
        false,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Map.of("purpose", "tests"),
        NOW,
        NOW,
        Optional.empty());
  }

  static CounterKey teamDaily(String teamId, Instant at) {
    return new CounterKey(
        BudgetScope.team(teamId),
        BudgetWindow.DAILY,
        BudgetWindow.DAILY.periodAt(at, ZoneOffset.UTC).key());
  }

  static BudgetLine line(CounterKey key, Money limit) {
    return new BudgetLine(key, limit, NOW.plus(1, ChronoUnit.DAYS));
  }

  static SpendRecord pending(String requestId, String teamId, Instant startedAt) {
    return new SpendRecord(
        requestId,
        "key_1",
        Optional.of("user_1"),
        Optional.of(teamId),
        "model-cheap",
        Optional.of("nova-micro"),
        Optional.empty(),
        Money.ZERO,
        SpendStatus.PENDING,
        Optional.empty(),
        0,
        startedAt,
        startedAt);
  }

  static SpendRecord finished(SpendRecord pending, Money cost, Instant endedAt) {
    return pending.finish(
        Optional.of(TokenUsage.reported(100, 20)),
        cost,
        SpendStatus.SUCCESS,
        Optional.empty(),
        endedAt);
  }

  static ReservationRequest reservation(
      String id, List<BudgetLine> lines, Money amount, Instant now, Instant expiresAt) {
    String teamId = lines.isEmpty() ? "none" : lines.get(0).counter().scope().id();
    return new ReservationRequest(id, lines, amount, now, expiresAt, pending(id, teamId, now));
  }

  static String id(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
  }
}
