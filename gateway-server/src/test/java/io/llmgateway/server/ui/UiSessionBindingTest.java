package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A UI session belongs to the operator account and password it was made with (issue 15, finding
 * 10): when an instance starts with another password hash or user name (a rotation), sessions made
 * before it stop working on every instance, old or new.
 */
class UiSessionBindingTest {
  private static final String NEW_HASH =
      Passwords.hash("a rotated password, long enough".toCharArray(), 4);

  @Test
  void rotatingThePasswordEndsSessionsMadeWithTheOldOne() throws Exception {
    try (UiStack before = UiStack.start()) {
      UiHttp c = new UiHttp(before.baseUrl());
      assertThat(c.signIn(UiStack.USER, UiStack.PASSWORD).statusCode()).isEqualTo(303);
      assertThat(c.get("/ui/overview").statusCode()).isEqualTo(200);

      try (UiStack after =
          before.second(UiSettings.of(new UiSettings.Admin(UiStack.USER, NEW_HASH)))) {
        UiHttp onNew = new UiHttp(after.baseUrl());
        onNew.cookies.putAll(c.cookies);

        assertThat(onNew.get("/ui/overview").statusCode()).isEqualTo(303);
        assertThat(c.get("/ui/overview").statusCode()).as("old instance too").isEqualTo(303);
      }
    }
  }

  @Test
  void aSessionIsRefusedByAnInstanceConfiguredForAnotherOperator() throws Exception {
    try (UiStack before = UiStack.start()) {
      UiHttp c = new UiHttp(before.baseUrl());
      assertThat(c.signIn(UiStack.USER, UiStack.PASSWORD).statusCode()).isEqualTo(303);

      try (UiStack other =
          before.second(UiSettings.of(new UiSettings.Admin("someone-else", UiStack.HASH)))) {
        UiHttp onOther = new UiHttp(other.baseUrl());
        onOther.cookies.putAll(c.cookies);

        assertThat(onOther.get("/ui/overview").statusCode()).isEqualTo(303);
      }
    }
  }
}
