package io.llmgateway.core.session;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The port for admin UI sessions and failed sign-in attempts, shared by every gateway instance when
 * backed by a database: a session created on one instance is valid on all, and signing out on one
 * (deleting the session) ends it everywhere. Failed sign-ins are counted per subject (a hash of the
 * user name and client address, chosen by the caller) so throttling holds across instances.
 * Implementations are thread-safe.
 */
public interface SessionStore {

  /** Stores a new session ({@code ConflictException} if its id hash exists). */
  void create(UiSession session);

  /** The session with this id hash, if it exists and has not expired at {@code now}. */
  Optional<UiSession> find(String idHash, Instant now);

  /** Moves a session's expiry; does nothing if the session is gone. */
  void extend(String idHash, Instant expiresAt);

  /** Deletes a session; returns false if there was none. */
  boolean delete(String idHash);

  /**
   * Deletes every session whose credential is none of {@code credentials}, the credentials of the
   * sign-in methods configured now (the break-glass account and password, the single sign-on
   * provider and role mapping): a change of one ends that method's older sessions and no others.
   * Returns how many were deleted; an empty set deletes every session.
   */
  int deleteAllExcept(Set<String> credentials);

  /**
   * Deletes every session of {@code username}, compared case-insensitively (a named operator was
   * changed or removed: what they may do is decided again at their next sign-in); returns how many.
   */
  int deleteByUsername(String username);

  /** Deletes sessions expired at {@code now} and failures older than {@code failuresBefore}. */
  int sweep(Instant now, Instant failuresBefore);

  /** Records one failed sign-in for {@code subject} at {@code at}. */
  void recordFailure(String subject, Instant at);

  /** Failed sign-ins recorded for {@code subject} at or after {@code since}. */
  int failuresSince(String subject, Instant since);

  /** Forgets the failures of {@code subject} (after a successful sign-in). */
  void clearFailures(String subject);
}
