package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UiDisabledTest {

  @Test
  void withoutAnOperatorAccountTheUiOnlySaysHowToTurnItOn() throws Exception {
    try (UiStack stack = UiStack.start(UiSettings.disabled())) {
      UiHttp c = new UiHttp(stack.baseUrl());

      HttpResponse<String> page = c.get("/ui/overview");
      HttpResponse<String> login =
          c.post("/ui/login", Map.of("username", "admin", "password", "admin123"), c.sameOrigin());

      assertThat(page.statusCode()).isEqualTo(503);
      assertThat(page.body()).contains("GATEWAY_UI_ADMIN_PASSWORD_HASH");
      assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
      assertThat(login.statusCode()).isEqualTo(503);
      assertThat(c.cookies).isEmpty();
    }
  }
}
