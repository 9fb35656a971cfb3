package io.llmgateway.core.admin;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.VirtualKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one check of model names on teams, users and keys (issue 16), called by every create and
 * update path of {@link AdminService}, so the admin API, the UI and the CLI's tiers sync refuse the
 * same things:
 *
 * <ul>
 *   <li>every name a change adds must be a logical model of the catalog (names already stored are
 *       not re-checked, so an object naming a model deleted long ago can still be edited);
 *   <li>a non-empty list must fit inside the lists above it: a user's within its team's, a key's
 *       within its team's and its user's (an empty list means "whatever is above", as in LiteLLM);
 *   <li>a team or user cannot narrow its list under the users and keys that name a removed model,
 *       and the catalog cannot lose a model that a team, user or key still names (those would be
 *       objects that can call nothing).
 * </ul>
 *
 * <p>Special values such as LiteLLM's {@code all-proxy-models} are not accepted anywhere in this
 * gateway (an empty list is "every model"), so they are unknown names here too.
 *
 * <p>Each check returns its {@link Problem}s so a form can show every problem at once; {@link
 * #require} throws the first field's problems as one {@link InvalidRequestException}. Stateless
 * apart from the stores it reads.
 */
final class ModelReferences {
  /** One problem with one field: {@code param} is the request field, as the API names it. */
  record Problem(String param, String message) {}

  /** How many referencing objects a message names before saying "and N more". */
  private static final int NAMED = 5;

  private final AdminContext ctx;

  ModelReferences(AdminContext ctx) {
    this.ctx = ctx;
  }

  /**
   * The problems of {@code after} as the {@code param} list of an object that had {@code before}
   * and will be in {@code team} and belong to {@code user} (each if any).
   */
  List<Problem> problems(
      String param,
      List<String> before,
      List<String> after,
      Optional<Team> team,
      Optional<User> user) {
    List<Problem> problems = new ArrayList<>();
    List<String> known = known();
    List<String> unknown =
        after.stream().filter(m -> !before.contains(m) && !known.contains(m)).toList();
    if (!unknown.isEmpty()) {
      problems.add(
          new Problem(
              param,
              (unknown.size() == 1 ? "unknown model " : "unknown models ")
                  + quoted(unknown)
                  + "; known models: "
                  + (known.isEmpty() ? "none" : String.join(", ", known))));
    }
    if (!after.isEmpty()) {
      team.filter(t -> !t.models().isEmpty())
          .ifPresent(t -> outside(param, after, t.models(), "team '" + t.id() + "'", problems));
      user.filter(u -> !u.models().isEmpty())
          .ifPresent(u -> outside(param, after, u.models(), "user '" + u.id() + "'", problems));
    }
    return problems;
  }

  /**
   * The problems of a team narrowing its models to {@code after}: its users and keys that name a
   * model it would no longer have.
   */
  List<Problem> teamNarrowing(Team team, List<String> after) {
    if (after.isEmpty()) {
      return List.of();
    }
    Stranded stranded = new Stranded(after);
    Listings.all(p -> ctx.stores.users().list(UserQuery.builder(p).team(team.id()).build()))
        .forEach(u -> stranded.check("user '" + u.id() + "'", u.models()));
    Listings.all(p -> ctx.stores.keys().list(keysOf(Optional.empty(), Optional.of(team.id()), p)))
        .forEach(k -> stranded.check(keyName(k), k.models()));
    return stranded.problems("team '" + team.id() + "'");
  }

  /** The problems of a user narrowing its models to {@code after}: its keys outside them. */
  List<Problem> userNarrowing(User user, List<String> after) {
    if (after.isEmpty()) {
      return List.of();
    }
    Stranded stranded = new Stranded(after);
    Listings.all(p -> ctx.stores.keys().list(keysOf(Optional.of(user.id()), Optional.empty(), p)))
        .forEach(k -> stranded.check(keyName(k), k.models()));
    return stranded.problems("user '" + user.id() + "'");
  }

  private static KeyQuery keysOf(Optional<String> user, Optional<String> team, PageRequest p) {
    return KeyQuery.builder(p).user(user).team(team).build();
  }

  /** The objects whose model lists leave a narrowed list, and the models they still name. */
  private static final class Stranded {
    private final List<String> after;
    private final Set<String> models = new LinkedHashSet<>();
    private final List<String> names = new ArrayList<>();

    Stranded(List<String> after) {
      this.after = after;
    }

    void check(String name, List<String> named) {
      List<String> lost = named.stream().filter(m -> !after.contains(m)).toList();
      if (!lost.isEmpty()) {
        models.addAll(lost);
        names.add(name);
      }
    }

    List<Problem> problems(String owner) {
      if (names.isEmpty()) {
        return List.of();
      }
      return List.of(
          new Problem(
              "models",
              owner
                  + " would lose "
                  + quoted(List.copyOf(models))
                  + ", still named by "
                  + named(names)
                  + "; change their models first"));
    }
  }

  /** Throws the problems of the first field that has any, as one client error naming it. */
  static void require(List<Problem> problems) {
    if (problems.isEmpty()) {
      return;
    }
    String param = problems.getFirst().param();
    throw new InvalidRequestException(message(problems, param), param);
  }

  /**
   * Records the problems into a form's or body's collector, one entry per field worded as {@link
   * #require} words it, so a draft refused anyway names its models with its other problems.
   */
  static void record(List<Problem> problems, Problems into) {
    problems.stream()
        .map(Problem::param)
        .distinct()
        .forEach(param -> into.add(param, message(problems, param)));
  }

  private static String message(List<Problem> problems, String param) {
    List<String> messages =
        problems.stream().filter(p -> p.param().equals(param)).map(Problem::message).toList();
    return param + ": " + String.join("; ", messages);
  }

  private List<String> known() {
    return ctx.stores.catalog().models().stream().map(LogicalModel::name).sorted().toList();
  }

  private static void outside(
      String param, List<String> models, List<String> allowed, String owner, List<Problem> out) {
    List<String> extra = models.stream().filter(m -> !allowed.contains(m)).toList();
    if (!extra.isEmpty()) {
      out.add(
          new Problem(
              param,
              quoted(extra)
                  + (extra.size() == 1 ? " is" : " are")
                  + " not among the models of "
                  + owner
                  + " ("
                  + String.join(", ", allowed)
                  + ")"));
    }
  }

  private static String keyName(VirtualKey k) {
    return "key '" + k.alias().orElse(k.id()) + "'";
  }

  private static String named(List<String> names) {
    List<String> shown = names.subList(0, Math.min(NAMED, names.size()));
    String more = names.size() > NAMED ? " and " + (names.size() - NAMED) + " more" : "";
    return String.join(", ", shown) + more;
  }

  private static String quoted(List<String> names) {
    Set<String> q = new LinkedHashSet<>();
    names.forEach(n -> q.add("'" + n + "'"));
    return String.join(", ", q);
  }
}
