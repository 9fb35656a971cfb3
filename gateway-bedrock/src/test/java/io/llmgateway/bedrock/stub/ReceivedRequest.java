package io.llmgateway.bedrock.stub;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One request the stub received: method, raw (still percent-encoded) path, headers with lower-case
 * names, and the body text. Immutable.
 */
public record ReceivedRequest(
    String method, String path, Map<String, List<String>> headers, String body) {
  public ReceivedRequest {
    headers = Map.copyOf(headers);
  }

  /** True for {@code /model/{id}/converse-stream}. */
  public boolean isStream() {
    return path.endsWith("/converse-stream");
  }

  /** The first value of a header, by case-insensitive name. */
  public Optional<String> header(String name) {
    List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }
}
