package io.llmgateway.core.identity;

/** LiteLLM's user roles that we honour. */
public enum UserRole {
  PROXY_ADMIN,
  INTERNAL_USER,
  INTERNAL_USER_VIEWER
}
