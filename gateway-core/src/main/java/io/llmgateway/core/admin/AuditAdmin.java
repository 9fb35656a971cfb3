package io.llmgateway.core.admin;

import io.llmgateway.core.Page;
import io.llmgateway.core.audit.AuditEvent;
import io.llmgateway.core.audit.AuditQuery;
import io.llmgateway.core.identity.Principal;

/**
 * Reads of the audit trail behind {@link AdminService}: proxy admins and viewers only, the whole
 * trail or nothing (it has no per-team scope). The writes are {@link AdminContext#record}'s, made
 * by every change. Thread-safe: it holds no state of its own.
 */
final class AuditAdmin {
  private final AdminContext ctx;

  AuditAdmin(AdminContext ctx) {
    this.ctx = ctx;
  }

  Page<AuditEvent> list(Principal actor, AuditQuery query) {
    Access.requireReadsAll(actor, "read the audit log");
    return ctx.stores.auditLog().list(query);
  }
}
