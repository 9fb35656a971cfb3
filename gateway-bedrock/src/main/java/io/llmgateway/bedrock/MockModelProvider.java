package io.llmgateway.bedrock;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.chat.ContentPart;
import io.llmgateway.core.chat.FinishReason;
import io.llmgateway.core.chat.Message;
import io.llmgateway.core.chat.ResponseFormat;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.chat.ToolCall;
import io.llmgateway.core.chat.ToolChoice;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.provider.HealthStatus;
import io.llmgateway.core.provider.ModelProvider;
import io.llmgateway.core.provider.ProviderRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The offline provider: answers are derived from the prompt (same prompt, same answer), one word
 * per token, never more than the output cap, with configurable latency. Usage is realistic: input
 * tokens about a quarter of the prompt characters, output tokens the words produced. It allocates
 * little and sleeps only for non-zero delays, so it serves load tests. Thread-safe.
 */
final class MockModelProvider implements ModelProvider {
  static final String NAME = "mock";

  private static final String[] WORDS = {
    "the",
    "gateway",
    "answers",
    "offline",
    "with",
    "a",
    "mock",
    "reply",
    "about",
    "your",
    "question",
    "and",
    "keeps",
    "every",
    "budget",
    "in",
    "mind",
    "while",
    "tokens",
    "flow",
    "through",
    "one",
    "calm",
    "stream",
    "of",
    "words",
    "that",
    "mean",
    "very",
    "little",
    "but",
    "cost",
    "nothing",
    "at",
    "all",
    "so",
    "tests",
    "run",
    "fast",
    "on",
    "any",
    "machine",
    "without",
    "network",
    "access",
    "or",
    "credentials",
    "needed",
    "here",
    "now",
    "again",
    "then",
    "later",
    "today",
    "model",
    "prompt",
    "output",
    "input",
    "cache",
    "limit",
    "team",
    "user",
    "key",
    "spend"
  };

  private final MockSettings settings;

  MockModelProvider(MockSettings settings) {
    this.settings = settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** What the mock will answer for one request; computed once, cheaply. */
  private record Plan(
      int seed,
      int tokens,
      boolean capped,
      long inputTokens,
      Optional<ToolCall> toolCall,
      boolean json) {

    FinishReason finish() {
      if (toolCall.isPresent()) {
        return FinishReason.TOOL_CALLS;
      }
      return capped ? FinishReason.LENGTH : FinishReason.STOP;
    }

    String token(int i) {
      String w = WORDS[Math.floorMod(seed + i * 7, WORDS.length)];
      return i == 0 ? w : " " + w;
    }

    String text() {
      StringBuilder sb = new StringBuilder(tokens * 7 + 16);
      if (json) {
        sb.append("{\"answer\":\"");
      }
      for (int i = 0; i < tokens; i++) {
        sb.append(token(i));
      }
      if (json) {
        sb.append("\"}");
      }
      return sb.toString();
    }

    TokenUsage usage() {
      return TokenUsage.reported(inputTokens, tokens);
    }
  }

  private Plan plan(ProviderRequest pr) {
    ChatRequest r = pr.request();
    int seed = 17;
    long chars = 0;
    int images = 0;
    for (Message m : r.messages()) {
      switch (m) {
        case Message.System s -> chars += s.text().length();
        case Message.User u -> {
          for (ContentPart p : u.content()) {
            if (p instanceof ContentPart.Text t) {
              chars += t.text().length();
              seed = 31 * seed + t.text().hashCode();
            } else {
              images++;
            }
          }
        }
        case Message.Assistant a -> chars += a.text().map(String::length).orElse(0);
        case Message.Tool t -> chars += t.content().length();
      }
    }
    long input =
        Math.max(1, (chars + 3) / 4 + 4L * r.messages().size())
            + (long) images * ConverseRequestMapper.IMAGE_TOKEN_ESTIMATE;
    int tokens = Math.min(settings.outputTokens(), pr.maxOutputTokens());
    boolean capped = settings.outputTokens() > pr.maxOutputTokens();
    Optional<ToolCall> call = Optional.empty();
    if (!r.tools().isEmpty()) {
      String name =
          switch (r.toolChoice()) {
            case ToolChoice.Named n -> n.name();
            case ToolChoice.Required q -> r.tools().get(0).name();
            default -> null;
          };
      if (name != null) {
        call = Optional.of(new ToolCall("call_mock_" + Integer.toHexString(seed), name, "{}"));
      }
    }
    boolean json = !(r.responseFormat() instanceof ResponseFormat.Text) && call.isEmpty();
    return new Plan(seed, tokens, capped, input, call, json);
  }

  @Override
  public ChatResponse complete(ProviderRequest request) {
    Plan p = plan(request);
    sleep(settings.firstTokenLatency());
    if (p.tokens() > 1) {
      sleep(settings.interTokenDelay().multipliedBy(p.tokens() - 1L));
    }
    return new ChatResponse(
        request.requestId(),
        request.request().model(),
        Instant.now(),
        p.toolCall().isPresent() ? Optional.empty() : Optional.of(p.text()),
        p.toolCall().map(List::of).orElse(List.of()),
        p.finish(),
        p.usage());
  }

  @Override
  public ChatStream stream(ProviderRequest request) {
    Plan p = plan(request);
    sleep(settings.firstTokenLatency());
    return new MockStream(p, settings.interTokenDelay());
  }

  @Override
  public HealthStatus probe(Deployment deployment) {
    return new HealthStatus(
        HealthStatus.State.HEALTHY, "mock provider is always up", Duration.ZERO, Instant.now());
  }

  static void sleep(Duration d) {
    if (d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderUnavailableException(
          ProviderUnavailableException.Kind.UNAVAILABLE, true, "the mock call was interrupted");
    }
  }

  /** Emits the plan one token per chunk, then Finish, then Usage. One reader thread. */
  private static final class MockStream implements ChatStream {
    private final Plan plan;
    private final Duration interTokenDelay;
    // Steps: [json prefix], tokens..., [json suffix], finish, usage; -1 means not started.
    private int step;
    private volatile int emittedTokens;
    private volatile boolean usageSent;
    private volatile boolean closed;

    MockStream(Plan plan, Duration interTokenDelay) {
      this.plan = plan;
      this.interTokenDelay = interTokenDelay;
    }

    @Override
    public Optional<ChatChunk> next() {
      if (closed) {
        return Optional.empty();
      }
      int s = step++;
      if (plan.toolCall().isPresent()) {
        ToolCall c = plan.toolCall().get();
        return switch (s) {
          case 0 ->
              Optional.of(
                  new ChatChunk.ToolCallDelta(0, Optional.of(c.id()), Optional.of(c.name()), ""));
          case 1 ->
              Optional.of(
                  new ChatChunk.ToolCallDelta(
                      0, Optional.empty(), Optional.empty(), c.argumentsJson()));
          case 2 -> Optional.of(new ChatChunk.Finish(plan.finish()));
          case 3 -> usage();
          default -> Optional.empty();
        };
      }
      int offset = plan.json() ? 1 : 0;
      if (plan.json() && s == 0) {
        return Optional.of(new ChatChunk.TextDelta("{\"answer\":\""));
      }
      int t = s - offset;
      if (t < plan.tokens()) {
        if (t > 0) {
          sleep(interTokenDelay);
        }
        emittedTokens = t + 1;
        return Optional.of(new ChatChunk.TextDelta(plan.token(t)));
      }
      int after = t - plan.tokens() - (plan.json() ? 1 : 0);
      if (plan.json() && after == -1) {
        return Optional.of(new ChatChunk.TextDelta("\"}"));
      }
      return switch (after) {
        case 0 -> Optional.of(new ChatChunk.Finish(plan.finish()));
        case 1 -> usage();
        default -> Optional.empty();
      };
    }

    private Optional<ChatChunk> usage() {
      usageSent = true;
      emittedTokens = plan.tokens();
      return Optional.of(new ChatChunk.Usage(plan.usage()));
    }

    @Override
    public Optional<TokenUsage> usageSoFar() {
      if (usageSent) {
        return Optional.of(plan.usage());
      }
      return Optional.of(TokenUsage.estimated(plan.inputTokens(), emittedTokens));
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
