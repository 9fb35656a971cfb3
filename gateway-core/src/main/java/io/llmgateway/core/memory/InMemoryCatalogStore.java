package io.llmgateway.core.memory;

import io.llmgateway.core.catalog.CatalogStore;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Deployments in insertion order (a replaced deployment keeps its place), which is the failover
 * order within a logical model. Thread-safe (one lock).
 */
final class InMemoryCatalogStore implements CatalogStore {
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Deployment> deployments = new LinkedHashMap<>();

  @Override
  public List<LogicalModel> models() {
    lock.lock();
    try {
      Map<String, List<Deployment>> byName = new TreeMap<>();
      for (Deployment d : deployments.values()) {
        byName.computeIfAbsent(d.modelName(), n -> new ArrayList<>()).add(d);
      }
      return byName.entrySet().stream()
          .map(e -> new LogicalModel(e.getKey(), e.getValue()))
          .toList();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<LogicalModel> model(String name) {
    lock.lock();
    try {
      List<Deployment> matching =
          deployments.values().stream().filter(d -> d.modelName().equals(name)).toList();
      return matching.isEmpty() ? Optional.empty() : Optional.of(new LogicalModel(name, matching));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<Deployment> deployment(String deploymentId) {
    lock.lock();
    try {
      return Optional.ofNullable(deployments.get(deploymentId));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void upsert(Deployment deployment) {
    lock.lock();
    try {
      deployments.put(deployment.id(), deployment);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean delete(String deploymentId) {
    lock.lock();
    try {
      return deployments.remove(deploymentId) != null;
    } finally {
      lock.unlock();
    }
  }
}
