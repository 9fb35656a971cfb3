package io.llmgateway.server.ui;

import io.llmgateway.core.identity.Grant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which identity-provider groups make a person a proxy admin, a viewer or the team admin of named
 * teams. The highest role among a person's groups wins (proxy admin, then team admin, then viewer:
 * a viewer reads everything but changes nothing, a team admin changes its teams, so neither
 * contains the other and the one that can act is preferred); several team-admin groups give the
 * union of their teams. Group names are compared exactly (IdPs send them as configured; Entra ID
 * sends object ids). Immutable and thread-safe.
 *
 * @param adminGroups groups whose members are proxy admins
 * @param viewerGroups groups whose members are read-only viewers
 * @param teamAdminGroups group to the team ids its members administer (each at least one)
 */
public record RoleMapping(
    Set<String> adminGroups, Set<String> viewerGroups, Map<String, Set<String>> teamAdminGroups) {

  public RoleMapping {
    adminGroups = Set.copyOf(new TreeSet<>(adminGroups));
    viewerGroups = Set.copyOf(new TreeSet<>(viewerGroups));
    Map<String, Set<String>> teams = new TreeMap<>();
    teamAdminGroups.forEach(
        (group, ids) -> {
          if (ids.isEmpty()) {
            throw new IllegalArgumentException("team-admin group " + group + " names no team");
          }
          teams.put(Objects.requireNonNull(group), Set.copyOf(new TreeSet<>(ids)));
        });
    teamAdminGroups = Map.copyOf(teams);
  }

  /** No group gives a role: only e-mails of gateway users (self-service) get in. */
  public static RoleMapping none() {
    return new RoleMapping(Set.of(), Set.of(), Map.of());
  }

  /** The grant the highest of these groups gives, or empty when none is mapped. */
  public Optional<Grant> grantFor(Collection<String> groups) {
    if (groups.stream().anyMatch(adminGroups::contains)) {
      return Optional.of(new Grant.ProxyAdmin());
    }
    Set<String> teams = new TreeSet<>();
    groups.forEach(g -> teams.addAll(teamAdminGroups.getOrDefault(g, Set.of())));
    if (!teams.isEmpty()) {
      return Optional.of(new Grant.TeamAdmin(teams));
    }
    if (groups.stream().anyMatch(viewerGroups::contains)) {
      return Optional.of(new Grant.Viewer());
    }
    return Optional.empty();
  }

  /**
   * One stable text of the whole mapping (sorted): part of the SSO session credential, so changing
   * who gets which role ends every SSO session made under the old mapping.
   */
  public String canonical() {
    Map<String, Set<String>> sorted = new TreeMap<>(teamAdminGroups);
    StringBuilder b = new StringBuilder();
    b.append("admin:").append(String.join("\u0000", new TreeSet<>(adminGroups))).append('\n');
    b.append("viewer:").append(String.join("\u0000", new TreeSet<>(viewerGroups))).append('\n');
    sorted.forEach(
        (g, t) ->
            b.append("team:")
                .append(g)
                .append('\u0001')
                .append(String.join("\u0000", new TreeSet<>(t)))
                .append('\n'));
    return b.toString();
  }

  /**
   * Parses {@code group=team-id[,team-id];group2=team-id}: entries separated by {@code ;}, a group
   * and its teams by {@code =}, teams by {@code ,}; blanks around names are ignored.
   *
   * @throws IllegalArgumentException saying which entry is wrong
   */
  public static Map<String, Set<String>> parseTeamGroups(String text) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (String entry : text.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq < 0 || entry.indexOf('=', eq + 1) >= 0) {
        throw new IllegalArgumentException("'" + entry.trim() + "' is not group=team-id[,team-id]");
      }
      String group = entry.substring(0, eq).trim();
      Set<String> teams = parseList(entry.substring(eq + 1));
      if (group.isEmpty() || teams.isEmpty()) {
        throw new IllegalArgumentException(
            "'" + entry.trim() + "' needs a group name and at least one team id");
      }
      if (out.containsKey(group)) {
        throw new IllegalArgumentException("group '" + group + "' is listed twice");
      }
      out.put(group, teams);
    }
    return out;
  }

  /** Parses a comma-separated list, ignoring blanks. */
  public static Set<String> parseList(String text) {
    Set<String> out = new TreeSet<>();
    for (String s : text.split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }
}
