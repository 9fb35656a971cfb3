package io.llmgateway.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserRole;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.money.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The admin API's team, user and key objects (docs/ADMIN_API.md, the server's {@code Views}) read
 * back into the core's records, so a command prints the same thing in both modes. Stateless.
 */
final class ApiViews {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ApiViews() {}

  static Team team(JsonNode o) {
    return new Team(
        o.path("team_id").asText(),
        o.path("team_alias").asText(),
        text(o, "tier"),
        strings(o, "models"),
        budgets(o.path("budgets")),
        budgets(o.path("member_budgets")),
        rates(o),
        o.path("blocked").asBoolean(),
        metadata(o),
        Instant.parse(o.path("created_at").asText()),
        Instant.parse(o.path("updated_at").asText()),
        Optional.empty());
  }

  static User user(JsonNode o) {
    return new User(
        o.path("user_id").asText(),
        text(o, "user_email"),
        text(o, "user_alias"),
        text(o, "team_id"),
        UserRole.valueOf(o.path("user_role").asText().toUpperCase(Locale.ROOT)),
        strings(o, "models"),
        // own_budgets: the user's overrides; "budgets" folds in the team's member budgets.
        budgets(o.path("own_budgets")),
        rates(o),
        metadata(o),
        Instant.parse(o.path("created_at").asText()),
        Instant.parse(o.path("updated_at").asText()),
        Optional.empty());
  }

  static VirtualKey key(JsonNode o) {
    String id = o.path("token_id").asText();
    return new VirtualKey(
        id,
        // The API never returns a key's hash; the CLI never uses it. A stand-in derived from the
        // id keeps the record valid and matches no real key.
        KeyHash.of("not-a-key:" + id),
        o.path("key_name").asText(),
        text(o, "key_alias"),
        text(o, "user_id"),
        text(o, "team_id"),
        KeyRole.valueOf(o.path("key_type").asText().toUpperCase(Locale.ROOT)),
        strings(o, "models"),
        budgets(o.path("budgets")),
        rates(o),
        o.path("blocked").asBoolean(),
        text(o, "expires").map(Instant::parse),
        Optional.empty(),
        text(o, "previous_key_valid_until").map(Instant::parse),
        metadata(o),
        Instant.parse(o.path("created_at").asText()),
        Instant.parse(o.path("updated_at").asText()),
        Optional.empty());
  }

  static Optional<String> text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
  }

  private static List<String> strings(JsonNode o, String field) {
    List<String> out = new ArrayList<>();
    o.path(field).forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<BudgetLimit> budgets(JsonNode list) {
    List<BudgetLimit> out = new ArrayList<>();
    for (JsonNode b : list) {
      // Money is read from the exact decimal text, never through a double.
      out.add(
          new BudgetLimit(
              BudgetWindow.parse(b.path("window").asText()),
              Money.ofUsd(b.path("max_budget").decimalValue())));
    }
    return out;
  }

  private static RateLimits rates(JsonNode o) {
    return new RateLimits(
        optionalLong(o, "rpm_limit"),
        optionalLong(o, "tpm_limit"),
        optionalLong(o, "max_parallel_requests"));
  }

  private static OptionalLong optionalLong(JsonNode o, String field) {
    JsonNode v = o.get(field);
    return v == null || v.isNull() ? OptionalLong.empty() : OptionalLong.of(v.asLong());
  }

  private static Map<String, Object> metadata(JsonNode o) {
    JsonNode m = o.get("metadata");
    if (m == null || !m.isObject()) {
      return Map.of();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = MAPPER.convertValue(m, Map.class);
    return map;
  }
}
