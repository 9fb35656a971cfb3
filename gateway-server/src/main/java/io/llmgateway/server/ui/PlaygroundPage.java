package io.llmgateway.server.ui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.llmgateway.core.AdmissionListener;
import io.llmgateway.core.Gateway;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.session.UiSession;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.server.ServerServices;
import io.llmgateway.server.openai.ChatWire;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The playground: send a chat message as a key and watch the answer stream. A picked key's value is
 * not known (only its hash is stored), so its request runs here, through the core {@link Gateway}
 * in-process as that key's principal ({@link Gateway#keyPrincipal}: refused like the API refuses a
 * blocked or expired key), charged to its budgets and written to the spend log exactly as an API
 * call, audited as {@code playground.chat} on the key, and streamed back in OpenAI's chunk format
 * by the API's own {@link StreamResponder}. A pasted key never reaches these endpoints: the browser
 * calls {@code /v1/chat/completions} with it. Afterwards {@link #status} reads the request's spend
 * row (tokens, cost) and the key's budget windows. The three data endpoints answer JSON to
 * playground.js (errors in the API's error shape, whose message the page shows). Thread-safe.
 */
final class PlaygroundPage extends UiPage {
  static final int MAX_MESSAGE_CHARS = 16_000;
  private static final int KEY_CHOICES = 500;

  /** How long {@link #status} waits for a just-finished request's spend row (settled async). */
  private static final Duration ROW_WAIT = Duration.ofSeconds(5);

  private final ServerServices s;
  private final ChatWire wire;

  PlaygroundPage(Ui ui, ServerServices services) {
    super(ui);
    this.s = services;
    this.wire = ChatWire.of(services);
  }

  @Override
  void render(Context ctx, UiSession session, String notice, String error, int status) {
    Principal actor = ui.actor(session);
    UsageLabels labels = new UsageLabels(ui, actor);
    List<UsageView.Choice> keys =
        ui.admin.keys(actor, KeyQuery.all(PageRequest.first(KEY_CHOICES))).items().stream()
            .map(k -> new UsageView.Choice(k.id(), labels.key(k) + owner(k), false))
            .toList();
    ui.templates.html(
        ctx,
        status,
        "playground",
        new PlaygroundView(keys, MAX_MESSAGE_CHARS),
        Layout.of("playground", "Playground", session, notice, error));
  }

  private static String owner(VirtualKey k) {
    return k.userId().map(u -> " · " + u).orElse("");
  }

  /** {@code GET /ui/playground/models?id=}: the models the key may call, as the API lists them. */
  void models(Context ctx, UiSession session) {
    try {
      VirtualKey key = ui.admin.key(ui.actor(session), id(ctx));
      List<String> names =
          ui.gateway.models(ui.gateway.keyPrincipal(key.id())).stream()
              .map(LogicalModel::name)
              .toList();
      json(ctx, Map.of("models", names));
    } catch (GatewayException e) {
      s.errors().respond(e, ctx);
    }
  }

  /**
   * {@code POST /ui/playground/chat} (session, same origin, CSRF token): {@code key}, {@code
   * model}, {@code message}. Streams the answer as Server-Sent Events with a usage chunk, or
   * answers the gateway's refusal (budget, model, blocked key) with its status and message.
   */
  void chat(Context ctx, UiSession session) {
    Principal actor = ui.actor(session);
    try {
      String keyId = required(ctx, "key");
      String message = required(ctx, "message");
      if (message.length() > MAX_MESSAGE_CHARS) {
        throw new InvalidRequestException(
            "the message is longer than " + MAX_MESSAGE_CHARS + " characters", "message");
      }
      ObjectNode body = s.json().mapper().createObjectNode();
      body.put("model", required(ctx, "model"));
      body.putArray("messages").addObject().put("role", "user").put("content", message);
      body.put("stream", true);
      body.putObject("stream_options").put("include_usage", true);
      ChatRequest request = wire.parser().parse(body);
      VirtualKey key = ui.admin.playgroundKey(actor, keyId, request.model());
      Principal.Keyed principal = ui.gateway.keyPrincipal(key.id());
      String id = Gateway.newRequestId();
      long created = s.clock().instant().getEpochSecond();
      wire.streams().stream(
          ctx,
          AdmissionListener.NONE,
          listener -> ui.gateway.chatStream(principal, request, id, listener),
          wire.writer().chunks(id, request.model(), created, true),
          id);
    } catch (GatewayException e) {
      s.errors().respond(e, ctx);
    }
  }

  /**
   * {@code GET /ui/playground/status?request=&key=}: the request's spend row (tokens, cost; waits a
   * moment for it, as settlement is written off the request path) and the budget windows of its
   * key, or of {@code key} before any request.
   */
  void status(Context ctx, UiSession session) throws InterruptedException {
    Principal actor = ui.actor(session);
    Optional<String> request = param(ctx, "request");
    Optional<String> keyId = param(ctx, "key");
    Optional<SpendRecord> row = Optional.empty();
    if (request.isPresent()) {
      long deadline = System.nanoTime() + ROW_WAIT.toNanos();
      row = find(actor, request.get());
      while (row.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(100);
        row = find(actor, request.get());
      }
      if (row.isPresent()) {
        keyId = Optional.of(row.get().keyId());
      }
    }
    UsageLabels labels = new UsageLabels(ui, actor);
    List<UsageView.Budget> budgets =
        keyId.isEmpty()
            ? List.of()
            : new UsageBudgets(ui, actor, labels).of(Optional.empty(), Optional.empty(), keyId);
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("request", row.map(r -> request(r, labels)).orElse(null));
    out.put("budgets", budgets.stream().map(PlaygroundPage::budget).toList());
    json(ctx, out);
  }

  private Optional<SpendRecord> find(Principal actor, String requestId) {
    SpendQuery q = SpendQuery.builder(PageRequest.first(1)).requestId(requestId).build();
    return ui.admin.spendLogs(actor, q).items().stream().findFirst();
  }

  private static Map<String, Object> request(SpendRecord r, UsageLabels labels) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("id", r.requestId());
    m.put("key", labels.of(io.llmgateway.core.spend.SpendGroup.KEY, r.keyId()));
    m.put("model", r.model());
    m.put("status", r.status().name().toLowerCase(Locale.ROOT));
    m.put("prompt_tokens", r.usage().map(u -> u.promptTokens()).orElse(0L));
    m.put("completion_tokens", r.usage().map(u -> u.outputTokens()).orElse(0L));
    m.put("cost", Fmt.usd(r.cost()));
    m.put("cost_usd", r.cost().toUsdString());
    m.put("latency_ms", r.latencyMillis());
    return m;
  }

  /** A budget window for playground.js; keys spelled out (the server's JSON is snake_case). */
  private static Map<String, Object> budget(UsageView.Budget b) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("scope", b.scope());
    m.put("window", b.window());
    m.put("limit", b.limit());
    m.put("spent", b.spent());
    m.put("remaining", b.remaining());
    m.put("remaining_usd", b.remainingUsd());
    m.put("resets_at", b.resetsAt());
    return m;
  }

  private void json(Context ctx, Object value) {
    SecurityHeaders.noStore(ctx);
    try {
      ctx.contentType("application/json").result(s.json().mapper().writeValueAsBytes(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String required(Context ctx, String field) {
    String v = ctx.formParam(field);
    if (v == null || v.isBlank()) {
      throw new InvalidRequestException(field + " is required", field);
    }
    return v;
  }

  private static Optional<String> param(Context ctx, String name) {
    return Optional.ofNullable(ctx.queryParam(name)).filter(v -> !v.isBlank());
  }
}
