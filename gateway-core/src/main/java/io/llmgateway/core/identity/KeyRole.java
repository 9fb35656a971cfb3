package io.llmgateway.core.identity;

/**
 * What a virtual key may do. {@code LLM_API} keys call inference routes and read their own info;
 * {@code TEAM_ADMIN} keys also manage their own team's users and keys, never beyond their own
 * rights; {@code PROXY_ADMIN} keys may do everything the master key does.
 */
public enum KeyRole {
  LLM_API,
  TEAM_ADMIN,
  PROXY_ADMIN
}
