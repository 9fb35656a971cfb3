package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.RateLimits;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Ids are data, never part of a URL's structure (issue 15, finding 11): a user named like a path
 * ({@code ../keys/<id>/unblock?}) must not turn the Delete button of its row into a post to another
 * route, and a user whose id has a {@code /} must be deletable from the UI. The hostile rows are
 * written with SQL, as data from before id rules existed (the UI must be safe whatever core
 * validation accepts). Forms are submitted the way a browser does: the {@code action} is
 * HTML-unescaped and resolved against the page's URL (which normalises {@code ..}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiHostileIdsTest {
  private static final Pattern ROW = Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL);
  private static final Pattern FORM =
      Pattern.compile(
          "<form method=\"post\" action=\"([^\"]*)\"[^>]*>(.*?)</form>", Pattern.DOTALL);
  private static final Pattern INPUT =
      Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

  private UiStack stack;

  @BeforeAll
  void start() {
    stack = UiStack.start();
  }

  @AfterAll
  void stop() {
    stack.close();
  }

  private AdminService admin() {
    return stack.server().gateway().admin();
  }

  private UiHttp signedIn() throws Exception {
    UiHttp c = new UiHttp(stack.baseUrl());
    assertThat(c.signIn(UiStack.USER, UiStack.PASSWORD).statusCode()).isEqualTo(303);
    return c;
  }

  private void insertUser(String id) {
    stack.sql(
        "INSERT INTO users (id, role, created_at, updated_at) VALUES (?, 'INTERNAL_USER', now(),"
            + " now())",
        id);
  }

  /** Clicks the first form of the table row that shows {@code cellText}, as a browser would. */
  private HttpResponse<String> submitRowForm(UiHttp c, String page, String cellText, String verb)
      throws Exception {
    String html = c.get(page).body();
    Matcher row = ROW.matcher(html);
    while (row.find()) {
      if (!cells(row.group(1)).contains(cellText)) {
        continue;
      }
      Matcher form = FORM.matcher(row.group(1));
      while (form.find()) {
        if (!form.group(2).contains(verb)) {
          continue;
        }
        Map<String, String> fields = new HashMap<>();
        Matcher input = INPUT.matcher(form.group(2));
        while (input.find()) {
          fields.put(unescape(input.group(1)), unescape(input.group(2)));
        }
        URI target =
            URI.create(stack.baseUrl() + page).resolve(unescape(form.group(1))).normalize();
        String path =
            target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        return c.post(path, fields, c.sameOrigin());
      }
    }
    throw new AssertionError("no " + verb + " form in the row of " + cellText + " on " + page);
  }

  @Test
  void aUserIdShapedLikeAPathCannotRedirectItsDeleteButton() throws Exception {
    String keyId =
        admin()
            .generateKey(
                Principal.MASTER,
                new KeySpec(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of("victim-key"),
                    KeyRole.LLM_API,
                    List.of(),
                    List.of(),
                    RateLimits.NONE,
                    Optional.empty(),
                    Optional.empty(),
                    true,
                    Map.of(),
                    Optional.empty()))
            .key()
            .id();
    String hostile = "../keys/" + keyId + "/unblock?";
    insertUser(hostile);
    UiHttp c = signedIn();

    HttpResponse<String> r = submitRowForm(c, "/ui/users", hostile, "Delete");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
    assertThat(admin().key(Principal.MASTER, keyId).blocked())
        .as("victim key still blocked")
        .isTrue();
    assertThat(stack.sqlString("SELECT count(*) FROM users WHERE id = ?", hostile)).isEqualTo("0");
  }

  @Test
  void aUserIdWithASlashIsDeletableFromTheUi() throws Exception {
    insertUser("ops/alice");
    UiHttp c = signedIn();

    HttpResponse<String> r = submitRowForm(c, "/ui/users", "ops/alice", "Delete");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
    assertThat(stack.sqlString("SELECT count(*) FROM users WHERE id = ?", "ops/alice"))
        .isEqualTo("0");
  }

  @Test
  void linksCarryIdsEncoded() throws Exception {
    insertUser("a&b=c#d");
    String html = unescape(signedIn().get("/ui/users").body());

    assertThat(html).doesNotContain("user=a&b=c#d").contains("/ui/keys?user=a%26b%3Dc%23d\"");
  }

  @Test
  void uiActionsAreAuditedAsTheSignedInOperator() throws Exception {
    UiHttp c = signedIn();
    String token = c.csrf("/ui/teams");
    HttpResponse<String> r =
        c.post("/ui/teams", Map.of("alias", "audited-team", "_csrf", token), c.sameOrigin());
    assertThat(r.statusCode()).isEqualTo(303);

    assertThat(
            stack.sqlString(
                "SELECT actor FROM audit_log WHERE after->>'team_alias' = 'audited-team'"
                    + " ORDER BY seq DESC LIMIT 1"))
        .isEqualTo("ui:" + UiStack.USER);
  }

  private static List<String> cells(String row) {
    // A cell's text, also when it is a link (the users list links each id to its page).
    Matcher m = Pattern.compile("<td>(?:<a [^>]*>)?([^<]*)(?:</a>)?</td>").matcher(row);
    List<String> out = new java.util.ArrayList<>();
    while (m.find()) {
      out.add(unescape(m.group(1)));
    }
    return out;
  }

  /** HTML character references back to text (what a browser does with attribute values). */
  private static String unescape(String s) {
    Matcher m = Pattern.compile("&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);").matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String e = m.group(1);
      String text =
          switch (e) {
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            default ->
                Character.toString(
                    e.startsWith("#x")
                        ? Integer.parseInt(e.substring(2), 16)
                        : Integer.parseInt(e.substring(1)));
          };
      m.appendReplacement(out, Matcher.quoteReplacement(text));
    }
    m.appendTail(out);
    return out.toString();
  }
}
