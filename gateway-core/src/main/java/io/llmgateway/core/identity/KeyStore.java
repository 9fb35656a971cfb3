package io.llmgateway.core.identity;

import io.llmgateway.core.Page;
import java.util.Optional;

/** The port that stores virtual keys (hashes only). Implementations are thread-safe. */
public interface KeyStore {

  /**
   * Everything authentication needs, in one lookup: the key whose current hash, or whose previous
   * hash still inside its grace period, equals {@code hash}, with its user and team.
   */
  Optional<Principal.Keyed> findPrincipal(KeyHash hash, java.time.Instant now);

  Optional<VirtualKey> findById(String keyId);

  Optional<VirtualKey> findByHash(KeyHash hash);

  Optional<VirtualKey> findByAlias(String alias);

  /** Inserts a new key. Throws {@code ConflictException} on a duplicate alias or hash. */
  void insert(VirtualKey key);

  /** Replaces a key by id. Throws {@code NotFoundException} if it does not exist. */
  void update(VirtualKey key);

  /** Deletes a key by id; returns false if there was none. */
  boolean delete(String keyId);

  Page<VirtualKey> list(KeyQuery query);
}
