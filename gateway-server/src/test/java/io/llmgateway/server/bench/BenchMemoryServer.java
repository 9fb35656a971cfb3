package io.llmgateway.server.bench;

import io.llmgateway.bedrock.MockSettings;
import io.llmgateway.bedrock.Providers;
import io.llmgateway.config.Tier;
import io.llmgateway.core.Stores;
import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.memory.InMemoryAdapters;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.boot.StartupConfigSync;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;

/**
 * The server with in-memory stores and the mock provider, for {@code bench/run.sh}: the same HTTP,
 * parsing, admission and settlement code without PostgreSQL, so the database's share of the
 * per-request cost can be told apart. Prints {@code <tier> <key>} lines like the demo banner.
 */
public final class BenchMemoryServer {
  private BenchMemoryServer() {}

  public static void main(String[] args) throws InterruptedException {
    int port = Integer.parseInt(args[0]);
    Stores stores = InMemoryAdapters.create();
    AdminService admin = new AdminService(stores, Clock.systemUTC(), ZoneOffset.UTC);
    StartupConfigSync.Result applied =
        StartupConfigSync.apply(admin, Path.of("config/models.yaml"), Path.of(args[1]));
    ServerConfig config = ServerConfig.forTests().toBuilder().port(port).build();
    GatewayServer server =
        GatewayServer.builder(config)
            .stores(stores)
            .provider(new BedrockNamed(Providers.mock(MockSettings.defaults())))
            .start();
    System.out.println("Demo keys (in memory)");
    for (Tier t : applied.tiers()) {
      String key =
          admin
              .generateKey(
                  Principal.MASTER,
                  KeySpec.forUser("u-" + t.name()).toBuilder().teamId(t.name()).build())
              .plaintext();
      System.out.println("  " + t.name() + " " + key);
    }
    System.out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    Thread.currentThread().join();
  }

  /** The mock provider answering for the models file's {@code bedrock} deployments. */
  private record BedrockNamed(io.llmgateway.core.provider.ModelProvider p)
      implements io.llmgateway.core.provider.ModelProvider {
    @Override
    public String name() {
      return "bedrock";
    }

    @Override
    public io.llmgateway.core.chat.ChatResponse complete(
        io.llmgateway.core.provider.ProviderRequest r) {
      return p.complete(r);
    }

    @Override
    public io.llmgateway.core.provider.ChatStream stream(
        io.llmgateway.core.provider.ProviderRequest r) {
      return p.stream(r);
    }

    @Override
    public io.llmgateway.core.provider.HealthStatus probe(io.llmgateway.core.catalog.Deployment d) {
      return p.probe(d);
    }
  }
}
