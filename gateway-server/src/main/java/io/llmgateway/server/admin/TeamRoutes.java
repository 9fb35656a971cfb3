package io.llmgateway.server.admin;

import static io.llmgateway.server.admin.Policy.MASTER_OR_PROXY_ADMIN;
import static io.llmgateway.server.admin.Policy.TEAM_ADMIN_OK;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.BudgetStatus;
import io.llmgateway.core.admin.TeamPatch;
import io.llmgateway.core.admin.TeamSpec;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.spend.SpendGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /team/*}. A team is referenced by id or alias. {@code max_budget}/{@code budget_duration}
 * (and {@code budgets}) cap the whole team; {@code team_member_budget}/{@code
 * team_member_budget_duration} (and {@code member_budgets}) give each member its own budget. A user
 * belongs to at most one team. {@code /team/delete} refuses a team that still has members or keys
 * (409) rather than cascading.
 */
final class TeamRoutes {
  /** Members listed in a team view; larger teams are read through {@code /user/list?team=}. */
  static final int MAX_MEMBERS_SHOWN = 1000;

  static final Set<String> SETTINGS =
      Set.of(
          "team_alias",
          "tier",
          "models",
          "max_budget",
          "budget_duration",
          "budgets",
          "team_member_budget",
          "team_member_budget_duration",
          "member_budgets",
          "tpm_limit",
          "rpm_limit",
          "max_parallel_requests",
          "metadata");
  static final Set<String> NEW = KeyRoutes.union(SETTINGS, Set.of("team_id"));
  static final Set<String> UPDATE =
      KeyRoutes.union(KeyRoutes.union(SETTINGS, Set.of("team_id", "blocked")), TempBudget.FIELDS);

  private final AdminApi api;

  TeamRoutes(AdminApi api) {
    this.api = api;
  }

  List<AdminRoute> routes() {
    return List.of(
        AdminRoute.post("/team/new", MASTER_OR_PROXY_ADMIN, "Create a team", this::create),
        AdminRoute.get(
            "/team/info", TEAM_ADMIN_OK, "Read a team, its keys and members", this::info),
        AdminRoute.get("/team/list", TEAM_ADMIN_OK, "List teams (paginated)", this::list),
        AdminRoute.post("/team/update", MASTER_OR_PROXY_ADMIN, "Change a team", this::update),
        AdminRoute.post(
            "/team/delete",
            MASTER_OR_PROXY_ADMIN,
            "Delete empty teams (never cascades)",
            this::delete));
  }

  private JsonNode create(AdminCall call) throws Exception {
    Body b = call.body(api.fields(NEW)).collecting();
    api.validate(call, b); // s8-alerts
    Optional<String> teamId = b.text("team_id");
    Optional<String> alias = b.text("team_alias").or(() -> teamId);
    if (alias.isEmpty() && !b.problems().has("team_alias")) {
      b.problems().add("team_alias", "team_alias (or team_id) is required");
    }
    TierTeamRequest asked =
        new TierTeamRequest(
            teamId,
            b.text("tier"),
            b.textList("models").orElse(List.of()),
            b.collect(() -> Limits.budgets(b, "max_budget", "budget_duration", "budgets"))
                .orElse(List.of()),
            b.collect(
                    () ->
                        Limits.budgets(
                            b,
                            "team_member_budget",
                            "team_member_budget_duration",
                            "member_budgets"))
                .orElse(List.of()),
            b.collect(() -> Limits.rateLimits(b, RateLimits.NONE)).orElse(RateLimits.NONE),
            b.map("metadata", api.json().mapper()).orElse(Map.of()));
    TeamSpec.Builder draft =
        TeamSpec.draft(b.problems())
            .teamId(teamId)
            .alias(alias.orElse(null))
            .tier(asked.tier())
            .models(asked.models())
            .teamBudgets(asked.teamBudgets())
            .memberBudgets(asked.memberBudgets())
            .rateLimits(asked.rateLimits())
            .metadata(asked.metadata());
    if (b.problems().isEmpty()) {
      Optional<Team> tierTeam = existingTier(call.actor(), alias.orElseThrow(), asked);
      if (tierTeam.isPresent()) {
        ObjectNode o = view(call.actor(), tierTeam.get());
        o.set("members_with_roles", membersWithRoles(call.actor(), tierTeam.get().id()));
        o.put("note", TierTeamRequest.note(tierTeam.get()));
        return o;
      }
      taken(call.actor(), teamId, alias.orElseThrow());
    }
    Team team = api.admin().createTeam(call.actor(), draft);
    api.apply(call, AdminExtension.TEAM, team.id());
    ObjectNode o = view(call.actor(), team);
    o.set("members_with_roles", AdminJson.array());
    return o;
  }

  /**
   * The existing tier team a {@code /team/new} names by alias, when the request agrees with it
   * (seed step 7 on a configured server); 409 naming the differences when it does not.
   */
  private Optional<Team> existingTier(Principal actor, String alias, TierTeamRequest asked) {
    Optional<Team> t = find(actor, alias).filter(team -> team.tier().isPresent());
    if (t.isEmpty() || !t.get().alias().equals(alias)) {
      return Optional.empty();
    }
    List<String> differences = asked.differences(t.get());
    if (!differences.isEmpty()) {
      throw new ConflictException(
          "Team with alias '"
              + alias
              + "' already exists (team_id '"
              + t.get().id()
              + "', tier '"
              + t.get().tier().orElseThrow()
              + "') and this request disagrees with it: "
              + String.join("; ", differences)
              + ". The tier's budgets apply per member; change the tier in config/tiers.yaml or"
              + " the team with /team/update");
    }
    return t;
  }

  private void taken(Principal actor, Optional<String> teamId, String alias) {
    // LiteLLM's messages for taken ids; aliases are unique here too (a team is found by either).
    teamId.ifPresent(
        id -> {
          if (find(actor, id).isPresent()) {
            throw new ConflictException("Team id = " + id + " already exists");
          }
        });
    find(actor, alias)
        .ifPresent(
            t -> {
              throw new ConflictException(
                  "Team with alias '"
                      + alias
                      + "' already exists (team_id '"
                      + t.id()
                      + "'); change it with /team/update");
            });
  }

  private Optional<Team> find(Principal actor, String ref) {
    try {
      return Optional.of(api.admin().team(actor, ref));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  private JsonNode info(AdminCall call) {
    AdminCall.Query q = call.query(Set.of("team_id"));
    String ref =
        q.text("team_id").orElseThrow(() -> Body.invalid("team_id", "team_id is required"));
    Team team = api.admin().team(call.actor(), ref);
    ObjectNode o = AdminJson.object();
    o.put("team_id", team.id());
    ObjectNode info = view(call.actor(), team);
    WindowSpend.write(
        api, call.actor(), SpendGroup.TEAM, team.id(), info, !team.teamBudgets().isEmpty());
    List<User> members = members(call.actor(), team.id());
    List<VirtualKey> teamKeys = keys(call.actor(), team.id());
    info.set("members_with_roles", membersWithRoles(members, teamKeys));
    o.set("team_info", info);
    ArrayNode keys = o.putArray("keys");
    teamKeys.forEach(k -> keys.add(Views.key(k, List.of(), api.json().mapper())));
    ArrayNode memberships = o.putArray("team_memberships");
    for (User u : members) {
      ObjectNode m = memberships.addObject();
      m.put("user_id", u.id());
      m.put("team_id", team.id());
    }
    return o;
  }

  List<User> members(Principal actor, String teamId) {
    return api.admin()
        .users(actor, UserQuery.builder(PageRequest.first(MAX_MEMBERS_SHOWN)).team(teamId).build())
        .items();
  }

  List<VirtualKey> keys(Principal actor, String teamId) {
    return api.admin()
        .keys(actor, KeyQuery.builder(PageRequest.first(MAX_MEMBERS_SHOWN)).team(teamId).build())
        .items();
  }

  /** The team's members and its keys: the current members with roles. */
  ArrayNode membersWithRoles(Principal actor, String teamId) {
    return membersWithRoles(members(actor, teamId), keys(actor, teamId));
  }

  /**
   * LiteLLM's {@code members_with_roles}: a member is {@code admin} when it holds a team-admin key
   * of the team (team admins are keys here), else {@code user}.
   */
  static ArrayNode membersWithRoles(List<User> members, List<VirtualKey> teamKeys) {
    Set<String> admins = new java.util.HashSet<>();
    for (VirtualKey k : teamKeys) {
      if (k.role() == KeyRole.TEAM_ADMIN) {
        k.userId().ifPresent(admins::add);
      }
    }
    ArrayNode a = AdminJson.array();
    for (User u : members) {
      ObjectNode m = a.addObject();
      m.put("user_id", u.id());
      m.set("user_email", AdminJson.text(u.email()));
      m.put("role", admins.contains(u.id()) ? "admin" : "user");
    }
    return a;
  }

  private JsonNode list(AdminCall call) {
    AdminCall.Query q = call.query(Set.of("page", "size"));
    Page<Team> page = api.admin().teams(call.actor(), q.page("size", 100, 1000));
    call.ctx().header("x-total-count", Long.toString(page.total()));
    ArrayNode a = AdminJson.array();
    for (Team t : page.items()) {
      a.add(Views.team(t, List.of(), api.json().mapper()));
    }
    return a;
  }

  private JsonNode update(AdminCall call) throws Exception {
    Body b = call.body(api.fields(UPDATE)).collecting();
    api.validate(call, b); // s8-alerts
    String ref = b.requiredText("team_id");
    Team old = api.admin().team(call.actor(), ref);
    TeamPatch.Builder draft =
        TeamPatch.draft(b.problems())
            .alias(b.text("team_alias"))
            .tier(b.text("tier"))
            .models(b.textList("models"))
            .teamBudgets(
                b.collect(() -> Limits.budgets(b, "max_budget", "budget_duration", "budgets")))
            .memberBudgets(
                b.collect(
                    () ->
                        Limits.budgets(
                            b,
                            "team_member_budget",
                            "team_member_budget_duration",
                            "member_budgets")))
            .rateLimits(b.collect(() -> Limits.rateLimits(b, old.rateLimits())))
            .blocked(b.bool("blocked"))
            .metadata(b.map("metadata", api.json().mapper()))
            .budgetIncrease(b.collect(() -> TempBudget.read(b)));
    Team updated = api.admin().updateTeam(call.actor(), old.id(), draft);
    api.apply(call, AdminExtension.TEAM, updated.id());
    ObjectNode o = AdminJson.object();
    o.put("team_id", updated.id());
    o.set("data", view(call.actor(), updated));
    return o;
  }

  private JsonNode delete(AdminCall call) throws Exception {
    Body b = call.body(Set.of("team_ids"));
    List<String> refs =
        b.textOrList("team_ids")
            .orElseThrow(() -> Body.invalid("team_ids", "team_ids is required"));
    Map<String, Team> teams = new LinkedHashMap<>();
    for (String ref : refs) {
      Team t = api.admin().team(call.actor(), ref);
      teams.put(t.id(), t);
    }
    // Refuse before deleting anything: a team with members or keys is never cascaded away.
    for (Team t : teams.values()) {
      long users =
          api.admin()
              .users(call.actor(), UserQuery.builder(PageRequest.first(1)).team(t.id()).build())
              .total();
      long keys =
          api.admin()
              .keys(call.actor(), KeyQuery.builder(PageRequest.first(1)).team(t.id()).build())
              .total();
      if (users > 0 || keys > 0) {
        throw new ConflictException(
            "team '"
                + t.id()
                + "' still has "
                + users
                + " member(s) and "
                + keys
                + " key(s); delete or move them first (teams are never deleted in cascade)");
      }
    }
    for (String id : teams.keySet()) {
      api.admin().deleteTeam(call.actor(), id);
    }
    ObjectNode o = AdminJson.object();
    o.set("deleted_teams", Views.strings(new ArrayList<>(teams.keySet())));
    return o;
  }

  ObjectNode view(Principal actor, Team t) {
    List<BudgetStatus> statuses =
        t.teamBudgets().isEmpty()
            ? List.of()
            : api.admin().budgetStatus(actor, BudgetScope.team(t.id()));
    ObjectNode o = Views.team(t, statuses, api.json().mapper());
    api.extension().describe(AdminExtension.TEAM, t.id(), o);
    return o;
  }
}
