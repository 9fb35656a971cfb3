package io.llmgateway.cli.admin;

import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.admin.KeyPatch;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.admin.TeamPatch;
import io.llmgateway.core.admin.TeamSpec;
import io.llmgateway.core.admin.UserPatch;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendTotal;
import io.llmgateway.postgres.PostgresAlerts;
import io.llmgateway.postgres.PostgresAlerts.Thresholds;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@link Admin} operations straight on the database, through the core's {@link AdminService}:
 * always acting as the proxy admin ({@link Principal#MASTER}: whoever can run the CLI against the
 * database owns it anyway), with look-ups that answer {@link Optional} instead of throwing {@link
 * NotFoundException}, and keys findable by alias too. Every read and change goes through the
 * service, so role checks, validation, audit and cache invalidation are the same as over HTTP.
 * Thread-safe.
 */
public final class ServiceAdmin implements Admin {
  private static final Principal ACTOR = Principal.MASTER;
  private final AdminService service;
  private final ZoneId zone;
  private final Optional<PostgresAlerts> alerts;

  public ServiceAdmin(AdminService service, ZoneId zone) {
    this(service, zone, Optional.empty());
  }

  public ServiceAdmin(AdminService service, ZoneId zone, Optional<PostgresAlerts> alerts) {
    this.service = service;
    this.zone = zone;
    this.alerts = alerts;
  }

  @Override
  public void setAlerts(AlertChange c) {
    PostgresAlerts a = alertsOrRefuse();
    String kind = c.kind().toUpperCase(java.util.Locale.ROOT);
    Thresholds old =
        a.thresholds(kind, c.id())
            .orElse(
                new Thresholds(kind, c.id(), Optional.empty(), Optional.empty(), Optional.empty()));
    Optional<List<Integer>> fractions = old.fractionsBp();
    if (c.thresholds().isPresent()) {
      try {
        fractions = c.thresholds().get().map(PostgresAlerts::fractionsBp);
      } catch (IllegalArgumentException e) {
        throw io.llmgateway.cli.CliException.validation("--alert-thresholds: " + e.getMessage());
      }
    }
    Optional<Long> soft = Optional.empty();
    if (c.softUsd().isPresent() && c.softUsd().get().isPresent()) {
      soft = Optional.of(AlertBodies.softNanos(c.softUsd().get().get()));
    }
    boolean setSoft = c.softUsd().isPresent();
    a.setThresholds(
        new Thresholds(
            kind,
            c.id(),
            fractions,
            setSoft && c.daily() ? soft : old.softDailyNanos(),
            setSoft && !c.daily() ? soft : old.softMonthlyNanos()),
        Optional.of(((Principal.Master) ACTOR).name()));
  }

  @Override
  public List<AlertRow> alerts(Optional<String> state, int limit) {
    return alertsOrRefuse().list(Optional.empty(), state, limit).stream()
        .map(AlertBodies::row)
        .toList();
  }

  private PostgresAlerts alertsOrRefuse() {
    return alerts.orElseThrow(
        () ->
            io.llmgateway.cli.CliException.validation(
                "budget alerts need the PostgreSQL database"));
  }

  @Override
  public ZoneId zone() {
    return zone;
  }

  @Override
  public void createTeam(TeamSpec spec) {
    service.createTeam(ACTOR, spec);
  }

  @Override
  public void updateTeam(String teamId, TeamPatch patch) {
    service.updateTeam(ACTOR, teamId, patch);
  }

  @Override
  public void upsertDeployment(Deployment deployment) {
    service.upsertDeployment(ACTOR, deployment);
  }

  @Override
  public Page<Team> teams(PageRequest page) {
    return service.teams(ACTOR, page);
  }

  /** A team by id or alias. */
  @Override
  public Optional<Team> team(String idOrAlias) {
    return optional(() -> service.team(ACTOR, idOrAlias));
  }

  @Override
  public Page<User> users(UserQuery query) {
    return service.users(ACTOR, query);
  }

  @Override
  public Optional<User> user(String userId) {
    return optional(() -> service.user(ACTOR, userId));
  }

  @Override
  public User createUser(UserSpec spec) {
    return service.createUser(ACTOR, spec);
  }

  @Override
  public User updateUser(String userId, UserPatch patch) {
    return service.updateUser(ACTOR, userId, patch);
  }

  @Override
  public Page<VirtualKey> keys(KeyQuery query) {
    return service.keys(ACTOR, query);
  }

  /** A key by id (or plaintext, or hash), else by alias. */
  @Override
  public Optional<VirtualKey> key(String ref) {
    return optional(() -> service.key(ACTOR, ref))
        .or(
            () ->
                service
                    .keys(ACTOR, KeyQuery.builder(PageRequest.first(1)).alias(ref).build())
                    .items()
                    .stream()
                    .findFirst());
  }

  @Override
  public IssuedKey generateKey(KeySpec spec) {
    return service.generateKey(ACTOR, spec);
  }

  @Override
  public VirtualKey updateKey(String keyId, KeyPatch patch) {
    return service.updateKey(ACTOR, keyId, patch);
  }

  @Override
  public VirtualKey block(String keyId, boolean blocked) {
    return service.blockKey(ACTOR, keyId, blocked);
  }

  @Override
  public void revoke(String keyId) {
    service.deleteKey(ACTOR, keyId);
  }

  /** A new secret for the key; with a grace period the old one keeps working until it ends. */
  @Override
  public IssuedKey rotate(String keyId, Optional<Duration> grace) {
    return service.regenerateKey(ACTOR, keyId, grace);
  }

  @Override
  public List<LogicalModel> models() {
    return service.models(ACTOR);
  }

  @Override
  public List<SpendTotal> spendReport(SpendGroup group, Instant from, Instant to) {
    return service.spendReport(ACTOR, group, from, to);
  }

  @Override
  public void exportSpend(Instant from, Instant to, java.io.Writer out) {
    io.llmgateway.core.spend.FocusCsv csv =
        new io.llmgateway.core.spend.FocusCsv(out, "llm-gateway").header();
    service.exportSpend(ACTOR, from, to, csv::write);
    csv.flush();
  }

  private static <T> Optional<T> optional(Supplier<T> read) {
    try {
      return Optional.of(read.get());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }
}
