package io.llmgateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.bedrock.MockSettings;
import io.llmgateway.bedrock.Providers;
import io.llmgateway.core.Stores;
import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.admin.TeamSpec;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.memory.InMemoryAdapters;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.money.Price;
import io.llmgateway.core.testing.UnreachableLedger;
import io.llmgateway.server.support.TestConfigs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** When the budget ledger cannot be reached the gateway fails closed: 503, nothing upstream. */
@Tag("alone") // gateway-server/pom.xml: run in a JVM of its own, after the others
class StorageOutageTest {

  @Test
  void refusesWith503WhenTheLedgerIsUnreachable() throws Exception {
    Stores memory = InMemoryAdapters.create();
    AtomicBoolean down = new AtomicBoolean();
    Stores stores =
        new Stores(
            memory.keys(),
            memory.teams(),
            memory.users(),
            memory.catalog(),
            new UnreachableLedger(memory.ledger(), down),
            memory.rateLimiter(),
            memory.spendLog(),
            memory.auditLog(),
            memory.invalidations(),
            memory.operators(),
            memory.sessions());
    AdminService admin = new AdminService(stores, Clock.systemUTC(), java.time.ZoneOffset.UTC);
    admin.upsertDeployment(
        Principal.MASTER,
        new Deployment(
            "mock-1",
            "model-cheap",
            "mock",
            "echo",
            Optional.empty(),
            Optional.empty(),
            Pricing.of(Price.perMillionUsd("0.035"), Price.perMillionUsd("0.14")),
            128_000,
            5_000,
            Deployment.Source.CONFIG));
    admin.createTeam(
        Principal.MASTER,
        TeamSpec.builder()
            .alias("drafting")
            .models(List.of("model-cheap"))
            .memberBudgets(List.of(BudgetLimit.daily(Money.ofUsd("0.017"))))
            .build());
    String key =
        admin
            .generateKey(
                Principal.MASTER, KeySpec.builder().userId("u1").teamId("drafting").build())
            .plaintext();

    try (GatewayServer server =
        GatewayServer.start(
            // Leases off: with a lease in hand an instance keeps admitting its user for the
            // rest of the lease's window (docs/CORE.md "Database outage"); without one it fails
            // closed, which is what this test is about.
            TestConfigs.leasesOff(ServerConfig.forTests()),
            stores,
            List.of(Providers.mock(MockSettings.defaults())),
            Clock.systemUTC())) {
      assertThat(chat(server, key).statusCode()).isEqualTo(200);
      down.set(true);

      HttpResponse<String> r = chat(server, key);

      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(new ObjectMapper().readTree(r.body()).path("error").path("code").asText())
          .isEqualTo("storage_unavailable");
      assertThat(r.headers().firstValue("retry-after")).isPresent();
    }
  }

  private static HttpResponse<String> chat(GatewayServer server, String key) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"model-cheap\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
