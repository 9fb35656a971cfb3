package io.llmgateway.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.embedding.EmbeddingRequest;
import io.llmgateway.core.embedding.EmbeddingResponse;
import io.llmgateway.core.error.Billing;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.error.ProviderRejectedException;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.provider.EmbeddingCall;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Embeddings over Bedrock InvokeModel: the inputs split into batches the model takes ({@link
 * EmbeddingFormat}: one text per Titan call, 96 per Cohere call), at most {@link #CONCURRENCY}
 * calls of one request in flight, all within one call timeout. All or nothing: the first failure
 * stops new calls and fails the request; if any call may have been billed by then (one answered, or
 * one failed after its body was sent) the failure is marked {@link Billing#MAYBE_BILLED}, so the
 * request is charged its reservation rather than less than Bedrock bills. Thread-safe.
 */
final class BedrockEmbeddings {
  /** Calls of one request in flight at once: fast for a batch, gentle on Bedrock's quotas. */
  static final int CONCURRENCY = 4;

  static final String TOKEN_COUNT_HEADER = "X-Amzn-Bedrock-Input-Token-Count";

  private final BedrockHttp http;
  private final Duration callTimeout;

  BedrockEmbeddings(BedrockHttp http, Duration callTimeout) {
    this.http = http;
    this.callTimeout = callTimeout;
  }

  EmbeddingResponse embed(EmbeddingCall call) {
    Deployment d = call.deployment();
    EmbeddingRequest request = call.request();
    EmbeddingFormat format = format(d, request);
    format.check(request);
    List<String> inputs = request.inputs();
    int batches = (inputs.size() + format.batchSize() - 1) / format.batchSize();
    float[][] vectors = new float[inputs.size()][];
    long[] tokens = new long[batches];
    Arrays.fill(tokens, -1);
    boolean[] billed = new boolean[batches];
    AtomicInteger next = new AtomicInteger();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    long deadline = System.nanoTime() + callTimeout.toNanos();
    Runnable worker =
        () -> {
          for (int b; failure.get() == null && (b = next.getAndIncrement()) < batches; ) {
            int from = b * format.batchSize();
            List<String> batch =
                inputs.subList(from, Math.min(inputs.size(), from + format.batchSize()));
            try {
              Answer a = invoke(d, format.body(batch, request), deadline);
              billed[b] = true;
              List<float[]> vs = format.vectors(a.json(), batch.size());
              for (int i = 0; i < vs.size(); i++) {
                vectors[from + i] = vs.get(i);
              }
              tokens[b] = format.inputTokens(a.json(), a.tokenCount()).orElse(-1);
            } catch (RuntimeException e) {
              if (e instanceof GatewayException g && billing(g) != Billing.NOT_BILLED) {
                billed[b] = true;
              }
              failure.compareAndSet(null, e);
            }
          }
        };
    run(worker, Math.min(CONCURRENCY, batches));
    RuntimeException failed = failure.get();
    if (failed != null) {
      boolean anyBilled = false;
      for (boolean x : billed) {
        anyBilled |= x;
      }
      throw anyBilled ? maybeBilled(failed) : failed;
    }
    return new EmbeddingResponse(Arrays.asList(vectors), usage(tokens));
  }

  /** The deployment's embedding format, or a 400 if its model embeds nothing. */
  static EmbeddingFormat format(Deployment d, EmbeddingRequest request) {
    return EmbeddingFormat.of(d.providerModelId())
        .orElseThrow(
            () ->
                new InvalidRequestException(
                    "model '" + request.model() + "' does not serve embeddings", "model"));
  }

  /** The sum of the reported counts; an estimate (charged as the worst case) if one is missing. */
  private static TokenUsage usage(long[] tokens) {
    long sum = 0;
    boolean all = true;
    for (long t : tokens) {
      all &= t >= 0;
      sum += Math.max(0, t);
    }
    return all ? TokenUsage.reported(sum, 0) : TokenUsage.estimated(sum, 0);
  }

  private static void run(Runnable worker, int threads) {
    if (threads == 1) {
      worker.run();
      return;
    }
    List<Thread> started = new ArrayList<>(threads);
    for (int i = 0; i < threads; i++) {
      started.add(Thread.ofVirtual().name("bedrock-embed").start(worker));
    }
    for (Thread t : started) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        // The calls in flight end at the deadline by themselves; keep waiting for them.
        started.forEach(BedrockEmbeddings::joinQuietly);
        break;
      }
    }
  }

  private static void joinQuietly(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Answer(JsonNode json, String tokenCount) {}

  /** One InvokeModel exchange, mapped as {@code BedrockModelProvider} maps a Converse one. */
  private Answer invoke(Deployment d, byte[] body, long deadline) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw TransportErrors.timeout(BedrockModelProvider.CALL_TIMEOUT, Billing.NOT_BILLED, null);
    }
    BedrockHttp.Exchange x = http.prepareInvoke(d, d.providerModelId(), body);
    x.watchUntil(Duration.ofNanos(left), BedrockModelProvider.CALL_TIMEOUT);
    try {
      x.execute();
      if (x.status() != 200) {
        throw x.error();
      }
      String count = x.header(TOKEN_COUNT_HEADER);
      return new Answer(Json.MAPPER.readTree(x.readBody()), count);
    } catch (GatewayException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      Billing billing = x.requestSent() ? Billing.MAYBE_BILLED : Billing.NOT_BILLED;
      if (x.abortReason() != null) {
        throw TransportErrors.timeout(x.abortReason(), billing, e);
      }
      throw TransportErrors.map(e, x.requestSent());
    } finally {
      x.close();
    }
  }

  private static Billing billing(GatewayException g) {
    return switch (g) {
      case ProviderUnavailableException p -> p.billing();
      case ProviderRejectedException r -> r.billing();
      default -> Billing.NOT_BILLED;
    };
  }

  /** The failure, marked as possibly billed: another call of the request was (or may have been). */
  private static RuntimeException maybeBilled(RuntimeException e) {
    return switch (e) {
      case ProviderRejectedException r ->
          new ProviderRejectedException(r.upstreamStatus(), Billing.MAYBE_BILLED, r.getMessage());
      case ProviderUnavailableException p ->
          new ProviderUnavailableException(
              p.kind(),
              Billing.MAYBE_BILLED,
              false,
              p.getMessage(),
              p.retryAfter().orElse(null),
              p);
      default ->
          new ProviderUnavailableException(
              ProviderUnavailableException.Kind.BAD_RESPONSE,
              Billing.MAYBE_BILLED,
              false,
              "Bedrock sent an embedding answer the gateway cannot read",
              null,
              e);
    };
  }
}
