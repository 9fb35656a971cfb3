package io.llmgateway.core.contract;

import static io.llmgateway.core.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.session.SessionStore;
import io.llmgateway.core.session.UiSession;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link SessionStore} must do. Subclass it with a factory for fresh, empty stores. */
public abstract class SessionStoreContract {

  protected abstract SessionStore newStore();

  protected SessionStore store;

  @BeforeEach
  void setUpStore() {
    store = newStore();
  }

  private static String hash(char c) {
    return String.valueOf(c).repeat(64);
  }

  private static final String CREDENTIAL = "1".repeat(64);
  private static final String ROTATED = "2".repeat(64);

  private static UiSession session(char c, String user, Instant expires) {
    return session(c, user, CREDENTIAL, expires);
  }

  private static UiSession session(char c, String user, String credential, Instant expires) {
    return new UiSession(
        hash(c),
        user,
        new Grant.ProxyAdmin(),
        credential,
        "csrf-token-" + c + "-0123456789",
        T0,
        expires);
  }

  @Test
  void findsAStoredSessionUntilItExpires() {
    store.create(session('a', "admin", T0.plusSeconds(60)));

    assertThat(store.find(hash('a'), T0.plusSeconds(59)))
        .hasValueSatisfying(
            s -> {
              assertThat(s.username()).isEqualTo("admin");
              assertThat(s.credential()).isEqualTo(CREDENTIAL);
              assertThat(s.csrfToken()).isEqualTo("csrf-token-a-0123456789");
              assertThat(s.expiresAt()).isEqualTo(T0.plusSeconds(60));
            });
    assertThat(store.find(hash('a'), T0.plusSeconds(60))).isEmpty();
    assertThat(store.find(hash('b'), T0)).isEmpty();
  }

  @Test
  void keepsEveryKindOfGrant() {
    java.util.List<Grant> grants =
        java.util.List.of(
            new Grant.ProxyAdmin(),
            new Grant.Viewer(),
            new Grant.TeamAdmin(java.util.Set.of("team-b", "team-a,with comma")),
            new Grant.Member("user-1"));
    char c = 'c';
    for (Grant g : grants) {
      store.create(
          new UiSession(
              hash(c), "person", g, CREDENTIAL, "csrf-token-0123456789", T0, T0.plusSeconds(60)));
      assertThat(store.find(hash(c), T0)).map(UiSession::grant).hasValue(g);
      c++;
    }
  }

  @Test
  void deletesEverySessionOfOnePersonIgnoringCaseAndNoOtherOnes() {
    store.create(session('a', "Alice@Example.com", T0.plusSeconds(60)));
    store.create(session('b', "alice@example.com", T0.plusSeconds(60)));
    store.create(session('c', "bob@example.com", T0.plusSeconds(60)));

    assertThat(store.deleteByUsername("ALICE@example.COM")).isEqualTo(2);

    assertThat(store.find(hash('a'), T0)).isEmpty();
    assertThat(store.find(hash('b'), T0)).isEmpty();
    assertThat(store.find(hash('c'), T0)).isPresent();
    assertThat(store.deleteByUsername("nobody")).isZero();
  }

  @Test
  void refusesASecondSessionWithTheSameId() {
    store.create(session('a', "admin", T0.plusSeconds(60)));

    assertThatThrownBy(() -> store.create(session('a', "other", T0.plusSeconds(60))))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void extendingMovesTheExpiry() {
    store.create(session('a', "admin", T0.plusSeconds(60)));

    store.extend(hash('a'), T0.plusSeconds(600));

    assertThat(store.find(hash('a'), T0.plusSeconds(300))).isPresent();
    store.extend(hash('z'), T0.plusSeconds(600)); // unknown: no effect, no error
  }

  @Test
  void deletedSessionIsGone() {
    store.create(session('a', "admin", T0.plusSeconds(60)));

    assertThat(store.delete(hash('a'))).isTrue();
    assertThat(store.delete(hash('a'))).isFalse();
    assertThat(store.find(hash('a'), T0)).isEmpty();
  }

  @Test
  void deletesEverySessionWhoseCredentialIsNoLongerConfigured() {
    String sso = "3".repeat(64);
    store.create(session('a', "admin", T0.plusSeconds(60)));
    store.create(session('b', "admin", ROTATED, T0.plusSeconds(60)));
    store.create(session('c', "alice@example.com", sso, T0.plusSeconds(60)));
    store.create(session('d', "bob@example.com", sso, T0.plusSeconds(60)));

    // The break-glass password was rotated (CREDENTIAL -> ROTATED); single sign-on unchanged.
    assertThat(store.deleteAllExcept(java.util.Set.of(ROTATED, sso))).isEqualTo(1);

    assertThat(store.find(hash('a'), T0)).isEmpty();
    assertThat(store.find(hash('b'), T0)).isPresent();
    assertThat(store.find(hash('c'), T0)).isPresent();
    assertThat(store.find(hash('d'), T0)).isPresent();

    // Single sign-on turned off: its sessions end, the break-glass one stays.
    assertThat(store.deleteAllExcept(java.util.Set.of(ROTATED))).isEqualTo(2);
    assertThat(store.find(hash('b'), T0)).isPresent();
    assertThat(store.deleteAllExcept(java.util.Set.of())).isEqualTo(1);
    assertThat(store.find(hash('b'), T0)).isEmpty();
  }

  @Test
  void sweepRemovesExpiredSessionsAndOldFailures() {
    store.create(session('a', "admin", T0.plusSeconds(10)));
    store.create(session('b', "admin", T0.plusSeconds(100)));
    store.recordFailure("s1", T0);
    store.recordFailure("s1", T0.plusSeconds(50));

    int removed = store.sweep(T0.plusSeconds(20), T0.plusSeconds(30));

    assertThat(removed).isEqualTo(1);
    assertThat(store.find(hash('b'), T0.plusSeconds(20))).isPresent();
    assertThat(store.failuresSince("s1", T0.minusSeconds(1))).isEqualTo(1);
  }

  @Test
  void countsFailuresPerSubjectInTheWindow() {
    Instant t = T0;
    for (int i = 0; i < 5; i++) {
      store.recordFailure("subject-a", t.plus(Duration.ofMinutes(i)));
    }
    store.recordFailure("subject-b", t);

    assertThat(store.failuresSince("subject-a", t)).isEqualTo(5);
    assertThat(store.failuresSince("subject-a", t.plus(Duration.ofMinutes(3)))).isEqualTo(2);
    assertThat(store.failuresSince("subject-b", t)).isEqualTo(1);
    assertThat(store.failuresSince("nobody", t)).isZero();
  }

  @Test
  void clearingFailuresForgetsOnlyThatSubject() {
    store.recordFailure("subject-a", T0);
    store.recordFailure("subject-b", T0);

    store.clearFailures("subject-a");

    assertThat(store.failuresSince("subject-a", T0)).isZero();
    assertThat(store.failuresSince("subject-b", T0)).isEqualTo(1);
  }
}
