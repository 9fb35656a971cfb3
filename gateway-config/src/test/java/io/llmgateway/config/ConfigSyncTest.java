package io.llmgateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.config.ConfigSync.Action;
import io.llmgateway.config.ConfigSync.Change;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.Stores;
import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.memory.InMemoryAdapters;
import io.llmgateway.core.money.Money;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigSyncTest {
  private static final Path CONFIG = locateConfig();

  private final Stores stores = InMemoryAdapters.create();
  private final AdminService admin = new AdminService(stores, Clock.systemUTC(), ZoneOffset.UTC);
  private final List<Tier> tiers = ConfigFiles.tiers(CONFIG.resolve("tiers.yaml"));
  private final List<Deployment> models = ConfigFiles.models(CONFIG.resolve("models.yaml"));

  @Test
  void aDryRunPlansCreatesAndChangesNothing() {
    List<Change> plan = ConfigSync.syncTiers(admin, Principal.MASTER, tiers, true);

    assertThat(plan).extracting(Change::action).containsOnly(Action.CREATE);
    assertThat(stores.teams().list(PageRequest.first(10)).items()).isEmpty();
  }

  @Test
  void syncCreatesTheTierTeamsWithPerMemberBudgetsAndASecondRunChangesNothing() {
    ConfigSync.syncModels(admin, Principal.MASTER, models, false);
    ConfigSync.syncTiers(admin, Principal.MASTER, tiers, false);

    Team drafting = stores.teams().findById("drafting").orElseThrow();
    assertThat(drafting.models()).containsExactly("model-cheap");
    assertThat(drafting.memberBudgets())
        .extracting(b -> b.limit())
        .containsExactlyInAnyOrder(Money.ofUsd("0.017"), Money.ofUsd("0.50"));
    long auditBefore =
        stores.auditLog().list(java.util.Optional.empty(), PageRequest.first(1)).total();

    assertThat(ConfigSync.syncTiers(admin, Principal.MASTER, tiers, false))
        .extracting(Change::action)
        .containsOnly(Action.UNCHANGED);
    assertThat(ConfigSync.syncModels(admin, Principal.MASTER, models, false))
        .extracting(Change::action)
        .containsOnly(Action.UNCHANGED);
    assertThat(stores.auditLog().list(java.util.Optional.empty(), PageRequest.first(1)).total())
        .isEqualTo(auditBefore);
  }

  @Test
  void aChangedTierIsUpdatedInPlace() {
    ConfigSync.syncModels(admin, Principal.MASTER, models, false);
    ConfigSync.syncTiers(admin, Principal.MASTER, tiers, false);
    Tier drafting = tiers.getFirst();
    Tier richer =
        new Tier(
            drafting.name(),
            drafting.displayName(),
            Money.ofUsd("0.02"),
            drafting.monthly(),
            List.of("model-cheap", "model-balanced"));

    List<Change> plan = ConfigSync.syncTiers(admin, Principal.MASTER, List.of(richer), false);

    assertThat(plan).singleElement().extracting(Change::action).isEqualTo(Action.UPDATE);
    assertThat(stores.teams().findById("drafting").orElseThrow().models())
        .containsExactly("model-cheap", "model-balanced");
  }

  private static Path locateConfig() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("config"))) {
      dir = dir.getParent();
    }
    return dir.resolve("config");
  }
}
