package io.llmgateway.core.admin;

import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.VirtualKey;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The key listing behind {@link KeyAdmin}, scoped to the caller: every key for proxy admins and
 * viewers, a team admin's teams' keys, a member's own user's keys, an LLM key itself.
 */
final class KeyListing {
  private KeyListing() {}

  static Page<VirtualKey> list(AdminContext ctx, Principal actor, KeyQuery query) {
    Optional<String> wanted = query.teamId().map(t -> ctx.findTeam(t).map(Team::id).orElse(t));
    KeyQuery resolved = query.toBuilder().team(wanted).build();
    if (Access.readsAll(actor)) {
      return ctx.stores.keys().list(resolved);
    }
    Set<String> own = Access.adminTeams(actor);
    if (!own.isEmpty()) {
      if (wanted.isPresent() && !own.contains(wanted.get())) {
        throw Access.denied(actor, "list keys outside its teams");
      }
      List<String> teams =
          wanted.map(List::of).orElseGet(() -> new TreeSet<>(own).stream().toList());
      return Pages.concat(
          teams.stream()
              .<Function<PageRequest, Page<VirtualKey>>>map(
                  t -> p -> ctx.stores.keys().list(query.toBuilder().team(t).page(p).build()))
              .toList(),
          query.page());
    }
    Optional<String> member = Access.selfUser(actor);
    if (member.isPresent()) {
      // A member lists its own user's keys, within the filters it gave.
      if (query.userId().isPresent() && !query.userId().equals(member)) {
        throw Access.denied(actor, "list another user's keys");
      }
      return ctx.stores.keys().list(query.toBuilder().user(member).team(wanted).build());
    }
    // An LLM key sees itself, if it matches the filters.
    VirtualKey self = ((Principal.Keyed) actor).key();
    boolean matches =
        (query.userId().isEmpty() || query.userId().equals(self.userId()))
            && (wanted.isEmpty() || wanted.equals(self.teamId()))
            && (query.alias().isEmpty() || query.alias().equals(self.alias()))
            && query.matchesSearch(self);
    List<VirtualKey> items =
        matches ? ctx.stores.keys().findById(self.id()).stream().toList() : List.of();
    return new Page<>(query.page().page() == 1 ? items : List.of(), items.size(), query.page());
  }
}
