package io.llmgateway.server.admin;

import static io.llmgateway.server.admin.Policy.TEAM_ADMIN_OK;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.admin.UserPatch;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserRole;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /team/member_add} and {@code /team/member_delete}. A user belongs to at most one team:
 * adding a member of another team is 409; removing a member keeps the user and its keys. Team
 * admins are keys ({@code key_type: team_admin}), so a member's {@code role} must be {@code user}.
 */
final class TeamMemberRoutes {
  private final AdminApi api;
  private final TeamRoutes teams;

  TeamMemberRoutes(AdminApi api, TeamRoutes teams) {
    this.api = api;
    this.teams = teams;
  }

  List<AdminRoute> routes() {
    return List.of(
        AdminRoute.post("/team/member_add", TEAM_ADMIN_OK, "Add users to a team", this::memberAdd),
        AdminRoute.post(
            "/team/member_delete", TEAM_ADMIN_OK, "Remove a user from a team", this::memberDelete));
  }

  private JsonNode memberAdd(AdminCall call) throws Exception {
    Body b = call.body(Set.of("team_id", "member"));
    Team team = api.admin().team(call.actor(), b.requiredText("team_id"));
    JsonNode raw = b.raw("member").orElseThrow(() -> Body.invalid("member", "member is required"));
    List<JsonNode> items = new ArrayList<>();
    if (raw.isArray()) {
      raw.forEach(items::add);
    } else {
      items.add(raw);
    }
    if (items.isEmpty() || items.size() > Body.MAX_LIST) {
      throw Body.invalid("member", "member must be one member or a list of 1 to 1000 members");
    }
    // Validate every member before changing anyone, so a bad entry stores nothing.
    record Plan(Optional<User> existing, Optional<String> userId, Optional<String> email) {}
    List<Plan> plans = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      if (!item.isObject()) {
        throw Body.invalid(
            "member", "member must be an object {\"user_id\" or \"user_email\", \"role\"}");
      }
      Body m = Body.of(item, Set.of("user_id", "user_email", "role"));
      String role = m.text("role").orElse("user");
      if (!role.equals("user")) {
        throw Body.invalid(
            "member.role",
            "member.role must be 'user': team admins are keys (key_type team_admin on /key/generate)");
      }
      Optional<String> userId = m.text("user_id");
      Optional<String> email = m.text("user_email");
      if (userId.isEmpty() && email.isEmpty()) {
        throw Body.invalid("member.user_id", "member needs user_id or user_email");
      }
      if (!seen.add(userId.orElse("") + "\n" + email.orElse(""))) {
        throw Body.invalid("member", "member lists the same user twice");
      }
      Optional<User> existing = userId.flatMap(id -> findUser(call.actor(), id));
      if (existing.isPresent() && existing.get().teamId().isPresent()) {
        String current = existing.get().teamId().get();
        throw new ConflictException(
            current.equals(team.id())
                ? "user '" + userId.get() + "' is already a member of team '" + team.id() + "'"
                : "user '"
                    + userId.get()
                    + "' belongs to team '"
                    + current
                    + "'; a user is in one team at a time, remove it there first");
      }
      plans.add(new Plan(existing, userId, email));
    }
    ArrayNode updated = AdminJson.array();
    for (Plan p : plans) {
      User u;
      if (p.existing().isPresent()) {
        u =
            api.admin()
                .updateUser(
                    call.actor(),
                    p.existing().get().id(),
                    UserPatch.builder().teamId(team.id()).build());
      } else {
        u =
            api.admin()
                .createUser(
                    call.actor(),
                    new UserSpec(
                        p.userId(),
                        p.email(),
                        Optional.empty(),
                        Optional.of(team.id()),
                        UserRole.INTERNAL_USER,
                        List.of(),
                        List.of(),
                        RateLimits.NONE,
                        Map.of()));
      }
      updated.add(Views.user(u, List.of(), api.json().mapper()));
    }
    ObjectNode o = teams.view(call.actor(), team);
    o.set("members_with_roles", teams.membersWithRoles(call.actor(), team.id()));
    o.set("updated_users", updated);
    return o;
  }

  private Optional<User> findUser(Principal actor, String id) {
    try {
      return Optional.of(api.admin().user(actor, id));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  private JsonNode memberDelete(AdminCall call) throws Exception {
    Body b = call.body(Set.of("team_id", "user_id", "user_email"));
    Team team = api.admin().team(call.actor(), b.requiredText("team_id"));
    String userId;
    if (b.has("user_id")) {
      userId = b.requiredText("user_id");
    } else {
      String email =
          b.text("user_email")
              .orElseThrow(() -> Body.invalid("user_id", "give user_id or user_email"));
      userId =
          teams.members(call.actor(), team.id()).stream()
              .filter(u -> u.email().equals(Optional.of(email)))
              .map(User::id)
              .findFirst()
              .orElseThrow(
                  () ->
                      new NotFoundException(
                          "no member with email '" + email + "' in team '" + team.id() + "'"));
    }
    api.admin().removeFromTeam(call.actor(), team.id(), userId);
    ObjectNode o = teams.view(call.actor(), team);
    o.set("members_with_roles", teams.membersWithRoles(call.actor(), team.id()));
    return o;
  }
}
