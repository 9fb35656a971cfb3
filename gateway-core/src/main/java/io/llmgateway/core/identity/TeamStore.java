package io.llmgateway.core.identity;

import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import java.util.Optional;

/** The port that stores teams. Implementations are thread-safe. */
public interface TeamStore {

  Optional<Team> findById(String teamId);

  Optional<Team> findByAlias(String alias);

  /** Inserts a team. Throws {@code ConflictException} if the id or alias is taken. */
  void insert(Team team);

  /** Replaces a team by id. Throws {@code NotFoundException} if it does not exist. */
  void update(Team team);

  /**
   * Deletes a team by id. Throws {@code ConflictException} while users or keys still reference it.
   *
   * @return false if there was no such team
   */
  boolean delete(String teamId);

  Page<Team> list(PageRequest page);
}
