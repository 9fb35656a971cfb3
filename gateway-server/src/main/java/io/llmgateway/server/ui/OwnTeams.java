package io.llmgateway.server.ui;

import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.session.UiSession;
import java.util.List;
import java.util.Optional;

/**
 * The team filter of the report pages (Usage, Requests) for a team admin of several teams. The
 * core's scope rule ({@code SpendAdmin.scope}) refuses to guess which of them a read is about
 * ("name one of your teams"); a page the person opens from the menu must not answer that, so it
 * picks the first of their teams (in the grant's sorted order) and offers only their teams to
 * choose from. Everyone else keeps "all" (their reads are not ambiguous). Stateless.
 */
final class OwnTeams {
  private OwnTeams() {}

  /** The person's teams when a read must name one of them (team admin of 2+), else empty. */
  static List<String> ofSeveral(UiSession session) {
    return session.grant() instanceof Grant.TeamAdmin t && t.teamIds().size() > 1
        ? List.copyOf(t.teamIds())
        : List.of();
  }

  /** The team filter asked for, else, for a team admin of several teams, the first of them. */
  static Optional<String> filter(UiSession session, Optional<String> asked) {
    return asked.or(() -> ofSeveral(session).stream().findFirst());
  }
}
