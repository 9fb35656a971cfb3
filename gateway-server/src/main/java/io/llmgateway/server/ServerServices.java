package io.llmgateway.server;

import io.llmgateway.core.Gateway;
import io.llmgateway.server.http.Authenticator;
import io.llmgateway.server.http.ClientAddress;
import io.llmgateway.server.http.ErrorResponder;
import io.llmgateway.server.http.InFlight;
import io.llmgateway.server.http.Json;
import io.llmgateway.server.metrics.GatewayMetrics;
import java.time.Clock;
import java.util.Objects;

/**
 * What every route group may use: configuration, the core, JSON, authentication, error responses,
 * metrics, the in-flight tracker, the readiness check, the clock, and who the client is ({@link
 * ClientAddress}: believes forwarded headers only from {@code GATEWAY_TRUSTED_PROXIES}). Built once
 * by {@link GatewayServer}; immutable and thread-safe.
 */
public record ServerServices(
    ServerConfig config,
    Gateway gateway,
    Json json,
    Authenticator auth,
    ErrorResponder errors,
    GatewayMetrics metrics,
    InFlight inFlight,
    Readiness readiness,
    Clock clock,
    ClientAddress clients,
    io.llmgateway.server.admin.AdminExtension adminExtension) {
  public ServerServices {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(errors, "errors");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(inFlight, "inFlight");
    Objects.requireNonNull(readiness, "readiness");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(clients, "clients");
    Objects.requireNonNull(adminExtension, "adminExtension");
  }
}
