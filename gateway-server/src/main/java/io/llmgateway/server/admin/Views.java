package io.llmgateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.admin.BudgetStatus;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.money.Price;
import java.util.List;
import java.util.Locale;

/**
 * Admin objects as LiteLLM's JSON (field names from LiteLLM's {@code _types.py}), plus our
 * multi-window {@code budgets}. A key view never holds the key's hash or plaintext: its {@code
 * token}/{@code token_id} is the key's stable id. A deployment view never holds a credential or an
 * endpoint. Stateless.
 */
final class Views {
  private Views() {}

  static String keyType(KeyRole role) {
    return role.name().toLowerCase(Locale.ROOT);
  }

  static ObjectNode key(VirtualKey k, List<BudgetStatus> statuses, ObjectMapper mapper) {
    ObjectNode o = AdminJson.object();
    o.put("token", k.id());
    o.put("token_id", k.id());
    o.put("key_name", k.displayPrefix());
    o.set("key_alias", AdminJson.text(k.alias()));
    o.set("user_id", AdminJson.text(k.userId()));
    o.set("team_id", AdminJson.text(k.teamId()));
    o.put("key_type", keyType(k.role()));
    o.set("models", strings(k.models()));
    Limits.writeBudgets(o, k.budgets(), statuses, "max_budget", "budget_duration", "budgets");
    Limits.writeSpend(o, statuses);
    Limits.writeRateLimits(o, k.rateLimits());
    o.put("blocked", k.blocked());
    TempBudget.write(o, k.budgetIncrease(), statuses);
    o.set("expires", AdminJson.time(k.expiresAt()));
    k.graceUntil().ifPresent(g -> o.put("previous_key_valid_until", g.toString()));
    o.set("metadata", mapper.valueToTree(k.metadata()));
    o.put("created_at", k.createdAt().toString());
    o.put("updated_at", k.updatedAt().toString());
    return o;
  }

  static ObjectNode team(Team t, List<BudgetStatus> statuses, ObjectMapper mapper) {
    ObjectNode o = AdminJson.object();
    o.put("team_id", t.id());
    o.put("team_alias", t.alias());
    o.set("tier", AdminJson.text(t.tier()));
    o.set("models", strings(t.models()));
    Limits.writeBudgets(o, t.teamBudgets(), statuses, "max_budget", "budget_duration", "budgets");
    Limits.writeSpend(o, statuses);
    Limits.writeBudgets(
        o,
        t.memberBudgets(),
        List.of(),
        "team_member_budget",
        "team_member_budget_duration",
        "member_budgets");
    TempBudget.write(o, t.budgetIncrease(), statuses);
    Limits.writeRateLimits(o, t.rateLimits());
    o.put("blocked", t.blocked());
    o.set("metadata", mapper.valueToTree(t.metadata()));
    o.put("created_at", t.createdAt().toString());
    o.put("updated_at", t.updatedAt().toString());
    return o;
  }

  static ObjectNode user(User u, List<BudgetStatus> statuses, ObjectMapper mapper) {
    ObjectNode o = AdminJson.object();
    o.put("user_id", u.id());
    o.set("user_email", AdminJson.text(u.email()));
    o.set("user_alias", AdminJson.text(u.alias()));
    o.put("user_role", u.role().name().toLowerCase(Locale.ROOT));
    o.set("team_id", AdminJson.text(u.teamId()));
    o.set("teams", strings(u.teamId().stream().toList()));
    o.set("models", strings(u.models()));
    // A user's effective budgets: its own, else its team's per-member budget, window by window.
    Limits.writeBudgets(
        o,
        statuses.stream().map(s -> new BudgetLimit(s.window(), s.limit())).toList(),
        statuses,
        "max_budget",
        "budget_duration",
        "budgets");
    Limits.writeSpend(o, statuses);
    // The user's own overrides, without the team's member budgets.
    ArrayNode own = o.putArray("own_budgets");
    for (BudgetLimit b : u.budgets()) {
      ObjectNode item = own.addObject();
      item.put("window", b.window().label());
      item.set("max_budget", AdminJson.money(b.limit()));
    }
    TempBudget.write(o, u.budgetIncrease(), statuses);
    Limits.writeRateLimits(o, u.rateLimits());
    o.set("metadata", mapper.valueToTree(u.metadata()));
    o.put("created_at", u.createdAt().toString());
    o.put("updated_at", u.updatedAt().toString());
    return o;
  }

  /** LiteLLM's {@code model_info} entry: {@code model_name}, {@code litellm_params}, info. */
  static ObjectNode deployment(Deployment d) {
    ObjectNode o = AdminJson.object();
    o.put("model_name", d.modelName());
    ObjectNode params = o.putObject("litellm_params");
    params.put("model", litellmModel(d));
    d.region().ifPresent(r -> params.put("aws_region_name", r));
    ObjectNode info = o.putObject("model_info");
    info.put("id", d.id());
    info.put("db_model", d.source() == Deployment.Source.API);
    info.put("source", d.source().name().toLowerCase(Locale.ROOT));
    info.put("mode", "chat");
    info.put(
        "litellm_provider", d.provider().equals("bedrock") ? "bedrock_converse" : d.provider());
    info.put("max_tokens", d.maxOutputTokens());
    info.put("max_input_tokens", d.contextWindow());
    info.put("max_output_tokens", d.maxOutputTokens());
    info.put("context_window", d.contextWindow());
    info.set("input_cost_per_token", perToken(d.pricing().input()));
    info.set("output_cost_per_token", perToken(d.pricing().output()));
    info.set("input_cost_per_million_tokens", perMillion(d.pricing().input()));
    info.set("output_cost_per_million_tokens", perMillion(d.pricing().output()));
    info.set("cache_read_cost_per_million_tokens", perMillion(d.pricing().cacheRead()));
    info.set("cache_write_cost_per_million_tokens", perMillion(d.pricing().cacheWrite()));
    return o;
  }

  static String litellmModel(Deployment d) {
    return switch (d.provider()) {
      case "bedrock" -> "bedrock/converse/" + d.providerModelId();
      default -> d.provider() + "/" + d.providerModelId();
    };
  }

  private static JsonNode perMillion(Price p) {
    return AdminJson.NODES.numberNode(p.perMillionUsd().stripTrailingZeros());
  }

  private static JsonNode perToken(Price p) {
    return AdminJson.NODES.numberNode(p.perMillionUsd().movePointLeft(6).stripTrailingZeros());
  }

  static ArrayNode strings(List<String> values) {
    ArrayNode a = AdminJson.array();
    values.forEach(a::add);
    return a;
  }
}
