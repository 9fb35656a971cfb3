package io.llmgateway.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.cli.CliException;
import io.llmgateway.core.admin.TeamPatch;
import io.llmgateway.core.admin.TeamSpec;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.money.Price;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendTotal;
import java.net.http.HttpResponse;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The admin API's teams (writes), models and spend reports for {@link HttpAdmin}: {@code
 * /team/new|update}, {@code /model/info|new|update} and {@code /global/spend/report}, read back
 * into the core's records so a command prints what it prints on the database. Thread-safe.
 */
final class ApiCatalog {
  private final ApiTransport api;
  private final ObjectMapper json = new ObjectMapper();
  private volatile ZoneId zone;

  ApiCatalog(ApiTransport api) {
    this.api = api;
  }

  void createTeam(TeamSpec spec) {
    ObjectNode b = json.createObjectNode();
    spec.teamId().ifPresent(v -> b.put("team_id", v));
    b.put("team_alias", spec.alias());
    spec.tier().ifPresent(v -> b.put("tier", v));
    ApiBodies.models(b, spec.models());
    ApiBodies.budgets(b, "budgets", spec.teamBudgets());
    ApiBodies.budgets(b, "member_budgets", spec.memberBudgets());
    ApiBodies.rateLimits(b, spec.rateLimits());
    b.set("metadata", json.valueToTree(spec.metadata()));
    api.read(api.send(api.post("/team/new", b)));
  }

  void updateTeam(String teamId, TeamPatch patch) {
    ObjectNode b = json.createObjectNode().put("team_id", teamId);
    patch.alias().ifPresent(v -> b.put("team_alias", v));
    patch.tier().ifPresent(v -> b.put("tier", v));
    patch.models().ifPresent(v -> ApiBodies.models(b, v));
    patch.teamBudgets().ifPresent(v -> ApiBodies.budgets(b, "budgets", v));
    patch.memberBudgets().ifPresent(v -> ApiBodies.budgets(b, "member_budgets", v));
    patch.rateLimits().ifPresent(v -> ApiBodies.rateLimits(b, v));
    patch.blocked().ifPresent(v -> b.put("blocked", v));
    patch.metadata().ifPresent(v -> b.set("metadata", json.valueToTree(v)));
    ApiBodies.increase(b, patch.budgetIncrease());
    api.read(api.send(api.post("/team/update", b)));
  }

  /** The deployments the key may use, grouped by model in the order the server lists them. */
  List<LogicalModel> models() {
    JsonNode body = api.read(api.send(api.get("/model/info", Map.of())));
    Map<String, List<Deployment>> byModel = new LinkedHashMap<>();
    for (JsonNode d : body.path("data")) {
      Deployment dep = deployment(d);
      byModel.computeIfAbsent(dep.modelName(), k -> new ArrayList<>()).add(dep);
    }
    List<LogicalModel> out = new ArrayList<>();
    byModel.forEach((name, deps) -> out.add(new LogicalModel(name, List.copyOf(deps))));
    return out;
  }

  /**
   * Creates or replaces a deployment by its id: {@code /model/update} if the gateway has it, else
   * {@code /model/new}. A deployment of the gateway's own models file cannot be changed over the
   * API (409: the file wins); an endpoint override can only come from a models file.
   */
  void upsertDeployment(Deployment d, boolean exists) {
    if (d.endpoint().isPresent()) {
      throw CliException.validation(
          "deployment '"
              + d.id()
              + "' sets an endpoint, which the admin API never accepts: set it in the gateway's"
              + " own models file, or run 'models sync' on the database");
    }
    ObjectNode b = json.createObjectNode();
    if (exists) {
      b.put("model_id", d.id());
    }
    b.put("model_name", d.modelName());
    ObjectNode params = b.putObject("litellm_params");
    params.put(
        "model",
        d.provider().equals("bedrock")
            ? "bedrock/converse/" + d.providerModelId()
            : d.provider() + "/" + d.providerModelId());
    d.region().ifPresent(r -> params.put("aws_region_name", r));
    ObjectNode info = b.putObject("model_info");
    info.put("id", d.id());
    info.put("mode", "chat");
    info.put("input_cost_per_million_tokens", d.pricing().input().perMillionUsd());
    info.put("output_cost_per_million_tokens", d.pricing().output().perMillionUsd());
    info.put("cache_read_cost_per_million_tokens", d.pricing().cacheRead().perMillionUsd());
    info.put("cache_write_cost_per_million_tokens", d.pricing().cacheWrite().perMillionUsd());
    info.put("context_window", d.contextWindow());
    info.put("max_output_tokens", d.maxOutputTokens());
    api.read(api.send(api.post(exists ? "/model/update" : "/model/new", b)));
  }

  /**
   * What the API shows of a deployment is what a sync compares: never its endpoint (the API does
   * not show one) nor where it was defined (one created over the API is an API deployment).
   */
  static boolean sameAsShown(Deployment before, Deployment wanted) {
    return before.modelName().equals(wanted.modelName())
        && before.provider().equals(wanted.provider())
        && before.providerModelId().equals(wanted.providerModelId())
        && before.region().equals(wanted.region())
        && before.pricing().equals(wanted.pricing())
        && before.contextWindow() == wanted.contextWindow()
        && before.maxOutputTokens() == wanted.maxOutputTokens()
        && wanted.endpoint().isEmpty();
  }

  private static Deployment deployment(JsonNode d) {
    String model = d.at("/litellm_params/model").asText();
    String provider = model.substring(0, Math.max(0, model.indexOf('/')));
    String rest = model.substring(model.indexOf('/') + 1);
    String providerModel = rest.startsWith("converse/") ? rest.substring(9) : rest;
    JsonNode info = d.path("model_info");
    return new Deployment(
        info.path("id").asText(),
        d.path("model_name").asText(),
        provider,
        providerModel,
        ApiViews.text(d.path("litellm_params"), "aws_region_name"),
        Optional.empty(),
        new Pricing(
            price(info, "input_cost_per_million_tokens"),
            price(info, "output_cost_per_million_tokens"),
            price(info, "cache_read_cost_per_million_tokens"),
            price(info, "cache_write_cost_per_million_tokens")),
        info.path("context_window").asInt(),
        info.path("max_output_tokens").asInt(),
        Deployment.Source.valueOf(info.path("source").asText().toUpperCase(Locale.ROOT)));
  }

  /** From the exact decimal text, never through a double. */
  private static Price price(JsonNode info, String field) {
    return Price.perMillionUsd(info.path(field).decimalValue());
  }

  /**
   * Totals per group from {@code /global/spend/report} over exact instants, in the order the core
   * gives them (largest spend first, then the group), whatever order the route keeps for days.
   */
  List<SpendTotal> spendReport(SpendGroup group, Instant from, Instant to) {
    String field =
        switch (group) {
          case TEAM -> "team_id";
          case USER -> "user_id";
          case KEY -> "api_key";
          case MODEL -> "model";
          case DAY -> "group_by_day";
        };
    String groupBy = group == SpendGroup.TEAM ? "team_id" : group.name().toLowerCase(Locale.ROOT);
    HttpResponse<String> r =
        api.send(
            api.get(
                "/global/spend/report",
                ApiTransport.query(
                    "group_by",
                    groupBy,
                    "start_date",
                    from.toString(),
                    "end_date",
                    to.toString())));
    JsonNode body = api.read(r);
    remember(r);
    List<SpendTotal> rows = new ArrayList<>();
    for (JsonNode t : body) {
      rows.add(
          new SpendTotal(
              t.path(field).asText(),
              t.path("total_requests").asLong(),
              t.path("total_input_tokens").asLong(),
              t.path("total_output_tokens").asLong(),
              Money.ofUsd(t.path("total_spend").decimalValue())));
    }
    if (group == SpendGroup.DAY) {
      rows.sort(
          Comparator.comparing((SpendTotal t) -> t.cost().nanos())
              .reversed()
              .thenComparing(SpendTotal::group));
    }
    return rows;
  }

  /** The gateway's budget time zone, as its spend report names it (asked once). */
  ZoneId zone() {
    if (zone == null) {
      Instant now = Instant.now();
      spendReport(SpendGroup.DAY, now, now.plusMillis(1));
    }
    return zone;
  }

  private void remember(HttpResponse<String> r) {
    String id =
        r.headers()
            .firstValue("x-budget-timezone")
            .orElseThrow(
                () ->
                    CliException.validation(
                        "the gateway does not name its budget time zone (no x-budget-timezone"
                            + " header on /global/spend/report): it is older than this"
                            + " gateway-admin; use the database mode"));
    try {
      zone = ZoneId.of(id);
    } catch (DateTimeException e) {
      throw CliException.validation("the gateway names an unknown time zone '" + id + "'");
    }
  }
}
