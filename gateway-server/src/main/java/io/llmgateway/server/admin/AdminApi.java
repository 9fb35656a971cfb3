package io.llmgateway.server.admin;

import io.llmgateway.core.admin.AdminService;
import io.llmgateway.server.ServerServices;
import java.time.Clock;
import java.time.ZoneId;

/** What the admin route groups share: the one AdminService, JSON, the clock and the zone. */
record AdminApi(AdminService admin, AdminJson json, Clock clock, ZoneId zone) {
  static AdminApi of(ServerServices s) {
    return new AdminApi(s.gateway().admin(), new AdminJson(s.json()), s.clock(), s.config().zone());
  }
}
