package io.llmgateway.core.admin;

import io.llmgateway.core.budget.BudgetIncrease;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.VirtualKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Audit snapshots: plain maps of strings, numbers, booleans, lists and maps that any store can
 * serialise. A key's snapshot holds its display prefix, never its hash or plaintext.
 */
final class Snapshots {
  private Snapshots() {}

  static Map<String, Object> of(Team t) {
    var m = new LinkedHashMap<String, Object>();
    m.put("team_id", t.id());
    m.put("team_alias", t.alias());
    t.tier().ifPresent(v -> m.put("tier", v));
    m.put("models", t.models());
    m.put("team_budgets", budgets(t.teamBudgets()));
    m.put("member_budgets", budgets(t.memberBudgets()));
    increase(m, t.budgetIncrease());
    m.put("rate_limits", rateLimits(t.rateLimits()));
    m.put("blocked", t.blocked());
    m.put("metadata", t.metadata());
    return m;
  }

  static Map<String, Object> of(User u) {
    var m = new LinkedHashMap<String, Object>();
    m.put("user_id", u.id());
    u.email().ifPresent(v -> m.put("user_email", v));
    u.alias().ifPresent(v -> m.put("user_alias", v));
    u.teamId().ifPresent(v -> m.put("team_id", v));
    m.put("user_role", u.role().name().toLowerCase(java.util.Locale.ROOT));
    m.put("models", u.models());
    m.put("budgets", budgets(u.budgets()));
    increase(m, u.budgetIncrease());
    m.put("rate_limits", rateLimits(u.rateLimits()));
    m.put("metadata", u.metadata());
    return m;
  }

  static Map<String, Object> of(VirtualKey k) {
    var m = new LinkedHashMap<String, Object>();
    m.put("key_id", k.id());
    m.put("key_name", k.displayPrefix());
    k.alias().ifPresent(v -> m.put("key_alias", v));
    k.userId().ifPresent(v -> m.put("user_id", v));
    k.teamId().ifPresent(v -> m.put("team_id", v));
    m.put("role", k.role().name().toLowerCase(java.util.Locale.ROOT));
    m.put("models", k.models());
    m.put("budgets", budgets(k.budgets()));
    increase(m, k.budgetIncrease());
    m.put("rate_limits", rateLimits(k.rateLimits()));
    m.put("blocked", k.blocked());
    k.expiresAt().ifPresent(v -> m.put("expires", v.toString()));
    k.graceUntil().ifPresent(v -> m.put("previous_key_valid_until", v.toString()));
    m.put("metadata", k.metadata());
    return m;
  }

  static Map<String, Object> of(Deployment d) {
    var m = new LinkedHashMap<String, Object>();
    m.put("deployment_id", d.id());
    m.put("model_name", d.modelName());
    m.put("provider", d.provider());
    m.put("provider_model_id", d.providerModelId());
    d.region().ifPresent(v -> m.put("region", v));
    d.endpoint().ifPresent(v -> m.put("endpoint", v.toString()));
    m.put("input_usd_per_million", d.pricing().input().perMillionUsd().toPlainString());
    m.put("output_usd_per_million", d.pricing().output().perMillionUsd().toPlainString());
    m.put("context_window", d.contextWindow());
    m.put("max_output_tokens", d.maxOutputTokens());
    m.put("source", d.source().name().toLowerCase(java.util.Locale.ROOT));
    return m;
  }

  private static List<Map<String, Object>> budgets(List<BudgetLimit> limits) {
    return limits.stream()
        .map(
            l ->
                Map.<String, Object>of(
                    "window", l.window().label(), "limit_usd", l.limit().toUsdString()))
        .toList();
  }

  /** A temporary increase, under LiteLLM's names, so the audit log shows who raised what. */
  private static void increase(Map<String, Object> m, java.util.Optional<BudgetIncrease> i) {
    i.ifPresent(
        v -> {
          m.put("temp_budget_increase", v.amount().toUsdString());
          m.put("temp_budget_expiry", v.expiresAt().toString());
        });
  }

  private static Map<String, Object> rateLimits(RateLimits r) {
    var m = new LinkedHashMap<String, Object>();
    r.rpm().ifPresent(v -> m.put("rpm", v));
    r.tpm().ifPresent(v -> m.put("tpm", v));
    r.maxParallel().ifPresent(v -> m.put("max_parallel_requests", v));
    return m;
  }
}
