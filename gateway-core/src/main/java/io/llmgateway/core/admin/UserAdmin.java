package io.llmgateway.core.admin;

import io.llmgateway.core.InvalidationBus.Invalidation;
import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.ApiKeys;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * User operations behind {@link AdminService}. Proxy admins manage every user; a team admin manages
 * the users of its own team, within the team's rights.
 */
final class UserAdmin {
  private final AdminContext ctx;
  private final ModelReferences models;
  private final BudgetSeeds seeds;

  UserAdmin(AdminContext ctx) {
    this.ctx = ctx;
    this.models = new ModelReferences(ctx);
    this.seeds = new BudgetSeeds(ctx);
  }

  User create(Principal actor, UserSpec spec) {
    Access.requireAdministers(actor, "create users");
    Optional<Team> team =
        spec.teamId().or(() -> Access.defaultTeam(actor)).map(t -> ctx.team(actor, t));
    Access.requireManagesTeam(actor, team.map(Team::id), "create users outside its teams");
    Instant now = ctx.now();
    String id = spec.userId().orElseGet(() -> ApiKeys.newId("user"));
    User user =
        Validation.domain(
            () ->
                new User(
                    id,
                    spec.email(),
                    spec.alias(),
                    team.map(Team::id),
                    spec.role(),
                    spec.models(),
                    spec.budgets(),
                    spec.rateLimits(),
                    spec.metadata(),
                    now,
                    now,
                    Optional.empty()));
    if (!actor.isProxyAdmin()) {
      TeamAdminRights.check(user, team.orElseThrow());
    }
    ModelReferences.require(
        models.problems("models", List.of(), user.models(), team, Optional.empty()));
    insert(actor, user);
    return user;
  }

  /** Inserts and audits a user; also used when a key is generated for a user not yet known. */
  void insert(Principal actor, User user) {
    ctx.stores.users().insert(user);
    ctx.recordNew(actor, "user.create", "user", user.id(), Snapshots.of(user));
  }

  User update(Principal actor, String userId, UserPatch patch) {
    Access.requireAdministers(actor, "change users");
    User old = ctx.user(actor, userId);
    Access.requireManagesTeam(actor, old.teamId(), "change users outside its team");
    requireMayChange(actor, old, "change this user");
    Optional<Team> team =
        patch.teamId().isPresent()
            ? Optional.of(ctx.team(actor, patch.teamId().get()))
            : old.teamId().flatMap(ctx.stores.teams()::findById);
    Access.requireManagesTeam(actor, team.map(Team::id), "move users to another team");
    Validation.requireIncreaseWindow(patch.budgetIncrease(), ctx.now());
    User updated =
        Validation.domain(
            () ->
                new User(
                    old.id(),
                    patch.email().or(old::email),
                    patch.alias().or(old::alias),
                    team.map(Team::id).or(old::teamId),
                    patch.role().orElse(old.role()),
                    patch.models().orElse(old.models()),
                    patch.budgets().orElse(old.budgets()),
                    patch.rateLimits().orElse(old.rateLimits()),
                    patch.metadata().orElse(old.metadata()),
                    old.createdAt(),
                    ctx.now(),
                    patch.budgetIncrease().or(old::budgetIncrease)));
    if (!actor.isProxyAdmin()) {
      TeamAdminRights.check(updated, team.orElseThrow());
      if (patch.budgetIncrease().isPresent()) {
        TeamAdminRights.boundIncrease(
            new TeamAdminRights.Caps(
                "this team admin's", List.of(), team.get().memberBudgets(), RateLimits.NONE, false),
            updated.effectiveBudgets(team),
            patch.budgetIncrease().get());
      }
    }
    if (patch.models().isPresent() || patch.teamId().isPresent()) {
      requireModels(old, updated, team);
    }
    ctx.stores.users().update(updated);
    seeds.userChanged(old, old.teamId().flatMap(ctx.stores.teams()::findById), updated, team);
    ctx.record(
        actor,
        "user.update",
        "user",
        old.id(),
        Snapshots.of(old),
        Snapshots.of(updated),
        new Invalidation.All());
    return updated;
  }

  private void requireModels(User old, User updated, Optional<Team> team) {
    ModelReferences.require(modelProblems(old, updated.models(), team));
  }

  /**
   * The model problems of a user that had {@code old} and will name {@code after} in {@code team}:
   * unknown names, names outside the team's, and the keys a narrowed list would strand.
   */
  private List<ModelReferences.Problem> modelProblems(
      User old, List<String> after, Optional<Team> team) {
    List<ModelReferences.Problem> problems =
        new java.util.ArrayList<>(
            models.problems("models", old.models(), after, team, Optional.empty()));
    if (!after.isEmpty() && (old.models().isEmpty() || !after.containsAll(old.models()))) {
      problems.addAll(models.userNarrowing(old, after));
    }
    return problems;
  }

  /** The model problems of a new user's draft (see {@link Drafts}). */
  List<ModelReferences.Problem> modelProblems(
      Principal actor, Optional<String> teamRef, List<String> after) {
    Optional<Team> team =
        teamRef.or(() -> Access.defaultTeam(actor)).flatMap(t -> ctx.visibleTeam(actor, t));
    return models.problems("models", List.of(), after, team, Optional.empty());
  }

  /** The model problems of a change to a user's draft (see {@link Drafts}). */
  List<ModelReferences.Problem> modelProblems(
      Principal actor, String userId, Optional<String> teamRef, Optional<List<String>> after) {
    if (after.isEmpty() && teamRef.isEmpty()) {
      return List.of();
    }
    User old = ctx.user(actor, userId);
    Optional<Team> team =
        teamRef.isPresent()
            ? ctx.visibleTeam(actor, teamRef.get())
            : old.teamId().flatMap(ctx.stores.teams()::findById);
    return modelProblems(old, after.orElse(old.models()), team);
  }

  User leaveTeam(Principal actor, String teamRef, String userId) {
    Access.requireAdministers(actor, "remove team members");
    Team team = ctx.team(actor, teamRef);
    Access.requireManagesTeam(actor, Optional.of(team.id()), "remove members of this team");
    // A missing user and a user of another team get the same answer.
    User old =
        ctx.stores
            .users()
            .findById(userId)
            .filter(u -> u.teamId().equals(Optional.of(team.id())))
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "user '" + userId + "' is not a member of team '" + team.id() + "'"));
    requireMayChange(actor, old, "remove this member");
    User updated =
        new User(
            old.id(),
            old.email(),
            old.alias(),
            Optional.empty(),
            old.role(),
            old.models(),
            old.budgets(),
            old.rateLimits(),
            old.metadata(),
            old.createdAt(),
            ctx.now(),
            old.budgetIncrease());
    ctx.stores.users().update(updated);
    ctx.record(
        actor,
        "user.update",
        "user",
        old.id(),
        Snapshots.of(old),
        Snapshots.of(updated),
        new Invalidation.All());
    return updated;
  }

  /**
   * Deletes every user named, or none: each is found and checked first, and a user who still has
   * keys is a conflict (never a cascade).
   */
  List<String> delete(Principal actor, List<String> userIds) {
    Access.requireAdministers(actor, "delete users");
    Map<String, User> targets = new LinkedHashMap<>();
    for (String id : userIds) {
      User old = ctx.user(actor, id);
      Access.requireManagesTeam(actor, old.teamId(), "delete users outside its team");
      requireMayChange(actor, old, "delete this user");
      targets.put(old.id(), old);
    }
    for (User u : targets.values()) {
      long keys =
          ctx.stores
              .keys()
              .list(KeyQuery.builder(PageRequest.first(1)).user(u.id()).build())
              .total();
      if (keys > 0) {
        throw new ConflictException(
            "user '" + u.id() + "' still has " + keys + " key(s); delete them first");
      }
    }
    for (User old : targets.values()) {
      ctx.stores.users().delete(old.id());
      ctx.record(
          actor,
          "user.delete",
          "user",
          old.id(),
          Snapshots.of(old),
          Map.of(),
          new Invalidation.All());
    }
    return List.copyOf(targets.keySet());
  }

  User read(Principal actor, String userId) {
    return ctx.user(actor, userId);
  }

  // The rule of issue 15, finding 1, for users: ranked by role and the keys they hold.
  private void requireMayChange(Principal actor, User user, String action) {
    boolean self = Access.ownUserId(actor).equals(Optional.of(user.id()));
    Access.requireMayChange(actor, ctx.rightsOf(user), self, action);
  }

  /**
   * The gateway user with this e-mail (exactly as stored), for single sign-on's mapping of an
   * employee to their own user; proxy admins only.
   */
  Optional<User> byEmail(Principal actor, String email) {
    Access.requireProxyAdmin(actor, "look users up by e-mail");
    return ctx.stores.users().findByEmail(email);
  }

  Page<User> list(Principal actor, UserQuery query) {
    if (query.sort().field() == UserQuery.By.SPEND) {
      ctx.flushSpend.run();
    }
    // A team filter may name the team by alias too.
    Optional<String> wanted = query.teamId().map(t -> ctx.findTeam(t).map(Team::id).orElse(t));
    if (Access.readsAll(actor)) {
      return ctx.stores.users().list(query.toBuilder().team(wanted).build());
    }
    Set<String> own = Access.adminTeams(actor);
    if (own.isEmpty()) {
      throw Access.denied(actor, "list users");
    }
    if (wanted.isPresent() && !own.contains(wanted.get())) {
      throw Access.denied(actor, "list users outside its teams");
    }
    List<String> teams = wanted.map(List::of).orElseGet(() -> new TreeSet<>(own).stream().toList());
    return Pages.concat(
        teams.stream()
            .<Function<PageRequest, Page<User>>>map(
                t -> p -> ctx.stores.users().list(query.toBuilder().team(t).page(p).build()))
            .toList(),
        query.page());
  }
}
