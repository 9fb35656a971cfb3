package io.llmgateway.server.admin;

import io.llmgateway.core.admin.AdminService;
import io.llmgateway.server.ServerServices;
import java.time.Clock;
import java.time.ZoneId;

/** What the admin route groups share: the one AdminService, JSON, the clock and the zone. */
record AdminApi(
    AdminService admin, AdminJson json, Clock clock, ZoneId zone, AdminExtension extension) {
  static AdminApi of(ServerServices s) {
    return new AdminApi(
        s.gateway().admin(),
        new AdminJson(s.json()),
        s.clock(),
        s.config().zone(),
        s.adminExtension());
  }

  /** {@code fields} and the extension's. */
  java.util.Set<String> fields(java.util.Set<String> fields) {
    return KeyRoutes.union(fields, extension.fields());
  }

  /** Validates the extension's fields of the body just read into {@code b}'s problems. */
  void validate(AdminCall call, Body b) throws java.io.IOException {
    extension.validate(call.optionalBody().orElseThrow(), b.problems()::add);
  }

  /** Stores the extension's fields after the core accepted the change. */
  void apply(AdminCall call, String kind, String id) throws java.io.IOException {
    extension.apply(call.actor(), kind, id, call.optionalBody().orElseThrow());
  }
}
