package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordsTest {

  @Test
  void aHashMatchesOnlyItsPassword() {
    String hash = Passwords.hash("tr0ub4dor&3 horse".toCharArray(), 4);

    assertThat(Passwords.isBcrypt(hash)).isTrue();
    assertThat(Passwords.matches("tr0ub4dor&3 horse".toCharArray(), hash)).isTrue();
    assertThat(Passwords.matches("tr0ub4dor&3 horsE".toCharArray(), hash)).isFalse();
    assertThat(Passwords.matches("".toCharArray(), hash)).isFalse();
  }

  @Test
  void readsHashesWrittenByOtherBcryptTools() {
    // The "$2a$" shape Terraform's bcrypt_hash writes, and "$2y$" as htpasswd -B writes it.
    String a = "$2a$04$0HyIg4bG2ZkZBpdwm9nD2OK5Ni8vmO7MD.cVhDyM8mOMn20M0oqDu";
    assertThat(Passwords.isBcrypt(a)).isTrue();
    String ours = Passwords.hash("password".toCharArray(), 4);
    String asY = "$2y$" + ours.substring(4);
    assertThat(Passwords.matches("password".toCharArray(), asY)).isTrue();
  }

  @Test
  void malformedHashesNeverMatch() {
    assertThat(Passwords.isBcrypt("admin123")).isFalse();
    assertThat(Passwords.matches("admin123".toCharArray(), "admin123")).isFalse();
    assertThat(Passwords.matches("x".toCharArray(), null)).isFalse();
  }

  @Test
  void passwordsLongerThanBcryptReadsAreRefusedNotTruncated() {
    char[] tooLong = "x".repeat(73).toCharArray();

    assertThatThrownBy(() -> Passwords.hash(tooLong, 4))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theUnknownUserDummyHasTheRealHashsCost() {
    String real = Passwords.hash("pw".toCharArray(), 11);

    assertThat(Passwords.cost(Passwords.dummyLike(real))).isEqualTo(11);
    assertThat(Passwords.cost(Passwords.dummyLike(Passwords.hash("pw".toCharArray(), 4))))
        .isEqualTo(4);
    assertThat(Passwords.burn("pw".toCharArray(), real)).isFalse();
  }
}
