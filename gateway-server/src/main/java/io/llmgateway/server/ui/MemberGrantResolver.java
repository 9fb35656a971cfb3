package io.llmgateway.server.ui;

import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.User;
import java.util.Locale;
import java.util.Optional;

/**
 * Self-service: a person whose verified e-mail is a gateway user's signs in as that user ({@link
 * Grant.Member}). The e-mail is looked up as the provider sends it, then lower-cased (providers
 * keep the case people typed; gateway users are usually created lower-case). An unverified or
 * missing e-mail matches no one. Reads through the one {@link AdminService}. Thread-safe.
 */
final class MemberGrantResolver implements GrantResolver {
  /** The sign-in step itself, not a person: looks users up, changes nothing. */
  private static final Principal SIGN_IN = new Principal.Master("ui:sign-in");

  private final AdminService admin;

  MemberGrantResolver(AdminService admin) {
    this.admin = admin;
  }

  @Override
  public Optional<Grant> resolve(SsoPerson person) {
    return person.verifiedEmail().flatMap(this::user).map(u -> new Grant.Member(u.id()));
  }

  private Optional<User> user(String email) {
    Optional<User> exact = admin.userByEmail(SIGN_IN, email);
    String lower = email.toLowerCase(Locale.ROOT);
    return exact.isPresent() || lower.equals(email) ? exact : admin.userByEmail(SIGN_IN, lower);
  }
}
