package io.llmgateway.server.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends one {@link Attack} over real HTTP and says how it ended, hanging up or giving up where the
 * attack says so. Plain JDK HTTP rather than the OpenAI SDK: the bodies are ones no SDK would build
 * and the client must be able to walk away mid-stream. Thread-safe.
 */
public final class HostileClient {
  /** How a request ended, as its client saw it. */
  public enum Outcome {
    ANSWERED,
    /** 429 budget_exceeded. */
    BUDGET_REFUSED,
    /** Any other 4xx: model not allowed, rate limited, too large... */
    REFUSED,
    /** 502/503/504: the upstream failed (after failover). */
    UPSTREAM_FAILED,
    /** 500: the gateway itself failed, e.g. a spend write broke the test's CHECK constraint. */
    BROKEN,
    /** The client hung up mid-stream or gave up waiting, as the attack intends. */
    WALKED_AWAY
  }

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** Sends {@code attack} as {@code key} to the gateway at {@code baseUrl}. */
  public Outcome send(String baseUrl, String key, Attack attack, byte[] body)
      throws IOException, InterruptedException {
    Duration timeout =
        attack == Attack.CLIENT_TIMEOUT ? Duration.ofMillis(300) : Duration.ofSeconds(20);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + attack.path()))
            .timeout(timeout)
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      return Outcome.WALKED_AWAY;
    }
    try (InputStream in = response.body()) {
      int status = response.statusCode();
      if (status != 200) {
        String error = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        // The Messages API's budget refusal is a rate_limit_error that says not to retry.
        boolean budget =
            error.contains("budget_exceeded")
                || (attack.path().equals("/v1/messages")
                    && response.headers().firstValue("x-should-retry").orElse("").equals("false"));
        return status == 429 && budget
            ? Outcome.BUDGET_REFUSED
            : status == 500
                ? Outcome.BROKEN
                : status >= 502 ? Outcome.UPSTREAM_FAILED : Outcome.REFUSED;
      }
      if (attack == Attack.CUT_STREAM
          || attack == Attack.RESPONSES_CUT_STREAM
          || attack == Attack.MESSAGES_CUT_STREAM) {
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null
            && !line.contains("\"content\":\"")
            && !line.contains("response.output_text.delta")
            && !line.contains("\"text_delta\"")) {
          // up to the first text chunk
        }
        return Outcome.WALKED_AWAY; // closing the body hangs up
      }
      in.readAllBytes();
      return Outcome.ANSWERED;
    } catch (IOException e) {
      // The gateway cut the answer (a stream broken upstream, or a timeout while reading).
      return attack == Attack.CLIENT_TIMEOUT ? Outcome.WALKED_AWAY : Outcome.UPSTREAM_FAILED;
    }
  }
}
