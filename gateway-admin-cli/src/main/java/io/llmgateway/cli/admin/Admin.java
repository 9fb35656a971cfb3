package io.llmgateway.cli.admin;

import io.llmgateway.config.ConfigSync;
import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.admin.KeyPatch;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.admin.UserPatch;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendTotal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * The admin operations the CLI's commands need, whichever way the gateway is reached: straight on
 * PostgreSQL ({@link ServiceAdmin}, as the proxy admin) or over the admin API ({@link HttpAdmin},
 * as whoever the admin key belongs to); as a {@link ConfigSync.Target} it applies tiers.yaml and
 * models.yaml either way. Look-ups answer {@link Optional}: empty also when the caller may not see
 * the object. Implementations are thread-safe.
 */
public interface Admin extends ConfigSync.Target {

  Page<Team> teams(PageRequest page);

  Page<User> users(UserQuery query);

  Optional<User> user(String userId);

  User createUser(UserSpec spec);

  /** Changes the fields the patch holds; the others stay. */
  User updateUser(String userId, UserPatch patch);

  Page<VirtualKey> keys(KeyQuery query);

  /** A key by id, else by alias. */
  Optional<VirtualKey> key(String ref);

  IssuedKey generateKey(KeySpec spec);

  /** Changes the fields the patch holds; the others stay. */
  VirtualKey updateKey(String keyId, KeyPatch patch);

  VirtualKey block(String keyId, boolean blocked);

  void revoke(String keyId);

  /** A new secret for the key; with a grace period the old one keeps working until it ends. */
  IssuedKey rotate(String keyId, Optional<Duration> grace);

  /**
   * Refuses up front, before planning anything, when the caller may not change teams and models (a
   * team-admin key over the API); {@code what} names the command.
   */
  default void requireProxyAdmin(String what) {}

  /** Totals per group of the records that ended in {@code [from, to)}, the largest first. */
  List<SpendTotal> spendReport(SpendGroup group, Instant from, Instant to);

  /**
   * The spend log rows that ended in {@code [from, to)} as FinOps FOCUS CSV, written to {@code out}
   * as they are read.
   */
  void exportSpend(Instant from, Instant to, java.io.Writer out) throws java.io.IOException;

  /** The budget time zone: the days of reports and the budget windows are in it. */
  ZoneId zone();

  /**
   * Sets a key's, user's or team's alert thresholds and soft budget (audited). Over the API it is
   * the object's own update route, so the key's rights on the object apply.
   */
  void setAlerts(AlertChange change);

  /** Recorded budget alerts, newest first; {@code state} pending, delivered or failed. */
  List<AlertRow> alerts(Optional<String> state, int limit);

  /** A team by id or alias. */
  @Override
  Optional<Team> team(String idOrAlias);

  @Override
  List<LogicalModel> models();
}
