package io.llmgateway.bedrock.example;

import io.llmgateway.bedrock.MockSettings;
import io.llmgateway.bedrock.Providers;
import io.llmgateway.core.Gateway;
import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.admin.TeamSpec;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.memory.InMemoryAdapters;
import io.llmgateway.core.money.Money;
import java.util.List;

/**
 * The README's "Embed the gateway" example, verbatim between the markers; {@code
 * EmbeddingExampleTest} runs it and checks the README still shows this code.
 */
public final class EmbeddingExample {
  private EmbeddingExample() {}

  public static ChatResponse run() {
    // README-EXAMPLE-START
    // Stores: InMemoryAdapters.create(), or PostgresAdapters.start(config).stores().
    // Provider: Providers.mock(...) offline, or Providers.bedrock(BedrockSettings.defaults()).
    Gateway gateway =
        Gateway.builder()
            .stores(InMemoryAdapters.create())
            .provider(Providers.mock(MockSettings.defaults()))
            .build();
    AdminService admin = gateway.admin();
    admin.upsertDeployment(
        Principal.MASTER,
        Deployment.of(
            "model-cheap",
            "mock",
            "us.amazon.nova-micro-v1:0",
            Pricing.perMillionUsd("0.035", "0.14"),
            128_000,
            5_000));
    admin.createTeam(
        Principal.MASTER,
        TeamSpec.builder()
            .alias("drafting")
            .models(List.of("model-cheap"))
            .memberBudgets(List.of(BudgetLimit.daily(Money.ofUsd("0.017"))))
            .build());
    IssuedKey key =
        admin.generateKey(
            Principal.MASTER, KeySpec.builder().userId("alice").teamId("drafting").build());
    Principal alice = gateway.authenticate(key.plaintext());
    ChatResponse answer = gateway.chat(alice, ChatRequest.of("model-cheap", "Hello!"));
    System.out.println(
        answer.text().orElse("") + " cost-bearing tokens: " + answer.usage().totalTokens());
    // README-EXAMPLE-END
    return answer;
  }
}
