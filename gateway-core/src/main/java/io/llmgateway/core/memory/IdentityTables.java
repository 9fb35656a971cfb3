package io.llmgateway.core.memory;

import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.VirtualKey;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The rows behind the three identity stores, under one lock: deleting a team must see the users and
 * keys that still reference it, the way foreign keys do in a database.
 */
final class IdentityTables {
  final ReentrantLock lock = new ReentrantLock();
  final Map<String, Team> teams = new HashMap<>();
  final Map<String, User> users = new HashMap<>();
  final Map<String, VirtualKey> keys = new HashMap<>();
}
