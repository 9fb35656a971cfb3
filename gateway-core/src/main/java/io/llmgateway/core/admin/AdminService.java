package io.llmgateway.core.admin;

import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.Stores;
import io.llmgateway.core.audit.AuditEvent;
import io.llmgateway.core.audit.AuditQuery;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.Operator;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.requestlog.RefusalLog;
import io.llmgateway.core.requestlog.RequestLogEntry;
import io.llmgateway.core.requestlog.RequestLogQuery;
import io.llmgateway.core.spend.SpendBucket;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendSeriesQuery;
import io.llmgateway.core.spend.SpendTotal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one admin service: the HTTP admin API, the CLI and the web UI all call it, so every rule
 * applies to all three alike. Each method forwards to the package's class for its resource (teams,
 * users, keys, budgets, spend, request log, models, operators, audit), which holds that resource's
 * rules, its write gate among them.
 *
 * <p>Every method takes the acting {@link Principal} first and checks it. Rights come from the key
 * type and the user's role together ({@code Rights.of}: the master key, PROXY_ADMIN keys and any
 * key of a proxy_admin user may do everything; a TEAM_ADMIN key manages its own team's user-level
 * users and LLM keys and never grants more than it has; an LLM_API key reads only its own key, user
 * and spend), or from a person's {@code Grant} in the admin UI (proxy admin, viewer, team admin of
 * named teams, member); docs/core-stores-and-admin.md lists what each may do. Every write passes
 * the write gate first, so a viewer is refused every change whatever it names. An object the caller
 * may not see is {@code NotFoundException} with the message a missing one gets, on every read and
 * write by id.
 *
 * <p>Every change is appended to the audit log (actor {@code master}, the acting key's id, or
 * {@code ui:<name>} for a person; snapshots never hold a hash or a plaintext key) and published on
 * the invalidation bus. Refusals are {@code PermissionDeniedException}, missing objects {@code
 * NotFoundException}, bad input {@code InvalidRequestException} naming the field. Thread-safe: it
 * holds no state of its own.
 */
public final class AdminService {
  /** The most keys a member holds unless configured otherwise. */
  public static final int DEFAULT_MEMBER_KEY_LIMIT = 10;

  private final TeamAdmin teams;
  private final UserAdmin users;
  private final KeyAdmin keys;
  private final BudgetAdmin budgets;
  private final SpendAdmin spend;
  private final ModelAdmin models;
  private final RequestLogAdmin requestLog;
  private final OperatorAdmin operators;
  private final AuditAdmin audit;
  private final Drafts drafts;

  /**
   * Without a gateway: the request log then lists admitted requests only (refusals are kept by the
   * gateway that answered them; use {@code Gateway.admin()}).
   *
   * @param zone the budget time zone: windows and report days are calendar periods in it
   */
  public AdminService(Stores stores, Clock clock, ZoneId zone) {
    this(stores, RefusalLog.NONE, clock, zone, () -> {}, scope -> {});
  }

  /**
   * @param refusals the refused requests of the request log ({@link #requestLogs})
   * @param zone the budget time zone: windows and report days are calendar periods in it
   * @param beforeSpendRead runs before every read of spend and of the request log: the {@code
   *     Gateway} passes a flush of its deferred settlements and queued refusals, so reports include
   *     this instance's answered requests
   * @param beforeBudgetRead runs before a read of one scope's budget balances: the {@code Gateway}
   *     also gives back its idle budget leases on that scope's counters, so the balances show what
   *     is spent, not slices held for requests that have not come
   */
  public AdminService(
      Stores stores,
      RefusalLog refusals,
      Clock clock,
      ZoneId zone,
      Runnable beforeSpendRead,
      Consumer<BudgetScope> beforeBudgetRead) {
    this(
        stores, refusals, clock, zone, beforeSpendRead, beforeBudgetRead, DEFAULT_MEMBER_KEY_LIMIT);
  }

  /**
   * As above, with {@code memberKeyLimit}: the most keys a member (self-service) may hold; it
   * creates no more.
   */
  public AdminService(
      Stores stores,
      RefusalLog refusals,
      Clock clock,
      ZoneId zone,
      Runnable beforeSpendRead,
      Consumer<BudgetScope> beforeBudgetRead,
      int memberKeyLimit) {
    if (memberKeyLimit < 1) {
      throw new IllegalArgumentException("the member key limit must be at least 1");
    }
    Objects.requireNonNull(beforeBudgetRead, "beforeBudgetRead");
    AdminContext ctx =
        new AdminContext(
            Objects.requireNonNull(stores, "stores"),
            Objects.requireNonNull(clock, "clock"),
            Objects.requireNonNull(zone, "zone"),
            Objects.requireNonNull(beforeSpendRead, "beforeSpendRead"),
            memberKeyLimit);
    this.teams = new TeamAdmin(ctx);
    this.users = new UserAdmin(ctx);
    this.keys = new KeyAdmin(ctx, users);
    this.drafts = new Drafts(ctx, teams, users, keys);
    this.budgets = new BudgetAdmin(ctx, beforeBudgetRead);
    this.spend = new SpendAdmin(ctx);
    this.models = new ModelAdmin(ctx);
    this.requestLog = new RequestLogAdmin(ctx, spend, Objects.requireNonNull(refusals, "refusals"));
    this.operators = new OperatorAdmin(ctx);
    this.audit = new AuditAdmin(ctx);
  }

  // Teams

  public Team createTeam(Principal actor, TeamSpec spec) {
    return teams.create(actor, spec);
  }

  /** Changes the team named by id or alias. */
  public Team updateTeam(Principal actor, String teamIdOrAlias, TeamPatch patch) {
    return teams.update(actor, teamIdOrAlias, patch);
  }

  /**
   * Creates a team from a form's or body's draft: when anything is wrong, every problem is refused
   * at once, unknown models among them (see {@link Drafts}).
   */
  public Team createTeam(Principal actor, TeamSpec.Builder draft) {
    TeamAdmin.requireChanges(actor, "create teams");
    return teams.create(actor, drafts.team(actor, draft));
  }

  /**
   * Changes a team from a draft, refusing every problem at once, unknown models and a narrowing
   * under its users' and keys' models among them (see {@link Drafts}).
   */
  public Team updateTeam(Principal actor, String teamIdOrAlias, TeamPatch.Builder draft) {
    TeamAdmin.requireChanges(actor, "change teams");
    return teams.update(actor, teamIdOrAlias, drafts.team(actor, teamIdOrAlias, draft));
  }

  /** Deletes a team without users or keys ({@code ConflictException} otherwise). */
  public void deleteTeam(Principal actor, String teamIdOrAlias) {
    teams.delete(actor, teamIdOrAlias);
  }

  public Team team(Principal actor, String teamIdOrAlias) {
    return teams.read(actor, teamIdOrAlias);
  }

  public Page<Team> teams(Principal actor, PageRequest page) {
    return teams.list(actor, page);
  }

  // Users

  public User createUser(Principal actor, UserSpec spec) {
    return users.create(actor, spec);
  }

  public User updateUser(Principal actor, String userId, UserPatch patch) {
    return users.update(actor, userId, patch);
  }

  /**
   * Creates a user from a form's or body's draft: when anything is wrong, every problem is refused
   * at once, an unknown team among them (see {@link Drafts}).
   */
  public User createUser(Principal actor, UserSpec.Builder draft) {
    return createUser(actor, drafts.user(actor, draft));
  }

  /** Changes a user from a draft, refusing every problem at once (see {@link Drafts}). */
  public User updateUser(Principal actor, String userId, UserPatch.Builder draft) {
    return updateUser(actor, userId, drafts.user(actor, userId, draft));
  }

  /** Deletes a user without keys ({@code ConflictException} otherwise). */
  public void deleteUser(Principal actor, String userId) {
    users.delete(actor, List.of(userId));
  }

  /**
   * Deletes every user named, or none (each is found and checked first; a user with keys is a
   * {@code ConflictException}). Returns the ids deleted.
   */
  public List<String> deleteUsers(Principal actor, List<String> userIds) {
    return users.delete(actor, userIds);
  }

  public User user(Principal actor, String userId) {
    return users.read(actor, userId);
  }

  public Page<User> users(Principal actor, UserQuery query) {
    return users.list(actor, query);
  }

  /**
   * The gateway user with this e-mail (exactly as stored), for single sign-on's mapping of an
   * employee to their own user; proxy admins only.
   */
  public Optional<User> userByEmail(Principal actor, String email) {
    return users.byEmail(actor, email);
  }

  /**
   * Audits a person's sign-in to the admin UI ({@code ui.sign_in}, target {@code session} and the
   * person's name), with their role and how they signed in; never a token.
   */
  public void recordSignIn(Principal.Person person, String method) {
    operators.recordSignIn(person, method);
  }

  /**
   * Takes a user out of its team (LiteLLM's {@code /team/member_delete}); the user and its keys
   * stay. Proxy admins and the team's admin only; {@code NotFoundException} if the user is not a
   * member.
   */
  public User removeFromTeam(Principal actor, String teamIdOrAlias, String userId) {
    return users.leaveTeam(actor, teamIdOrAlias, userId);
  }

  // Keys: a key reference is the plaintext key, its SHA-256 hex, or its id.

  /** Generates a key; the returned {@link IssuedKey} is the only place its plaintext exists. */
  public IssuedKey generateKey(Principal actor, KeySpec spec) {
    return keys.generate(actor, spec);
  }

  public VirtualKey key(Principal actor, String keyRef) {
    return keys.read(actor, keyRef);
  }

  /**
   * A key {@code actor} may see, for the admin UI's playground to send a request as it: audited as
   * {@code playground.chat} on that key (with the model), so the audit log shows which operator
   * spent which key's budget. One that {@code actor} may not see is not found, like a missing one.
   */
  public VirtualKey playgroundKey(Principal actor, String keyRef, String model) {
    return keys.playground(actor, keyRef, model);
  }

  public VirtualKey updateKey(Principal actor, String keyRef, KeyPatch patch) {
    return keys.update(actor, keyRef, patch);
  }

  /** Generates a key from a draft, refusing every problem at once (see {@link Drafts}). */
  public IssuedKey generateKey(Principal actor, KeySpec.Builder draft) {
    return generateKey(actor, drafts.key(actor, draft));
  }

  /** Changes a key from a draft, refusing every problem at once (see {@link Drafts}). */
  public VirtualKey updateKey(Principal actor, String keyRef, KeyPatch.Builder draft) {
    return updateKey(actor, keyRef, drafts.key(actor, keyRef, draft));
  }

  public VirtualKey blockKey(Principal actor, String keyRef, boolean blocked) {
    return keys.block(actor, keyRef, blocked);
  }

  /**
   * Gives the key a new value, keeping its id and settings. With a grace period the old value keeps
   * working until then; without one it stops at once.
   */
  public IssuedKey regenerateKey(Principal actor, String keyRef, Optional<Duration> grace) {
    return keys.regenerate(actor, keyRef, grace);
  }

  public void deleteKey(Principal actor, String keyRef) {
    keys.delete(actor, List.of(keyRef));
  }

  /** Deletes every key named, or none (each is found and checked first). Returns their ids. */
  public List<String> deleteKeys(Principal actor, List<String> keyRefs) {
    return keys.delete(actor, keyRefs);
  }

  public Page<VirtualKey> keys(Principal actor, KeyQuery query) {
    return keys.list(actor, query);
  }

  // Budgets and spend

  /**
   * Each budget window that applies to {@code scope} now: limit, committed, reserved, remaining,
   * period and reset time. A user's own budget for a window overrides the team's member budget.
   */
  public List<BudgetStatus> budgetStatus(Principal actor, BudgetScope scope) {
    return budgets.status(actor, scope);
  }

  public Page<SpendRecord> spendLogs(Principal actor, SpendQuery query) {
    return spend.logs(actor, query);
  }

  /**
   * Spend per hour or calendar day of the budget time zone (and per team, user, key or model when
   * the query groups), scoped like {@link #spendLogs}: a team admin reads only its team.
   */
  public List<SpendBucket> spendSeries(Principal actor, SpendSeriesQuery query) {
    return spend.series(actor, query);
  }

  /**
   * The request log: admitted requests (spend rows) and refused ones together, newest first, keys
   * shown by alias. Scoped like {@link #spendLogs}: a team admin reads its team's, an LLM key its
   * own user's (or its own key's); refusals for an unknown key (no key, no team) are for proxy
   * admins only.
   */
  public Page<RequestLogEntry> requestLogs(Principal actor, RequestLogQuery query) {
    return requestLog.list(actor, query);
  }

  /**
   * Totals per group for records that ended in {@code [from, to)}: every record for proxy admins
   * and viewers, a team admin's teams' records, a member's own; refused for an LLM key.
   */
  public List<SpendTotal> spendReport(Principal actor, SpendGroup group, Instant from, Instant to) {
    return spend.report(actor, group, from, to);
  }

  /**
   * Every spend record that ended in {@code [from, to)}, handed to {@code sink} one at a time and
   * never held all at once (the FOCUS export, docs/ADMIN_API.md); proxy admins and viewers only,
   * since the rows name every key, user and team.
   */
  public void exportSpend(Principal actor, Instant from, Instant to, Consumer<SpendRecord> sink) {
    spend.export(actor, from, to, sink);
  }

  // Audit

  /** The audit trail, newest first, optionally of one target type; proxy admins and viewers. */
  public Page<AuditEvent> auditEvents(
      Principal actor, Optional<String> targetType, PageRequest page) {
    return auditEvents(actor, AuditQuery.ofType(targetType, page));
  }

  /**
   * The audit trail filtered, searched and sorted as {@code query} asks; proxy admins and viewers
   * (the whole trail or nothing: it has no per-team scope).
   */
  public Page<AuditEvent> auditEvents(Principal actor, AuditQuery query) {
    return audit.list(actor, query);
  }

  // Models

  public Deployment upsertDeployment(Principal actor, Deployment deployment) {
    return models.upsert(actor, deployment);
  }

  public void deleteDeployment(Principal actor, String deploymentId) {
    models.delete(actor, deploymentId);
  }

  /** The models {@code actor} may use (every model for proxy admins and viewers). */
  public List<LogicalModel> models(Principal actor) {
    return models.models(actor);
  }

  // Named operators of the admin UI (proxy admins only); each change ends the person's sessions.

  /** Every named operator, by name. */
  public List<Operator> operators(Principal actor) {
    return operators.list(actor);
  }

  /**
   * Adds the operator {@code emailOrName} with {@code grant} (a team admin's teams by id or alias;
   * each must exist).
   */
  public Operator createOperator(Principal actor, String emailOrName, Grant grant) {
    return operators.create(actor, emailOrName, grant);
  }

  public Operator updateOperator(Principal actor, String emailOrName, Grant grant) {
    return operators.update(actor, emailOrName, grant);
  }

  public void deleteOperator(Principal actor, String emailOrName) {
    operators.delete(actor, emailOrName);
  }

  /**
   * What the named operator {@code emailOrName} may do, compared case-insensitively; empty if they
   * are not a named operator. Single sign-on asks this before its groups mapping. Not a caller's
   * request: there is no actor yet, the person is signing in.
   */
  public Optional<Grant> grantFor(String emailOrName) {
    return operators.grantFor(emailOrName);
  }
}
