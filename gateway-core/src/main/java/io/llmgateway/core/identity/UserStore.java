package io.llmgateway.core.identity;

import io.llmgateway.core.Page;
import java.util.Optional;

/** The port that stores users. Implementations are thread-safe. */
public interface UserStore {

  Optional<User> findById(String userId);

  Optional<User> findByEmail(String email);

  /** Inserts a user. Throws {@code ConflictException} if the id or email is taken. */
  void insert(User user);

  /** Replaces a user by id. Throws {@code NotFoundException} if it does not exist. */
  void update(User user);

  /**
   * Deletes a user by id. Throws {@code ConflictException} while keys still reference it.
   *
   * @return false if there was no such user
   */
  boolean delete(String userId);

  Page<User> list(UserQuery query);
}
