package io.llmgateway.core.chat;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The canonical chat request, independent of any wire format. Sampling values are validated here;
 * anything a provider cannot honour is refused by the server before it gets this far. Immutable and
 * thread-safe.
 */
public record ChatRequest(
    String model,
    List<Message> messages,
    List<ToolDefinition> tools,
    ToolChoice toolChoice,
    OptionalDouble temperature,
    OptionalDouble topP,
    OptionalInt topK,
    List<String> stop,
    OptionalInt maxTokens,
    ResponseFormat responseFormat,
    boolean stream,
    boolean includeUsage,
    Optional<String> user,
    CachePoints cachePoints) {

  public static final int MAX_STOP_SEQUENCES = 4;

  public ChatRequest {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model is required");
    }
    messages = List.copyOf(messages);
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("messages must not be empty");
    }
    tools = List.copyOf(tools);
    Objects.requireNonNull(toolChoice, "toolChoice");
    if (toolChoice instanceof ToolChoice.Named n
        && tools.stream().noneMatch(t -> t.name().equals(n.name()))) {
      throw new IllegalArgumentException("tool_choice names a tool that is not in tools");
    }
    Objects.requireNonNull(temperature, "temperature");
    temperature.ifPresent(t -> range("temperature", t, 0, 2));
    Objects.requireNonNull(topP, "topP");
    topP.ifPresent(p -> range("top_p", p, 0, 1));
    Objects.requireNonNull(topK, "topK");
    topK.ifPresent(k -> range("top_k", k, 1, 500));
    stop = List.copyOf(stop);
    if (stop.size() > MAX_STOP_SEQUENCES) {
      throw new IllegalArgumentException(
          "stop allows at most " + MAX_STOP_SEQUENCES + " sequences");
    }
    Objects.requireNonNull(maxTokens, "maxTokens");
    maxTokens.ifPresent(m -> range("max_tokens", m, 1, 1_000_000));
    Objects.requireNonNull(responseFormat, "responseFormat");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(cachePoints, "cachePoints");
    for (int i : cachePoints.afterMessages()) {
      if (i < 0 || i >= messages.size()) {
        throw new IllegalArgumentException("a cache point is after a message that does not exist");
      }
    }
    for (int i : cachePoints.afterTools()) {
      if (i < 0 || i >= tools.size()) {
        throw new IllegalArgumentException("a cache point is after a tool that does not exist");
      }
    }
  }

  private static void range(String field, double v, double min, double max) {
    if (!(v >= min && v <= max)) {
      throw new IllegalArgumentException(field + " must be between " + min + " and " + max);
    }
  }

  /** A minimal request: one user message. */
  public static ChatRequest of(String model, String userText) {
    return builder(model).messages(List.of(Message.User.text(userText))).build();
  }

  public static Builder builder(String model) {
    return new Builder(model);
  }

  /** Builder for requests; not thread-safe. */
  public static final class Builder {
    private final String model;
    private List<Message> messages = List.of();
    private List<ToolDefinition> tools = List.of();
    private ToolChoice toolChoice = ToolChoice.AUTO;
    private OptionalDouble temperature = OptionalDouble.empty();
    private OptionalDouble topP = OptionalDouble.empty();
    private OptionalInt topK = OptionalInt.empty();
    private List<String> stop = List.of();
    private OptionalInt maxTokens = OptionalInt.empty();
    private ResponseFormat responseFormat = ResponseFormat.TEXT;
    private boolean stream;
    private boolean includeUsage;
    private Optional<String> user = Optional.empty();
    private CachePoints cachePoints = CachePoints.NONE;

    private Builder(String model) {
      this.model = model;
    }

    public Builder messages(List<Message> v) {
      messages = v;
      return this;
    }

    public Builder tools(List<ToolDefinition> v) {
      tools = v;
      return this;
    }

    public Builder toolChoice(ToolChoice v) {
      toolChoice = v;
      return this;
    }

    public Builder temperature(double v) {
      temperature = OptionalDouble.of(v);
      return this;
    }

    public Builder topP(double v) {
      topP = OptionalDouble.of(v);
      return this;
    }

    public Builder topK(int v) {
      topK = OptionalInt.of(v);
      return this;
    }

    public Builder stop(List<String> v) {
      stop = v;
      return this;
    }

    public Builder maxTokens(int v) {
      maxTokens = OptionalInt.of(v);
      return this;
    }

    public Builder responseFormat(ResponseFormat v) {
      responseFormat = v;
      return this;
    }

    public Builder stream(boolean v) {
      stream = v;
      return this;
    }

    public Builder includeUsage(boolean v) {
      includeUsage = v;
      return this;
    }

    public Builder user(String v) {
      user = Optional.ofNullable(v);
      return this;
    }

    public Builder cachePoints(CachePoints v) {
      cachePoints = v;
      return this;
    }

    public ChatRequest build() {
      return new ChatRequest(
          model,
          messages,
          tools,
          toolChoice,
          temperature,
          topP,
          topK,
          stop,
          maxTokens,
          responseFormat,
          stream,
          includeUsage,
          user,
          cachePoints);
    }
  }
}
