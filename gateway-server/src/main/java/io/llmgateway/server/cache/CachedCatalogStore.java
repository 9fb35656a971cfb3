package io.llmgateway.server.cache;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.llmgateway.core.InvalidationBus;
import io.llmgateway.core.catalog.CatalogStore;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model catalog, read once per {@code ttl} instead of once per request (every chat request
 * looks its model up). Any published invalidation and every write through this store drop the
 * snapshot at once; another instance's change is seen within {@code ttl} (1 s by default) or as
 * soon as its invalidation arrives. Thread-safe.
 */
public final class CachedCatalogStore implements CatalogStore {
  private final CatalogStore delegate;
  private final LoadingCache<Boolean, Snapshot> cache;

  private record Snapshot(List<LogicalModel> models, Map<String, LogicalModel> byName) {}

  public CachedCatalogStore(CatalogStore delegate, InvalidationBus bus, Duration ttl) {
    this.delegate = delegate;
    this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(1).build(k -> load());
    bus.subscribe(
        i -> {
          if (!(i instanceof InvalidationBus.Invalidation.LeaseRecall)) {
            cache.invalidateAll(); // a lease recall is about budgets, not the catalog
          }
        });
  }

  private Snapshot load() {
    List<LogicalModel> models = delegate.models();
    Map<String, LogicalModel> byName = new LinkedHashMap<>();
    models.forEach(m -> byName.put(m.name(), m));
    return new Snapshot(List.copyOf(models), Map.copyOf(byName));
  }

  @Override
  public List<LogicalModel> models() {
    return cache.get(Boolean.TRUE).models();
  }

  @Override
  public Optional<LogicalModel> model(String name) {
    return Optional.ofNullable(cache.get(Boolean.TRUE).byName().get(name));
  }

  @Override
  public Optional<Deployment> deployment(String deploymentId) {
    return delegate.deployment(deploymentId);
  }

  @Override
  public void upsert(Deployment deployment) {
    try {
      delegate.upsert(deployment);
    } finally {
      cache.invalidateAll();
    }
  }

  @Override
  public boolean delete(String deploymentId) {
    try {
      return delegate.delete(deploymentId);
    } finally {
      cache.invalidateAll();
    }
  }
}
