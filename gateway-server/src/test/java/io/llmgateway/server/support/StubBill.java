package io.llmgateway.server.support;

import io.llmgateway.bedrock.stub.BedrockStub;
import io.llmgateway.core.catalog.CatalogStore;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.money.Money;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What the Bedrock stub billed, per account: the truth budgets are checked against. Every call the
 * stub bills (its served usage, {@link BedrockStub#onBilled}) is priced at its deployment's prices
 * from the catalog (the seed's {@code config/models.yaml}) and added to the account named by the
 * {@link #tag} the client put into its prompt (the stub never sees a key). Thread-safe.
 */
public final class StubBill implements Consumer<io.llmgateway.bedrock.stub.Billed> {
  private static final String TAG = "[account ";

  private final Map<String, Pricing> prices = new HashMap<>();
  private final Map<String, AtomicLong> nanos = new ConcurrentHashMap<>();
  private final AtomicInteger calls = new AtomicInteger();

  private StubBill(CatalogStore catalog) {
    for (LogicalModel m : catalog.models()) {
      for (Deployment d : m.deployments()) {
        prices.put(d.providerModelId(), d.pricing());
      }
    }
  }

  /** Starts billing what {@code stub} serves from now on, at {@code catalog}'s prices. */
  public static StubBill attach(BedrockStub stub, CatalogStore catalog) {
    StubBill bill = new StubBill(catalog);
    stub.onBilled(bill);
    return bill;
  }

  /** The marker a client puts into its prompt so that the stub's bill can name its account. */
  public static String tag(String account) {
    return TAG + account + "]";
  }

  @Override
  public void accept(io.llmgateway.bedrock.stub.Billed b) {
    Pricing pricing = prices.get(b.modelId());
    if (pricing == null) {
      throw new IllegalStateException("no price for " + b.modelId());
    }
    TokenUsage usage =
        new TokenUsage(
            b.inputTokens(),
            b.outputTokens(),
            b.cacheReadTokens(),
            b.cacheWriteTokens(),
            TokenUsage.Source.REPORTED);
    long cost = pricing.cost(usage).nanos();
    nanos.computeIfAbsent(account(b.request().body()), a -> new AtomicLong()).addAndGet(cost);
    calls.incrementAndGet();
  }

  private static String account(String body) {
    int at = body.indexOf(TAG);
    if (at < 0) {
      return "";
    }
    return body.substring(at + TAG.length(), body.indexOf(']', at));
  }

  /** What the calls tagged with {@code account} were billed. */
  public Money of(String account) {
    AtomicLong n = nanos.get(account);
    return Money.ofNanos(n == null ? 0 : n.get());
  }

  /** How many calls were billed. */
  public int calls() {
    return calls.get();
  }
}
