package io.llmgateway.server.boot;

import io.llmgateway.config.Tier;
import io.llmgateway.core.Stores;
import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.identity.ApiKeys;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.VirtualKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Demo mode's keys: a master key and one user key per tier, kept in {@code demo-keys.properties} in
 * the data directory (owner-readable only) so they are the same at every restart of the same data
 * directory and can be printed again. A key that no longer works (database wiped, key deleted) is
 * re-issued. Never used in production mode. Stateless.
 */
public final class DemoKeys {
  static final String FILE = "demo-keys.properties";
  static final String MASTER = "master_key";

  private DemoKeys() {}

  /** One demo user's key. */
  public record DemoKey(String tier, String userId, String plaintext) {
    @Override
    public String toString() {
      return "DemoKey[" + tier + ", " + userId + ", " + ApiKeys.displayPrefix(plaintext) + "]";
    }
  }

  /** The stored demo master key, or a new one (stored at once). */
  public static String masterKey(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    Properties p = SecretFiles.read(file);
    String key = p.getProperty(MASTER);
    if (key == null || key.isBlank()) {
      key = ApiKeys.generate();
      p.setProperty(MASTER, key);
      SecretFiles.write(file, p, "LLM gateway demo keys (demo mode only). Delete to re-issue.");
    }
    return key;
  }

  /** Makes sure each tier has a working demo user key; returns them in tier order. */
  public static List<DemoKey> ensure(
      AdminService admin, Stores stores, Path dataDir, List<Tier> tiers) {
    Path file = dataDir.resolve(FILE);
    Properties p = SecretFiles.read(file);
    List<DemoKey> result = new ArrayList<>();
    boolean changed = false;
    for (Tier tier : tiers) {
      String userId = "demo-" + tier.name();
      String alias = "demo-" + tier.name();
      String stored = p.getProperty("key." + tier.name());
      Optional<VirtualKey> existing = stores.keys().findByAlias(alias);
      boolean works =
          stored != null
              && existing.isPresent()
              && existing.get().hash().matches(KeyHash.of(stored))
              && !existing.get().blocked();
      if (!works) {
        existing.ifPresent(k -> admin.deleteKey(Principal.MASTER, k.id()));
        stored = ApiKeys.generate();
        admin.generateKey(
            Principal.MASTER,
            KeySpec.builder().userId(userId).teamId(tier.name()).alias(alias).key(stored).build());
        p.setProperty("key." + tier.name(), stored);
        changed = true;
      }
      result.add(new DemoKey(tier.name(), userId, stored));
    }
    if (changed) {
      SecretFiles.write(file, p, "LLM gateway demo keys (demo mode only). Delete to re-issue.");
    }
    return result;
  }
}
