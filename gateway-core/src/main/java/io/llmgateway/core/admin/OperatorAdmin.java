package io.llmgateway.core.admin;

import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.identity.Operator;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The admin UI's named operators behind {@link AdminService}: proxy admins manage the list; single
 * sign-on asks {@link #grantFor} what a person signing in may do. Adding, changing or removing an
 * operator ends that person's live UI sessions on every instance, so a new role (or none) applies
 * from their next sign-in, never later.
 */
final class OperatorAdmin {
  private final AdminContext ctx;

  OperatorAdmin(AdminContext ctx) {
    this.ctx = ctx;
  }

  List<Operator> list(Principal actor) {
    Access.requireProxyAdmin(actor, "read the operators");
    return ctx.stores.operators().list();
  }

  Operator create(Principal actor, String name, Grant grant) {
    Access.requireAdministers(actor, "change the operators");
    Access.requireProxyAdmin(actor, "change the operators");
    Operator operator =
        Validation.domain(() -> new Operator(name, resolve(grant), ctx.now(), ctx.now()));
    ctx.stores.operators().insert(operator);
    ctx.recordUncached(
        actor, "operator.create", "operator", operator.name(), Map.of(), of(operator));
    ctx.stores.sessions().deleteByUsername(operator.name());
    return operator;
  }

  Operator update(Principal actor, String name, Grant grant) {
    Access.requireAdministers(actor, "change the operators");
    Access.requireProxyAdmin(actor, "change the operators");
    Operator old = find(name);
    Operator changed =
        Validation.domain(
            () -> new Operator(old.name(), resolve(grant), old.createdAt(), ctx.now()));
    ctx.stores.operators().update(changed);
    ctx.recordUncached(actor, "operator.update", "operator", old.name(), of(old), of(changed));
    ctx.stores.sessions().deleteByUsername(old.name());
    return changed;
  }

  void delete(Principal actor, String name) {
    Access.requireAdministers(actor, "change the operators");
    Access.requireProxyAdmin(actor, "change the operators");
    Operator old = find(name);
    ctx.stores.operators().delete(old.name());
    ctx.recordUncached(actor, "operator.delete", "operator", old.name(), of(old), Map.of());
    ctx.stores.sessions().deleteByUsername(old.name());
  }

  /** Audits a person's sign-in ({@code ui.sign_in}) with their role and how; never a token. */
  void recordSignIn(Principal.Person person, String method) {
    Map<String, Object> after = new LinkedHashMap<>();
    after.put("role", person.grant().role());
    after.put("method", method);
    if (person.grant() instanceof Grant.TeamAdmin t) {
      after.put("teams", List.copyOf(t.teamIds()));
    }
    if (person.grant() instanceof Grant.Member m) {
      after.put("user_id", m.userId());
    }
    ctx.recordNew(person, "ui.sign_in", "session", person.name(), after);
  }

  Optional<Grant> grantFor(String emailOrName) {
    if (emailOrName == null || emailOrName.isBlank()) {
      return Optional.empty();
    }
    return ctx.stores.operators().find(Operator.normalize(emailOrName)).map(Operator::grant);
  }

  private Operator find(String name) {
    String key = Validation.domain(() -> Operator.normalize(name));
    return ctx.stores
        .operators()
        .find(key)
        .orElseThrow(() -> new NotFoundException("operator '" + key + "' does not exist"));
  }

  /** A team admin's teams by id, each of which must exist (given by id or alias). */
  private Grant resolve(Grant grant) {
    if (!(grant instanceof Grant.TeamAdmin t)) {
      return grant;
    }
    TreeSet<String> ids = new TreeSet<>();
    for (String ref : t.teamIds()) {
      ids.add(
          ctx.findTeam(ref)
              .map(Team::id)
              .orElseThrow(
                  () -> new InvalidRequestException("team '" + ref + "' does not exist", "teams")));
    }
    return new Grant.TeamAdmin(ids);
  }

  static Map<String, Object> of(Operator o) {
    var m = new LinkedHashMap<String, Object>();
    m.put("operator", o.name());
    m.put("role", o.grant().role());
    if (o.grant() instanceof Grant.TeamAdmin t) {
      m.put("teams", List.copyOf(new TreeSet<>(t.teamIds())));
    }
    return m;
  }
}
