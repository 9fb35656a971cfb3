package io.llmgateway.server.admin;

import static io.llmgateway.server.admin.Policy.SELF_READ_OK;
import static io.llmgateway.server.admin.Policy.TEAM_ADMIN_OK;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.Page;
import io.llmgateway.core.admin.BudgetStatus;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.admin.KeyPatch;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.spend.SpendGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code /key/*}: generate, info, list, update, delete, block, unblock, regenerate. A key reference
 * is the plaintext key, its SHA-256 hex or its id ({@code token}). The plaintext appears only in
 * the generate and regenerate responses; nothing echoes a reference back.
 */
final class KeyRoutes {
  static final Set<String> SETTINGS =
      Set.of(
          "key_alias",
          "user_id",
          "team_id",
          "models",
          "max_budget",
          "budget_duration",
          "budgets",
          "tpm_limit",
          "rpm_limit",
          "max_parallel_requests",
          "duration",
          "expires",
          "metadata",
          "blocked",
          "key_type");
  static final Set<String> GENERATE = union(SETTINGS, Set.of("key"));
  static final Set<String> UPDATE = union(union(SETTINGS, Set.of("key")), TempBudget.FIELDS);

  private final AdminApi api;

  KeyRoutes(AdminApi api) {
    this.api = api;
  }

  List<AdminRoute> routes() {
    return List.of(
        AdminRoute.post("/key/generate", TEAM_ADMIN_OK, "Generate a virtual key", this::generate),
        AdminRoute.get("/key/info", SELF_READ_OK, "Read a key (default: your own)", this::info),
        AdminRoute.get("/key/list", SELF_READ_OK, "List keys (paginated)", this::list),
        AdminRoute.post("/key/update", TEAM_ADMIN_OK, "Change a key's settings", this::update),
        AdminRoute.post("/key/delete", TEAM_ADMIN_OK, "Delete keys by key or alias", this::delete),
        AdminRoute.post("/key/block", TEAM_ADMIN_OK, "Block a key", c -> block(c, true)),
        AdminRoute.post("/key/unblock", TEAM_ADMIN_OK, "Unblock a key", c -> block(c, false)),
        AdminRoute.post(
            "/key/regenerate", TEAM_ADMIN_OK, "New secret, same settings", this::regenerate),
        AdminRoute.post(
            "/key/{key}/regenerate",
            TEAM_ADMIN_OK,
            "New secret, same settings (key in the path)",
            this::regenerateByPath));
  }

  private JsonNode generate(AdminCall call) throws Exception {
    Body b = call.body(api.fields(GENERATE)).collecting();
    api.validate(call, b); // s8-alerts
    KeySpec.Builder draft =
        KeySpec.draft(b.problems())
            .userId(b.text("user_id"))
            .teamId(b.text("team_id"))
            .alias(b.text("key_alias"))
            .models(b.textList("models").orElse(List.of()))
            .budgets(
                b.collect(() -> Limits.budgets(b, "max_budget", "budget_duration", "budgets"))
                    .orElse(List.of()))
            .rateLimits(
                b.collect(() -> Limits.rateLimits(b, RateLimits.NONE)).orElse(RateLimits.NONE))
            .expiresAt(b.instant("expires"))
            .duration(b.duration("duration"))
            .blocked(b.bool("blocked").orElse(false))
            .metadata(b.map("metadata", api.json().mapper()).orElse(Map.of()))
            .key(b.text("key"));
    b.collect(() -> b.text("key_type").map(t -> role("key_type", t))).ifPresent(draft::role);
    IssuedKey issued =
        aliasChecked(b.text("key_alias"), () -> api.admin().generateKey(call.actor(), draft));
    api.apply(call, AdminExtension.KEY, issued.key().id());
    return issuedView(call.actor(), issued);
  }

  ObjectNode issuedView(Principal actor, IssuedKey issued) {
    ObjectNode o = AdminJson.object();
    o.put("key", issued.plaintext());
    o.setAll(view(actor, issued.key()));
    return o;
  }

  private JsonNode info(AdminCall call) {
    AdminCall.Query q = call.query(Set.of("key"));
    VirtualKey key = resolve(call.actor(), q.text("key"));
    ObjectNode o = AdminJson.object();
    o.put("key", key.id());
    ObjectNode info = view(call.actor(), key);
    // Spend from the spend log on the info route only: it is an aggregate query.
    WindowSpend.write(api, call.actor(), SpendGroup.KEY, key.id(), info, !key.budgets().isEmpty());
    o.set("info", info);
    return o;
  }

  /** The key named by {@code ref}, or the caller's own key when there is none. */
  private VirtualKey resolve(Principal actor, Optional<String> ref) {
    if (ref.isPresent()) {
      return api.admin().key(actor, ref.get());
    }
    if (actor instanceof Principal.Keyed k) {
      return api.admin().key(actor, k.key().id());
    }
    throw Body.invalid("key", "key is required when calling with the master key");
  }

  private JsonNode list(AdminCall call) {
    AdminCall.Query q =
        call.query(Set.of("page", "size", "user_id", "team_id", "key_alias", "return_full_object"));
    // Filters are read before the page, so a bad filter is the error reported first.
    Optional<String> user = q.text("user_id");
    Optional<String> team = q.text("team_id");
    Optional<String> alias = q.text("key_alias");
    KeyQuery query =
        KeyQuery.builder(q.page("size", 10, 100)).user(user).team(team).alias(alias).build();
    Page<VirtualKey> page = api.admin().keys(call.actor(), query);
    boolean full = q.bool("return_full_object");
    ObjectNode o = AdminJson.object();
    ArrayNode keys = o.putArray("keys");
    for (VirtualKey k : page.items()) {
      if (full) {
        keys.add(Views.key(k, List.of(), api.json().mapper()));
      } else {
        keys.add(k.id());
      }
    }
    o.put("total_count", page.total());
    o.put("current_page", page.request().page());
    o.put("size", page.request().size());
    o.put("total_pages", page.totalPages());
    return o;
  }

  private JsonNode update(AdminCall call) throws Exception {
    Body b = call.body(api.fields(UPDATE)).collecting();
    api.validate(call, b); // s8-alerts
    String ref = b.requiredText("key");
    VirtualKey old = api.admin().key(call.actor(), ref);
    KeyPatch.Builder draft =
        KeyPatch.draft(b.problems())
            .alias(b.text("key_alias"))
            .userId(b.text("user_id"))
            .teamId(b.text("team_id"))
            .role(b.collect(() -> b.text("key_type").map(t -> role("key_type", t))))
            .models(b.textList("models"))
            .budgets(b.collect(() -> Limits.budgets(b, "max_budget", "budget_duration", "budgets")))
            .rateLimits(b.collect(() -> Limits.rateLimits(b, old.rateLimits())))
            .expiresAt(b.instant("expires"))
            .duration(b.duration("duration"))
            .blocked(b.bool("blocked"))
            .metadata(b.map("metadata", api.json().mapper()))
            .budgetIncrease(b.collect(() -> TempBudget.read(b)));
    VirtualKey updated =
        aliasChecked(
            b.text("key_alias"), () -> api.admin().updateKey(call.actor(), old.id(), draft));
    api.apply(call, AdminExtension.KEY, updated.id());
    return view(call.actor(), updated);
  }

  private JsonNode delete(AdminCall call) throws Exception {
    Body b = call.body(Set.of("keys", "key_aliases"));
    List<String> refs = b.textOrList("keys").orElse(List.of());
    List<String> aliases = b.textOrList("key_aliases").orElse(List.of());
    if (refs.isEmpty() && aliases.isEmpty()) {
      throw Body.invalid("keys", "give keys or key_aliases");
    }
    // Core checks every key before deleting any, so a refusal leaves every key in place.
    List<String> targets = new ArrayList<>(refs);
    for (String alias : aliases) {
      targets.add(byAlias(call.actor(), alias).id());
    }
    List<String> deleted = api.admin().deleteKeys(call.actor(), targets);
    ObjectNode o = AdminJson.object();
    o.set("deleted_keys", Views.strings(deleted));
    return o;
  }

  private VirtualKey byAlias(Principal actor, String alias) {
    List<VirtualKey> found =
        api.admin()
            .keys(
                actor,
                KeyQuery.builder(io.llmgateway.core.PageRequest.first(1)).alias(alias).build())
            .items();
    if (found.isEmpty()) {
      throw new NotFoundException("no key with alias '" + alias + "'");
    }
    return found.getFirst();
  }

  private JsonNode block(AdminCall call, boolean blocked) throws Exception {
    Body b = call.body(Set.of("key"));
    VirtualKey k = api.admin().blockKey(call.actor(), b.requiredText("key"), blocked);
    return view(call.actor(), k);
  }

  private JsonNode regenerate(AdminCall call) throws Exception {
    Body b = call.body(Set.of("key", "grace_period"));
    return regenerate(call, b.requiredText("key"), b.duration("grace_period"));
  }

  private JsonNode regenerateByPath(AdminCall call) throws Exception {
    Optional<Duration> grace = Optional.empty();
    Optional<JsonNode> body = call.optionalBody();
    if (body.isPresent()) {
      grace = call.body(Set.of("grace_period")).duration("grace_period");
    }
    return regenerate(call, call.ctx().pathParam("key"), grace);
  }

  private JsonNode regenerate(AdminCall call, String ref, Optional<Duration> grace) {
    IssuedKey issued = api.admin().regenerateKey(call.actor(), ref, grace);
    return issuedView(call.actor(), issued);
  }

  /** A key with where each of its budgets stands now. */
  ObjectNode view(Principal actor, VirtualKey k) {
    List<BudgetStatus> statuses =
        k.budgets().isEmpty()
            ? List.of()
            : api.admin().budgetStatus(actor, BudgetScope.key(k.id()));
    ObjectNode o = Views.key(k, statuses, api.json().mapper());
    api.extension().describe(AdminExtension.KEY, k.id(), o);
    return o;
  }

  static KeyRole role(String param, String text) {
    return switch (text) {
      case "llm_api", "default" -> KeyRole.LLM_API;
      case "team_admin" -> KeyRole.TEAM_ADMIN;
      case "proxy_admin" -> KeyRole.PROXY_ADMIN;
      default ->
          throw Body.invalid(
              param, param + " must be llm_api (or default), team_admin or proxy_admin");
    };
  }

  /** LiteLLM's message for a taken alias: "Key with alias 'x' already exists". */
  static <T> T aliasChecked(Optional<String> alias, Supplier<T> action) {
    try {
      return action.get();
    } catch (ConflictException e) {
      if (alias.isPresent() && e.getMessage().contains("alias")) {
        throw new ConflictException("Key with alias '" + alias.get() + "' already exists");
      }
      throw e;
    }
  }

  static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> s = new HashSet<>(a);
    s.addAll(b);
    return Set.copyOf(s);
  }
}
