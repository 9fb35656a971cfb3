package io.llmgateway.core.admin;

import io.llmgateway.core.InvalidationBus.Invalidation;
import io.llmgateway.core.Page;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.identity.ApiKeys;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserRole;
import io.llmgateway.core.identity.VirtualKey;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Key operations behind {@link AdminService}. The plaintext of a key exists only in the {@link
 * IssuedKey} returned by generate and regenerate; stores see its hash.
 */
final class KeyAdmin {
  private final AdminContext ctx;
  private final UserAdmin users;
  private final ModelReferences models;
  private final BudgetSeeds seeds;

  KeyAdmin(AdminContext ctx, UserAdmin users) {
    this.ctx = ctx;
    this.users = users;
    this.models = new ModelReferences(ctx);
    this.seeds = new BudgetSeeds(ctx);
  }

  IssuedKey generate(Principal actor, KeySpec asked) {
    Access.requireMayWrite(actor, "create keys");
    KeySpec spec = SelfService.keySpec(ctx, actor, asked);
    Optional<Team> named = spec.teamId().map(t -> ctx.team(actor, t));
    Optional<User> existingUser = spec.userId().flatMap(ctx.stores.users()::findById);
    if (existingUser.isPresent()
        && !Access.seesUser(actor, existingUser.get().id(), existingUser.get().teamId())) {
      // The id is taken by a user this key may not see: say only that, as /user/new does.
      throw new ConflictException("user '" + existingUser.get().id() + "' already exists");
    }
    Optional<Team> team =
        named
            .or(() -> existingUser.flatMap(User::teamId).map(ctx::team))
            .or(() -> Access.defaultTeam(actor).map(ctx::team));
    Optional<String> teamId = team.map(Team::id);
    requireSameTeam(existingUser, teamId);
    if (!Access.managesKeysOf(actor, teamId, spec.userId())) {
      throw Access.denied(actor, "generate keys outside its teams");
    }
    if (existingUser.isPresent()) {
      requireMayChange(actor, existingUser.get(), "issue keys to this user");
    }
    if (spec.alias().isPresent() && ctx.stores.keys().findByAlias(spec.alias().get()).isPresent()) {
      throw new ConflictException("key alias '" + spec.alias().get() + "' is already taken");
    }

    Instant now = ctx.now();
    String plaintext = spec.key().orElseGet(ApiKeys::generate);
    Optional<Instant> expires = spec.expiresAt().or(() -> spec.duration().map(now::plus));
    VirtualKey key =
        Validation.domain(
            () ->
                VirtualKey.builder(
                        ApiKeys.newId("key"),
                        KeyHash.of(plaintext),
                        ApiKeys.displayPrefix(plaintext),
                        now)
                    .alias(spec.alias())
                    .userId(spec.userId())
                    .teamId(teamId)
                    .role(spec.role())
                    .models(spec.models())
                    .budgets(spec.budgets())
                    .rateLimits(spec.rateLimits())
                    .blocked(spec.blocked())
                    .expiresAt(expires)
                    .metadata(spec.metadata())
                    .build());
    key = boundForTeamAdmin(actor, team, key, existingUser);
    ModelReferences.require(models.problems("models", List.of(), key.models(), team, existingUser));
    if (ctx.stores.keys().findByHash(key.hash()).isPresent()) {
      // A taken custom value is refused like a malformed one: never "this value is a key".
      throw KeySpec.badCustomKey();
    }
    if (spec.userId().isPresent() && existingUser.isEmpty()) {
      // LiteLLM creates the user a key is generated for; it joins the key's team.
      users.insert(actor, newUser(spec.userId().get(), teamId, now));
    }
    insert(key, spec.key().isPresent());
    ctx.record(
        actor,
        "key.create",
        "key",
        key.id(),
        Map.of(),
        Snapshots.of(key),
        new Invalidation.Key(key.id()));
    return new IssuedKey(plaintext, key);
  }

  /** The model problems of a new key's draft, as {@link #generate} would find them. */
  List<ModelReferences.Problem> modelProblems(
      Principal actor, Optional<String> teamRef, Optional<String> userId, List<String> after) {
    Optional<User> user =
        userId
            .flatMap(ctx.stores.users()::findById)
            .filter(u -> Access.seesUser(actor, u.id(), u.teamId()));
    Optional<Team> team =
        teamRef
            .flatMap(t -> ctx.visibleTeam(actor, t))
            .or(() -> user.flatMap(User::teamId).flatMap(ctx.stores.teams()::findById))
            .or(() -> Access.defaultTeam(actor).flatMap(ctx.stores.teams()::findById));
    return models.problems("models", List.of(), after, team, user);
  }

  /** The model problems of a change to a key's draft, as {@link #update} would find them. */
  List<ModelReferences.Problem> modelProblems(
      Principal actor,
      String ref,
      Optional<String> teamRef,
      Optional<String> userId,
      Optional<List<String>> after) {
    if (after.isEmpty() && teamRef.isEmpty() && userId.isEmpty()) {
      return List.of();
    }
    VirtualKey old = ctx.key(actor, ref);
    Optional<User> owner =
        userId
            .or(old::userId)
            .flatMap(ctx.stores.users()::findById)
            .filter(u -> Access.seesUser(actor, u.id(), u.teamId()));
    Optional<Team> team =
        teamRef.isPresent()
            ? ctx.visibleTeam(actor, teamRef.get())
            : ctx.teamOf(old).flatMap(ctx.stores.teams()::findById);
    return models.problems("models", old.models(), after.orElse(old.models()), team, owner);
  }

  private static void requireSameTeam(Optional<User> user, Optional<String> teamId) {
    if (user.isPresent()
        && user.get().teamId().isPresent()
        && teamId.isPresent()
        && !user.get().teamId().equals(teamId)) {
      throw new InvalidRequestException(
          "user '"
              + user.get().id()
              + "' belongs to team '"
              + user.get().teamId().get()
              + "', not '"
              + teamId.get()
              + "'",
          "team_id");
    }
  }

  private static User newUser(String id, Optional<String> teamId, Instant now) {
    return Validation.domain(
        () ->
            new User(
                id,
                Optional.empty(),
                Optional.empty(),
                teamId,
                UserRole.INTERNAL_USER,
                List.of(),
                List.of(),
                RateLimits.NONE,
                Map.of(),
                now,
                now,
                Optional.empty()));
  }

  // The caller has already been found to manage this team (or, a member, this user).
  private VirtualKey boundForTeamAdmin(
      Principal actor, Optional<Team> team, VirtualKey key, Optional<User> owner) {
    if (actor.isProxyAdmin()) {
      return key;
    }
    return TeamAdminRights.bound(TeamAdminRights.capsOf(actor, team, owner), team, key, owner);
  }

  private void insert(VirtualKey key, boolean custom) {
    try {
      ctx.stores.keys().insert(key);
    } catch (ConflictException e) {
      // Two requests raced for one custom value: the loser gets the same answer as above.
      if (custom && ctx.stores.keys().findByHash(key.hash()).isPresent()) {
        throw KeySpec.badCustomKey();
      }
      throw e;
    }
  }

  VirtualKey update(Principal actor, String ref, KeyPatch patch) {
    Access.requireAdministers(actor, "change keys");
    VirtualKey old = ctx.key(actor, ref);
    requireManages(actor, old, "change keys outside its team");
    Optional<String> userId = patch.userId().or(old::userId);
    Optional<User> newUser = patch.userId().map(id -> ctx.user(actor, id));
    Optional<User> owner = newUser.or(() -> userId.flatMap(ctx.stores.users()::findById));
    Optional<Team> team =
        patch.teamId().isPresent()
            ? Optional.of(ctx.team(actor, patch.teamId().get()))
            : old.teamId().flatMap(ctx.stores.teams()::findById);
    requireSameTeam(owner, team.map(Team::id));
    if (newUser.isPresent()) {
      Access.requireManagesTeam(
          actor, newUser.get().teamId(), "give keys to users outside its team");
      requireMayChange(actor, newUser.get(), "give keys to this user");
    }
    Access.requireManagesTeam(
        actor, team.map(Team::id).or(() -> ctx.teamOf(old)), "move keys to another team");
    Instant now = ctx.now();
    Validation.requireIncreaseWindow(patch.budgetIncrease(), now);
    VirtualKey changed =
        Validation.domain(
            () ->
                old.toBuilder()
                    .alias(patch.alias().or(old::alias))
                    .userId(userId)
                    .teamId(team.map(Team::id).or(old::teamId))
                    .role(patch.role().orElse(old.role()))
                    .models(patch.models().orElse(old.models()))
                    .budgets(patch.budgets().orElse(old.budgets()))
                    .rateLimits(patch.rateLimits().orElse(old.rateLimits()))
                    .blocked(patch.blocked().orElse(old.blocked()))
                    .expiresAt(
                        patch
                            .expiresAt()
                            .or(() -> patch.duration().map(now::plus))
                            .or(old::expiresAt))
                    .metadata(patch.metadata().orElse(old.metadata()))
                    .updatedAt(now)
                    .budgetIncrease(patch.budgetIncrease().or(old::budgetIncrease))
                    .build());
    Optional<Team> ownTeam = team.or(() -> ctx.teamOf(old).flatMap(ctx.stores.teams()::findById));
    changed = boundForTeamAdmin(actor, ownTeam, changed, owner);
    if (!actor.isProxyAdmin() && patch.budgetIncrease().isPresent()) {
      TeamAdminRights.boundIncrease(
          TeamAdminRights.capsOf(actor, ownTeam, owner),
          changed.budgets(),
          patch.budgetIncrease().get());
    }
    if (patch.models().isPresent() || patch.teamId().isPresent() || patch.userId().isPresent()) {
      ModelReferences.require(
          models.problems("models", old.models(), changed.models(), ownTeam, owner));
    }
    Optional<User> oldUser = old.userId().flatMap(ctx.stores.users()::findById);
    Optional<Team> oldTeam = ctx.teamOf(old).flatMap(ctx.stores.teams()::findById);
    VirtualKey saved = changed;
    Optional<Team> newTeam = ctx.teamOf(saved).flatMap(ctx.stores.teams()::findById);
    return save(
        actor,
        "key.update",
        old,
        changed,
        () -> seeds.keyChanged(old, oldUser, oldTeam, saved, newTeam));
  }

  VirtualKey block(Principal actor, String ref, boolean blocked) {
    // A member may revoke its own key but not lift an admin's block.
    if (blocked) {
      Access.requireMayWrite(actor, "block keys");
    } else {
      Access.requireAdministers(actor, "unblock keys");
    }
    VirtualKey old = ctx.key(actor, ref);
    requireManages(actor, old, blocked ? "block this key" : "unblock this key");
    VirtualKey changed = old.toBuilder().blocked(blocked).updatedAt(ctx.now()).build();
    return save(actor, blocked ? "key.block" : "key.unblock", old, changed);
  }

  IssuedKey regenerate(Principal actor, String ref, Optional<Duration> grace) {
    Access.requireMayWrite(actor, "rotate keys");
    grace.ifPresent(
        g -> {
          if (g.isNegative()) {
            throw new InvalidRequestException("grace period must not be negative", "grace_period");
          }
        });
    VirtualKey old = ctx.key(actor, ref);
    requireManages(actor, old, "regenerate this key");
    String plaintext = ApiKeys.generate();
    Instant now = ctx.now();
    // With a grace period the old value keeps working until graceUntil, so clients can roll over.
    Optional<KeyHash> previous = grace.map(g -> old.hash());
    Optional<Instant> until = grace.map(now::plus);
    VirtualKey changed =
        old.toBuilder()
            .secret(KeyHash.of(plaintext), ApiKeys.displayPrefix(plaintext))
            .grace(previous, until)
            .updatedAt(now)
            .build();
    return new IssuedKey(plaintext, save(actor, "key.regenerate", old, changed));
  }

  /** Deletes every key named, or none: each is found and checked before any is deleted. */
  List<String> delete(Principal actor, List<String> refs) {
    Access.requireMayWrite(actor, "delete keys");
    Map<String, VirtualKey> targets = new LinkedHashMap<>();
    for (String ref : refs) {
      VirtualKey old = ctx.key(actor, ref);
      requireManages(actor, old, "delete this key");
      targets.put(old.id(), old);
    }
    for (VirtualKey old : targets.values()) {
      ctx.stores.keys().delete(old.id());
      ctx.record(
          actor,
          "key.delete",
          "key",
          old.id(),
          Snapshots.of(old),
          Map.of(),
          new Invalidation.Key(old.id()));
    }
    return List.copyOf(targets.keySet());
  }

  VirtualKey read(Principal actor, String ref) {
    return ctx.key(actor, ref);
  }

  /** A key {@code actor} may see, audited as {@code playground.chat} on it with the model. */
  VirtualKey playground(Principal actor, String ref, String model) {
    VirtualKey key = ctx.key(actor, ref);
    ctx.recordNew(actor, "playground.chat", "key", key.id(), Map.of("model", model));
    return key;
  }

  Page<VirtualKey> list(Principal actor, KeyQuery query) {
    if (query.sort().field() == KeyQuery.By.SPEND) {
      ctx.flushSpend.run();
    }
    return KeyListing.list(ctx, actor, query);
  }

  // A team admin manages only its teams' user-level keys (and may block or rotate itself), a
  // member only its own user's: not admin key types, and not an LLM key whose user is a proxy
  // admin (Rights.of ranks both).
  private void requireManages(Principal actor, VirtualKey key, String action) {
    if (actor.isProxyAdmin()) {
      return;
    }
    if (!Access.managesKeysOf(actor, ctx.teamOf(key), key.userId())) {
      throw Access.denied(actor, action);
    }
    boolean self =
        Access.ownKeyId(actor).equals(Optional.of(key.id()))
            || (Access.selfUser(actor).isPresent() && Access.selfUser(actor).equals(key.userId()));
    Access.requireMayChange(actor, ctx.rightsOf(key), self, action);
  }

  private void requireMayChange(Principal actor, User user, String action) {
    boolean self = Access.ownUserId(actor).equals(Optional.of(user.id()));
    Access.requireMayChange(actor, ctx.rightsOf(user), self, action);
  }

  private VirtualKey save(Principal actor, String action, VirtualKey old, VirtualKey changed) {
    return save(actor, action, old, changed, () -> {});
  }

  private VirtualKey save(
      Principal actor, String action, VirtualKey old, VirtualKey changed, Runnable afterWrite) {
    ctx.stores.keys().update(changed);
    afterWrite.run();
    ctx.record(
        actor,
        action,
        "key",
        old.id(),
        Snapshots.of(old),
        Snapshots.of(changed),
        new Invalidation.Key(old.id()));
    return changed;
  }
}
