#!/usr/bin/env bash
# What tracing costs per traced request, apart from the rest of the gateway: drives the real
# tracing code (OtelGatewayTracing's port calls, HttpTracing's span start and finish) as one
# lease-path request does, at a steady rate, exporting into bench's OtlpSink (its own process), and
# prints the process CPU and the bytes allocated per request, with our batch settings and with the
# SDK's defaults.
# Usage: bench/otel-export.sh [requests/s, default 3000] [seconds per round, default 10]
# Needs `./mvnw -q package -DskipTests` first (the fat jar and the test classes).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAR=$(ls gateway-server/target/gateway-server-*-all.jar | head -1)
CP="gateway-server/target/test-classes:$JAR"
LOG=$(mktemp)
"$JAVA" -Xmx256m -cp "$CP" io.llmgateway.server.bench.OtlpSink >"$LOG" 2>&1 &
SINK_PID=$!
trap 'kill $SINK_PID 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 100); do grep -q '^SINK ' "$LOG" && break; sleep 0.2; done
SINK=$(grep '^SINK ' "$LOG" | cut -d' ' -f2)
RATE="${1:-3000}" SECS="${2:-10}"
echo "== ours (ServerTracing's defaults)"
"$JAVA" -Xmx512m -cp "$CP" io.llmgateway.server.otel.ExportCostBench "$SINK" "$RATE" "$SECS"
echo "== the SDK's defaults"
"$JAVA" -Xmx512m -cp "$CP" io.llmgateway.server.otel.ExportCostBench "$SINK" "$RATE" "$SECS" \
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE=512 OTEL_BSP_MAX_QUEUE_SIZE=2048
echo "sink (spans exports bytes): $(curl -sf "$SINK/count")"
