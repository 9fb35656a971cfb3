package io.llmgateway.server.admin;

import static io.llmgateway.server.admin.Policy.SELF_READ_OK;
import static io.llmgateway.server.admin.Policy.TEAM_ADMIN_OK;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.BudgetStatus;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.admin.UserPatch;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.UserRole;
import io.llmgateway.core.spend.SpendGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /user/*}. {@code /user/info} answers {@code GET ?user_id=} and a JSON body ({@code
 * {"user_id": ...}} or the seed's {@code {"user_ids": [...]}}, as {@code curl -d} sends it: POST),
 * with the user's spend and remaining budget per window. {@code /user/delete} refuses a user who
 * still has keys (409).
 */
final class UserRoutes {
  static final Set<String> SETTINGS =
      Set.of(
          "user_email",
          "user_alias",
          "user_role",
          "team_id",
          "models",
          "max_budget",
          "budget_duration",
          "budgets",
          "tpm_limit",
          "rpm_limit",
          "max_parallel_requests",
          "metadata");
  static final Set<String> NEW =
      KeyRoutes.union(SETTINGS, Set.of("user_id", "teams", "auto_create_key"));
  static final Set<String> UPDATE =
      KeyRoutes.union(KeyRoutes.union(SETTINGS, Set.of("user_id")), TempBudget.FIELDS);

  /** Most users one {@code /user/info} call answers for. */
  static final int MAX_INFO_USERS = 100;

  private final AdminApi api;

  UserRoutes(AdminApi api) {
    this.api = api;
  }

  List<AdminRoute> routes() {
    return List.of(
        AdminRoute.post("/user/new", TEAM_ADMIN_OK, "Create a user (and a key)", this::create),
        AdminRoute.get("/user/info", SELF_READ_OK, "Read a user, spend per window", this::infoGet),
        AdminRoute.post(
            "/user/info", SELF_READ_OK, "Read users named in a JSON body", this::infoPost),
        AdminRoute.get("/user/list", TEAM_ADMIN_OK, "List users (paginated)", this::list),
        AdminRoute.post("/user/update", TEAM_ADMIN_OK, "Change a user", this::update),
        AdminRoute.post("/user/delete", TEAM_ADMIN_OK, "Delete users without keys", this::delete));
  }

  private JsonNode create(AdminCall call) throws Exception {
    Body b = call.body(api.fields(NEW)).collecting();
    api.validate(call, b); // s8-alerts
    Optional<String> team = b.text("team_id");
    Optional<List<String>> teams = b.textOrList("teams");
    if (teams.isPresent()) {
      if (teams.get().size() > 1) {
        b.problems().add("teams", "a user belongs to at most one team");
      } else if (team.isPresent()
          && !teams.get().isEmpty()
          && !teams.get().equals(List.of(team.get()))) {
        b.problems().add("teams", "teams and team_id name different teams");
      }
      team = team.or(() -> teams.get().stream().findFirst());
    }
    UserSpec.Builder draft =
        UserSpec.draft(b.problems())
            .userId(b.text("user_id"))
            .email(b.text("user_email"))
            .alias(b.text("user_alias"))
            .teamId(team)
            .models(b.textList("models").orElse(List.of()))
            .budgets(
                b.collect(() -> Limits.budgets(b, "max_budget", "budget_duration", "budgets"))
                    .orElse(List.of()))
            .rateLimits(
                b.collect(() -> Limits.rateLimits(b, RateLimits.NONE)).orElse(RateLimits.NONE))
            .metadata(b.map("metadata", api.json().mapper()).orElse(Map.of()));
    b.collect(() -> b.text("user_role").map(r -> role("user_role", r))).ifPresent(draft::role);
    boolean withKey = b.bool("auto_create_key").orElse(true);
    if (b.problems().isEmpty()) {
      b.text("user_id")
          .ifPresent(
              id -> {
                if (find(call.actor(), id).isPresent()) {
                  throw new ConflictException("user '" + id + "' already exists");
                }
              });
    }
    User user = api.admin().createUser(call.actor(), draft);
    api.apply(call, AdminExtension.USER, user.id());
    ObjectNode o = AdminJson.object();
    if (withKey) {
      // LiteLLM's auto_create_key (default true): the response carries the user's first key.
      IssuedKey issued = api.admin().generateKey(call.actor(), KeySpec.forUser(user.id()));
      o.put("key", issued.plaintext());
      o.put("token", issued.key().id());
      o.set("expires", AdminJson.time(issued.key().expiresAt()));
    }
    o.setAll(view(call.actor(), user));
    return o;
  }

  private Optional<User> find(Principal actor, String id) {
    try {
      return Optional.of(api.admin().user(actor, id));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  private JsonNode infoGet(AdminCall call) {
    AdminCall.Query q = call.query(Set.of("user_id"));
    return info(call.actor(), q.text("user_id").map(List::of).orElse(List.of()));
  }

  private JsonNode infoPost(AdminCall call) throws Exception {
    List<String> ids = new ArrayList<>();
    if (call.optionalBody().isPresent()) {
      Body b = call.body(Set.of("user_id", "user_ids"));
      b.text("user_id").ifPresent(ids::add);
      b.textOrList("user_ids").ifPresent(ids::addAll);
    }
    call.query(Set.of("user_id")).text("user_id").ifPresent(ids::add);
    return info(call.actor(), ids);
  }

  /**
   * One user: LiteLLM's {@code {user_id, user_info, keys, teams}}; several: {@code {users: [...]}}.
   */
  private JsonNode info(Principal actor, List<String> ids) {
    List<String> distinct = ids.stream().distinct().toList();
    if (distinct.isEmpty()) {
      if (actor instanceof Principal.Keyed k && k.key().userId().isPresent()) {
        distinct = List.of(k.key().userId().get());
      } else {
        throw Body.invalid("user_id", "user_id is required for a key without a user");
      }
    }
    if (distinct.size() > MAX_INFO_USERS) {
      throw Body.invalid("user_ids", "at most " + MAX_INFO_USERS + " users per call");
    }
    if (distinct.size() == 1) {
      return userInfo(actor, distinct.getFirst());
    }
    ObjectNode o = AdminJson.object();
    ArrayNode users = o.putArray("users");
    for (String id : distinct) {
      users.add(userInfo(actor, id));
    }
    return o;
  }

  private ObjectNode userInfo(Principal actor, String id) {
    User user = api.admin().user(actor, id);
    ObjectNode o = AdminJson.object();
    o.put("user_id", user.id());
    ObjectNode info = view(actor, user);
    WindowSpend.write(
        api, actor, SpendGroup.USER, user.id(), info, info.path("budgets").size() > 0);
    o.set("user_info", info);
    ArrayNode keys = o.putArray("keys");
    api.admin()
        .keys(actor, KeyQuery.builder(PageRequest.first(100)).user(user.id()).build())
        .items()
        .forEach(k -> keys.add(Views.key(k, List.of(), api.json().mapper())));
    ArrayNode teams = o.putArray("teams");
    if (user.teamId().isPresent()) {
      try {
        var t = api.admin().team(actor, user.teamId().get());
        teams.add(Views.team(t, List.of(), api.json().mapper()));
      } catch (NotFoundException e) {
        // A user key may read itself but not its team's settings: name the team only.
        teams.addObject().put("team_id", user.teamId().get());
      }
    }
    return o;
  }

  private JsonNode list(AdminCall call) {
    AdminCall.Query q = call.query(Set.of("page", "page_size", "team", "team_id"));
    PageRequest page = q.page("page_size", 25, 1000);
    Page<User> users =
        api.admin()
            .users(
                call.actor(),
                UserQuery.builder(page).team(q.text("team").or(() -> q.text("team_id"))).build());
    ObjectNode o = AdminJson.object();
    ArrayNode a = o.putArray("users");
    users.items().forEach(u -> a.add(Views.user(u, List.of(), api.json().mapper())));
    o.put("total", users.total());
    o.put("page", page.page());
    o.put("page_size", page.size());
    o.put("total_pages", users.totalPages());
    return o;
  }

  private JsonNode update(AdminCall call) throws Exception {
    Body b = call.body(api.fields(UPDATE)).collecting();
    api.validate(call, b); // s8-alerts
    User old = api.admin().user(call.actor(), b.requiredText("user_id"));
    UserPatch.Builder draft =
        UserPatch.draft(b.problems())
            .email(b.text("user_email"))
            .alias(b.text("user_alias"))
            .teamId(b.text("team_id"))
            .role(b.collect(() -> b.text("user_role").map(r -> role("user_role", r))))
            .models(b.textList("models"))
            .budgets(b.collect(() -> Limits.budgets(b, "max_budget", "budget_duration", "budgets")))
            .rateLimits(b.collect(() -> Limits.rateLimits(b, old.rateLimits())))
            .metadata(b.map("metadata", api.json().mapper()))
            .budgetIncrease(b.collect(() -> TempBudget.read(b)));
    User updated = api.admin().updateUser(call.actor(), old.id(), draft);
    api.apply(call, AdminExtension.USER, updated.id());
    return view(call.actor(), updated);
  }

  private JsonNode delete(AdminCall call) throws Exception {
    Body b = call.body(Set.of("user_ids"));
    List<String> ids =
        b.textOrList("user_ids")
            .orElseThrow(() -> Body.invalid("user_ids", "user_ids is required"));
    List<String> deleted = api.admin().deleteUsers(call.actor(), ids);
    ObjectNode o = AdminJson.object();
    o.set("deleted_users", Views.strings(deleted));
    return o;
  }

  ObjectNode view(Principal actor, User u) {
    List<BudgetStatus> statuses = api.admin().budgetStatus(actor, BudgetScope.user(u.id()));
    ObjectNode o = Views.user(u, statuses, api.json().mapper());
    api.extension().describe(AdminExtension.USER, u.id(), o);
    return o;
  }

  static UserRole role(String param, String text) {
    return switch (text) {
      case "proxy_admin" -> UserRole.PROXY_ADMIN;
      case "internal_user" -> UserRole.INTERNAL_USER;
      case "internal_user_viewer" -> UserRole.INTERNAL_USER_VIEWER;
      default ->
          throw Body.invalid(
              param, param + " must be proxy_admin, internal_user or internal_user_viewer");
    };
  }
}
