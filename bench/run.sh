#!/usr/bin/env bash
# Benchmark: the gateway (real PostgreSQL, budgets enforced) in front of the wire-format Bedrock
# stub through the Bedrock adapter, every path of issue 18 in one run, each beside the stub called
# directly (the floor), ending with one table: path | metric | gateway | floor | added/ratio |
# target | met?. See docs/PERFORMANCE.md ("How to run bench/run.sh") for what each path means.
# Usage: bench/run.sh [seconds-per-run]   (needs wrk: apt-get install -y wrk)
#        BENCH_PATHS="bedrock ratelimit" bench/run.sh 10   (a subset of the paths below)
# Paths: bedrock (large budget, leases on), ratelimit (same users, keys with rpm/tpm/parallel
# limits), tiers (drafting-tier users, leases as they get them), leasesoff (the same with
# GATEWAY_BUDGET_LEASE_SECONDS=0), ttft (streams, time to first token), streams (BENCH_STREAMS
# concurrent SSE streams, -Xmx1g, dripping upstream), startup (production mode), mock, memory,
# otel (the lease path with OpenTelemetry traces off, then on into a local OTLP sink; also
# BENCH_OTEL=1 added to any BENCH_PATHS; BENCH_OTEL_PAIRS pairs, default 16, or the older
# BENCH_OTEL_ROUNDS design; docs/OBSERVABILITY.md). BENCH_TTFT_WARMUP: seconds of
# streams through the gateway before the ttft probe (default half of BENCH_WARMUP, at least 10).
# BENCH_PORT: the gateway's port (4100), another one when two runs share the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
DUR="${1:-20}"
PATHS="${BENCH_PATHS:-bedrock ratelimit tiers leasesoff ttft streams startup mock memory otel}"
[ "${BENCH_OTEL:-0}" = 1 ] && [[ " $PATHS " != *" otel "* ]] && PATHS="$PATHS otel"
WARMUP="${BENCH_WARMUP:-60}"
TIER_USERS="${BENCH_TIER_USERS:-200}"
STREAMS="${BENCH_STREAMS:-1000}"
STREAM_WORDS="${BENCH_STREAM_WORDS:-10}"
STREAMS_RAMP="${BENCH_STREAMS_RAMP:-5}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
command -v psql >/dev/null || echo "psql is missing: the tier path's lease share is not reported" >&2
if [ -z "${JAVA_HOME:-}" ]; then
  for c in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
    [ -x "$c/bin/java" ] && export JAVA_HOME="$c" && break
  done
fi
JAVA="$JAVA_HOME/bin/java"
has() { [[ " $PATHS " == *" $1 "* ]]; }
WORK=$(mktemp -d /tmp/gateway-bench.XXXXXX)
echo "work dir: $WORK"
echo "paths: $PATHS; ${DUR}s per measurement, ${WARMUP}s warm-up"
echo "machine: $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)," \
  "open files per process: $(ulimit -n)"

echo "building (jar + test classpath for the stub)..."
# One reactor run: packaged sibling modules (and their test-jars) resolve from their target/.
./mvnw -q -B -pl gateway-server -am package dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="gateway-server/target/test-classes:gateway-server/target/classes:$(cat "$WORK/cp.txt")"
JAR=$(ls gateway-server/target/gateway-server-*-all.jar | head -1)

GW_PID=""
STUB_PID=""
DRIP_PID=""
cleanup() {
  for p in "$GW_PID" "$STUB_PID" "$DRIP_PID" "${SINK_PID:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

"$JAVA" -cp "$CP" io.llmgateway.server.bench.BenchStub >"$WORK/stub.log" 2>&1 &
STUB_PID=$!
for _ in $(seq 100); do grep -q '^STUB ' "$WORK/stub.log" && break; sleep 0.2; done
STUB=$(grep '^STUB ' "$WORK/stub.log" | cut -d' ' -f2)
echo "stub: $STUB"

PORT="${BENCH_PORT:-4100}" # another port when two runs share the machine
BASE="http://127.0.0.1:$PORT"
GW="$BASE/v1/chat/completions"
STUB_URL="$STUB/model/us.amazon.nova-micro-v1%3A0/converse"
CHAT_BODY='{"model":"model-cheap","max_tokens":16,"messages":[{"role":"user","content":"Say hello to the benchmark"}]}'
# The seed's users send no max_tokens: the worst case is then the model's output cap (5,000).
TIER_BODY='{"model":"model-cheap","messages":[{"role":"user","content":"Say hello to the benchmark"}]}'
STREAM_BODY='{"model":"model-cheap","stream":true,"max_tokens":16,"messages":[{"role":"user","content":"Say hello to the benchmark"}]}'
# The crowd's streams: no max_tokens (as the seed's users), "drip" asks DripStub to drip.
DRIP_BODY='{"model":"model-cheap","stream":true,"messages":[{"role":"user","content":"drip: say hello to the benchmark"}]}'
CONVERSE_BODY='{"messages":[{"role":"user","content":[{"text":"Say hello to the benchmark"}]}],"inferenceConfig":{"maxTokens":16}}'
export BODY=""

# The final table, one tab-separated row per figure.
RES="$WORK/results.tsv"
: >"$RES"
HZ=$(getconf CLK_TCK)
. bench/lib.sh

# start_gateway <provider> <log-name> <warm-up seconds, 0 = none>; extra environment in GW_ENV
# (e.g. "GATEWAY_BUDGET_LEASE_SECONDS=0"), upstream in GW_STUB, JVM options in GW_OPTS.
start_gateway() {
  local log="$WORK/gateway-$2.log"
  # shellcheck disable=SC2086
  demo_gateway "$1" "$PORT" "$WORK/data" "$log" "${GW_STUB:-$STUB}" ${GW_ENV:-}
  GW_LOG="$log"
  KEYS=$(awk '$1 ~ /^bench[0-9]+$/ {print $2}' "$log" | paste -sd, -)
  MASTER=$(awk '$1 == "master" {print $3}' "$log" | head -1)
  [ -n "$KEYS" ] || { echo "gateway did not start; see $log" >&2; exit 1; }
  export KEYS
  [ "$3" -gt 0 ] || return 0
  curl -sf -H "Authorization: Bearer ${KEYS%%,*}" -H 'Content-Type: application/json' \
    -d "$CHAT_BODY" "$GW" >/dev/null
  echo "warm-up (JIT, ${3}s), gateway $2 ..."
  wrk -t2 -c16 -d"${3}s" -s bench/chat.lua "$GW" >/dev/null
  echo "warm-up's settlements written after $(drain) s"
}
stop_gateway() { kill "$GW_PID"; wait "$GW_PID" 2>/dev/null || true; GW_PID=""; }


# measure_gateway <label> <keys> [wrk-1-conn: 1]: raw 1-connection percentiles, then 32
# connections with CPU per request. Sets P50, P99, RPS (sustained), NON2XX, GWCPU, PGCPU.
measure_gateway() {
  local label="$1" keys="$2" out backlog drained reqs
  export KEYS="$keys"
  if [ "${3:-0}" = 1 ]; then
    echo; echo "== gateway ($label), 1 connection (wrk)"
    wrk -t1 -c1 -d"${DUR}s" --latency -s bench/chat.lua "$GW"
  fi
  probe "gateway ($label)" "$GW" "${BODY:-$CHAT_BODY}" "$keys"
  drain >/dev/null
  cpu_begin
  out=$(wrk -t2 -c32 -d"${DUR}s" --latency -s bench/chat.lua "$GW")
  backlog=$(queued); drained=$(drain)
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  cpu_end "$reqs"
  echo; echo "== gateway ($label), 32 connections"; echo "$out"
  NON2XX=$(echo "$out" | awk '/Non-2xx/ {print $NF}'); NON2XX=${NON2XX:-0}
  RPS=$(awk -v n="$reqs" -v d="$DUR" -v x="$drained" 'BEGIN {printf "%.0f", n / (d + x)}')
  echo "settlements still queued when wrk stopped: ${backlog:-?}, written ${drained} s later;" \
    "sustained: $RPS requests/s with every answer's spend written (CPU below includes that time)"
  echo "CPU per request ($label, 32 connections): gateway $GWCPU us (of which JIT compiler" \
    "threads $GWJIT us), PostgreSQL $PGCPU us, stub $STCPU us; machine busy $BUSY"
  echo "gateway RSS: $(( $(awk '/VmRSS/ {print $2}' "/proc/$GW_PID/status") / 1024 )) MiB," \
    "peak $(( $(awk '/VmHWM/ {print $2}' "/proc/$GW_PID/status") / 1024 )) MiB"
}

# Rows for one request path measured by measure_gateway against the floor (stub) figures.
rows_for() { # $1 = path, $2 = p50 target (added ms), $3 = req/s target
  row "$1" "p50 @1 conn, raw (ms)" "$P50" "$STUB_P50" "$(signed "$(sub_ms "$P50" "$STUB_P50")")" \
    "added <= $2" "$(met "$(sub_ms "$P50" "$STUB_P50")" le "$2")"
  row "$1" "p99 @1 conn, raw (ms)" "$P99" "$STUB_P99" "$(signed "$(sub_ms "$P99" "$STUB_P99")")" "-" "-"
  row "$1" "req/s @32 conn (non-2xx $NON2XX)" "$RPS" "$STUB_RPS" "x$(ratio "$RPS" "$STUB_RPS")" \
    ">= $3" "$(met "$RPS" ge "$3")"
  row "$1" "CPU/req @32: gateway / PostgreSQL (us)" "$GWCPU / $PGCPU" "stub $STUB_CPU" "-" "-" "-"
}

# Members of a tier: creates <n> users <prefix>1..n in team <tier>, prints their keys.
tier_keys() { # $1 = tier, $2 = prefix, $3 = n
  local i k keys=""
  for i in $(seq "$3"); do
    k=$(curl -sf -H "Authorization: Bearer $MASTER" -H 'Content-Type: application/json' \
      -d "{\"user_id\":\"$2$i\",\"team_id\":\"$1\"}" "$BASE/user/new" \
      | grep -o '"key":"[^"]*"' | head -1 | cut -d'"' -f4) || true
    keys="$keys${keys:+,}$k"
  done
  echo "$keys"
}

# measure_tier <label> <prefix>: drafting members without max_tokens, plus the share of requests
# admitted against a lease (no reservation of their own) and the most any member spent.
measure_tier() {
  local keys t0 admitted own spent
  keys=$(tier_keys drafting "$2" "$TIER_USERS")
  echo "created $TIER_USERS drafting users ($2*), short warm-up on them ($((WARMUP / 4))s at 16 connections, as long at 1)"
  BODY="$TIER_BODY" KEYS="$keys" wrk -t2 -c16 -d"$((WARMUP / 4))s" -s bench/chat.lua "$GW" >/dev/null
  # and at one connection: with leases off, a lone request reserves by its own statement (not the
  # batch that 16 connections use), whose code C2 was otherwise still compiling during the
  # one-connection measurement (docs/PERFORMANCE.md, "Thirteenth session: the reservation path").
  BODY="$TIER_BODY" KEYS="$keys" wrk -t1 -c1 -d"$((WARMUP / 4))s" -s bench/chat.lua "$GW" >/dev/null
  drain >/dev/null
  t0=$(psql_q "SELECT now()")
  BODY="$TIER_BODY"
  measure_gateway "$1" "$keys"
  BODY=""
  admitted=$(psql_q "SELECT count(*) FROM spend_log WHERE user_id LIKE '$2%' AND started_at >= '$t0'")
  own=$(psql_q "SELECT count(*) FROM reservations WHERE created_at >= '$t0' AND id NOT LIKE 'lease-%'")
  spent=$(psql_q "SELECT round(100.0 * max(s) / 17000000, 1) FROM (SELECT sum(cost_nanos) s
    FROM spend_log WHERE user_id LIKE '$2%' GROUP BY user_id) t")
  LEASE_SHARE=$(awk -v a="$admitted" -v o="$own" 'BEGIN { if (a + 0 > 0) printf "%.1f", 100 * (1 - o / a); else print "?" }')
  echo "tier ($1): $admitted requests admitted in the measured runs, $own with a reservation of" \
    "their own: ${LEASE_SHARE}% admitted against a lease; the most a member spent: ${spent}% of \$0.017"
  rows_for "$1" 0.8 4000
  row "$1" "admitted against a lease (%)" "$LEASE_SHARE" "-" "-" "report" "-"
  row "$1" "most a member spent of \$0.017/day (%)" "$spent" "-" "-" "< 50 (bench sanity)" "$(met "$spent" le 50)"
}

# ---- the floor: the stub called directly
wrk -t1 -c4 -d5s -s bench/converse.lua "$STUB_URL" >/dev/null
echo; echo "== stub directly, 1 connection (wrk)"
wrk -t1 -c1 -d"${DUR}s" --latency -s bench/converse.lua "$STUB_URL"
probe "stub directly" "$STUB_URL" "$CONVERSE_BODY"
STUB_P50=$P50; STUB_P99=$P99
C_ST=$(ticks "$STUB_PID")
out=$(wrk -t2 -c32 -d"${DUR}s" -s bench/converse.lua "$STUB_URL")
echo; echo "== stub directly, 32 connections"; echo "$out"
STUB_RPS=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
STUB_CPU=$(us_per $(($(ticks "$STUB_PID") - C_ST)) "$(echo "$out" | awk '/requests in/ {print $1}')")
echo "stub CPU per request: $STUB_CPU us"

# ---- one gateway (Bedrock adapter -> stub, leases on): large budgets, rate limits, tiers, streams
if has bedrock || has ratelimit || has tiers || has ttft || has startup; then
  start_gateway bedrock bedrock "$WARMUP"
  BENCH_KEYS=$KEYS
  if has bedrock || has ratelimit; then
    measure_gateway "large budget, leases on" "$KEYS" 1
    rows_for "large budget, leases on" 1 2000
    BASE_P50=$P50; BASE_RPS=$RPS
  fi
  if has ratelimit; then
    # The same eight users, keys with rpm/tpm/parallel limits high enough never to refuse.
    RL_KEYS=""
    for i in 1 2 3 4 5 6 7 8; do
      k=$(curl -sf -H "Authorization: Bearer $MASTER" -H 'Content-Type: application/json' \
        -d "{\"user_id\":\"demo-bench$i\",\"team_id\":\"bench$i\",\"rpm_limit\":1000000000,\"tpm_limit\":1000000000,\"max_parallel_requests\":100000}" \
        "$BASE/key/generate" | grep -o '"key":"[^"]*"' | head -1 | cut -d'"' -f4) || true
      RL_KEYS="$RL_KEYS${RL_KEYS:+,}$k"
    done
    measure_gateway "rpm/tpm/parallel limits" "$RL_KEYS"
    p="rate-limited key"
    row "$p" "p50 @1 conn, raw (ms)" "$P50" "$BASE_P50 (no limits)" "$(signed "$(sub_ms "$P50" "$BASE_P50")")" \
      "added <= 0.1" "$(met "$(sub_ms "$P50" "$BASE_P50")" le 0.1)"
    row "$p" "req/s @32 conn (non-2xx $NON2XX)" "$RPS" "$BASE_RPS (no limits)" \
      "x$(ratio "$RPS" "$BASE_RPS")" ">= x0.80" "$(met "$(ratio "$RPS" "$BASE_RPS" 6)" ge 0.8)"
    row "$p" "vs stub: p50 / req/s" "$P50 / $RPS" "$STUB_P50 / $STUB_RPS" \
      "$(signed "$(sub_ms "$P50" "$STUB_P50")") / x$(ratio "$RPS" "$STUB_RPS")" "-" "-"
    row "$p" "CPU/req @32: gateway / PostgreSQL (us)" "$GWCPU / $PGCPU" "stub $STUB_CPU" "-" \
      "PostgreSQL <= 150" "$(met "$PGCPU" le 150)"
  fi
  has tiers && measure_tier "drafting tier, leases on" "draft-on-"
  if has ttft; then
    echo; echo "-- time to first token, 1 connection, ${DUR}s each (StreamProbe, first fifth warm-up)"
    "$JAVA" -Xmx256m -cp "$CP" io.llmgateway.server.bench.StreamProbe eventstream \
      "$STUB/model/us.amazon.nova-micro-v1%3A0/converse-stream" 5 "$CONVERSE_BODY" >/dev/null
    out=$("$JAVA" -Xmx256m -cp "$CP" io.llmgateway.server.bench.StreamProbe eventstream \
      "$STUB/model/us.amazon.nova-micro-v1%3A0/converse-stream" "$DUR" "$CONVERSE_BODY")
    echo "stub directly (ConverseStream): $out"
    S50=$(echo "$out" | awk '{for (i = 1; i < NF; i++) if ($i == "token") print $(i + 2)}')
    S99=$(echo "$out" | awk '{for (i = 1; i < NF; i++) if ($i == "p99") {print $(i + 1); exit}}')
    # The gateway's stream path gets its own warm-up, as the blocking paths get wrk's: the warm-up
    # above runs only blocking requests, so SseRelay, the event-stream decoder and their callers
    # were still being compiled in the probe's first seconds (session 11 measured +0.9 ms added
    # after 25 s of streams on a loaded machine, +0.4 ms after 50 s).
    TTFT_WARMUP="${BENCH_TTFT_WARMUP:-$(( WARMUP / 2 > 10 ? WARMUP / 2 : 10 ))}"
    if [ "$TTFT_WARMUP" -gt 0 ]; then
      echo "stream warm-up (${TTFT_WARMUP}s of StreamProbe on the gateway) ..."
      "$JAVA" -Xmx256m -cp "$CP" io.llmgateway.server.bench.StreamProbe sse "$GW" "$TTFT_WARMUP" \
        "$STREAM_BODY" "$BENCH_KEYS" >/dev/null
      drain >/dev/null
    fi
    cpu_begin
    out=$("$JAVA" -Xmx256m -cp "$CP" io.llmgateway.server.bench.StreamProbe sse "$GW" "$DUR" \
      "$STREAM_BODY" "$BENCH_KEYS")
    drain >/dev/null
    cpu_end "$(echo "$out" | awk '{print $4 + 0}')" # every stream, the warm-up fifth's too
    echo "gateway (SSE):                  $out"
    G50=$(echo "$out" | awk '{for (i = 1; i < NF; i++) if ($i == "token") print $(i + 2)}')
    G99=$(echo "$out" | awk '{for (i = 1; i < NF; i++) if ($i == "p99") {print $(i + 1); exit}}')
    echo "CPU per stream: gateway $GWCPU us, PostgreSQL $PGCPU us (machine busy $BUSY)"
    row "streams" "first token p50 @1 conn (ms)" "$G50" "$S50" "$(signed "$(sub_ms "$G50" "$S50")")" \
      "added <= 0.5" "$(met "$(sub_ms "$G50" "$S50")" le 0.5)"
    row "streams" "first token p99 @1 conn (ms)" "$G99" "$S99" "$(signed "$(sub_ms "$G99" "$S99")")" "-" "-"
    # Percentiles are over the streams answered 200: refused ones must not pass unnoticed (session
    # 7's run had 18,406 503s here, the Bedrock bound leaking a place per completed stream).
    G_NON200=$(echo "$out" | awk '{for (i = 1; i < NF; i++) if ($i == "non-200:") {print $(i + 1) + 0; exit}}')
    row "streams" "streams not answered 200" "${G_NON200:-?}" "-" "-" "0" "$(met "${G_NON200:-?}" le 0)"
    row "streams" "CPU/stream @1: gateway / PostgreSQL (us)" "$GWCPU / $PGCPU" "-" "-" "-" "-"
  fi
  if has startup; then
    # Production mode against this run's PostgreSQL (external to the new instance), from the
    # process's start until /health/readiness answers 200. Start 0 has no class cache (what a bare
    # `java -jar` gets) and, on JDK 25+, writes the AOT cache that bin/gateway keeps beside the jar
    # (docs/SERVER.md "Startup"); starts 1-3 use it, and their median is the reported figure.
    AOT="$WORK/gateway.aot"
    times=""
    for n in 0 1 2 3; do
      cache_opt=""
      if [ "$(java_major "$JAVA")" -ge 25 ]; then
        if [ "$n" = 0 ]; then cache_opt="-XX:AOTCacheOutput=$AOT"; else cache_opt="-XX:AOTCache=$AOT"; fi
      fi
      t0=$(date +%s.%N)
      GATEWAY_MODE=production GATEWAY_MASTER_KEY=sk-bench-master-key-0123456789abcdef \
        DATABASE_URL="postgresql://postgres@127.0.0.1:$(pg_port)/gateway" GATEWAY_PORT=4101 \
        GATEWAY_PROVIDER=bedrock GATEWAY_TIERS_FILE=bench/tiers.yaml \
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME="$STUB" AWS_REGION=us-east-1 \
        AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench \
        "$JAVA" ${GATEWAY_JAVA_OPTS:--Xmx512m} $cache_opt -jar "$JAR" >"$WORK/gateway-production-$n.log" 2>&1 &
      pp=$!
      ready=""
      for _ in $(seq 3000); do
        curl -sf -o /dev/null "http://127.0.0.1:4101/health/readiness" && { ready=1; break; }
        kill -0 "$pp" 2>/dev/null || break
        sleep 0.02
      done
      t1=$(date +%s.%N)
      st=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')
      cpu=$(awk -v t="$(ticks "$pp")" -v hz="$HZ" 'BEGIN {printf "%.1f", t / hz}')
      kill "$pp" 2>/dev/null || true; wait "$pp" 2>/dev/null || true
      [ -n "$ready" ] || { echo "production start $n failed: see $WORK/gateway-production-$n.log"; st="?"; }
      if [ "$n" = 0 ]; then
        echo "production mode start 0 (no class cache): ready after $st s (gateway CPU ${cpu} s)"
        ST0="$st"; CPU0="$cpu"
      else
        echo "production mode start $n (class cache): ready after $st s (gateway CPU ${cpu} s)"
        times="$times $st"
      fi
    done
    ST=$(echo "$times" | tr ' ' '\n' | grep -v '^$' | sort -n | sed -n 2p)
    row "startup (production mode)" "to ready, class cache, median of 3 (s)" "$ST" "-" "-" "<= 3" "$(met "$ST" le 3)"
    row "startup (production mode)" "gateway CPU to ready, class cache, last start (s)" "$cpu" "-" "-" "-" "-"
    row "startup (production mode)" "to ready / CPU, no class cache (s)" "$ST0 / $CPU0" "-" "-" "-" "-"
  fi
  stop_gateway
fi

if has leasesoff; then
  GW_ENV="GATEWAY_BUDGET_LEASE_SECONDS=0" start_gateway bedrock leases-off "$WARMUP"
  measure_tier "drafting tier, leases off" "draft-off-"
  stop_gateway
fi

# ---- BENCH_STREAMS concurrent SSE streams on one -Xmx1g instance, upstream dripping a word a second
if has streams; then
  "$JAVA" -cp "$CP" io.llmgateway.server.bench.DripStub "$STREAM_WORDS" 1000 >"$WORK/stub-drip.log" 2>&1 &
  DRIP_PID=$!
  for _ in $(seq 100); do grep -q '^STUB ' "$WORK/stub-drip.log" && break; sleep 0.2; done
  DRIP=$(grep '^STUB ' "$WORK/stub-drip.log" | cut -d' ' -f2)
  # Warmed up first (a quarter of the warm-up, then 5 s of short streams): a real instance gets
  # traffic once it has served some; the crowd's prompt says "drip", which makes the stub drip.
  GW_STUB="$DRIP" GW_OPTS="-Xmx1g" start_gateway bedrock streams $((WARMUP / 4))
  "$JAVA" -Xmx256m -cp "$CP" io.llmgateway.server.bench.StreamProbe sse "$GW" 5 "$STREAM_BODY" \
    "$KEYS" >/dev/null
  drain >/dev/null
  echo; echo "== $STREAMS concurrent streams, $STREAM_WORDS words one a second, gateway -Xmx1g"
  (while kill -0 "$GW_PID" 2>/dev/null; do
    h=$(jcmd "$GW_PID" GC.heap_info 2>/dev/null | awk '/used/ {for (i = 1; i <= NF; i++) if ($i == "used") {print int($(i + 1)); exit}}')
    echo "${h:-0} $(awk '/VmRSS/ {print $2}' "/proc/$GW_PID/status") $(awk '/Threads/ {print $2}' "/proc/$GW_PID/status")"
    sleep 1
  done) >"$WORK/streams-samples.txt" 2>/dev/null &
  SAMPLER=$!
  cpu_begin "$DRIP_PID"
  out=$("$JAVA" -Xmx512m -cp "$CP" io.llmgateway.server.bench.StreamCrowd "$GW" "$STREAMS" "$STREAMS_RAMP" \
    "$DRIP_BODY" "$KEYS")
  drain >/dev/null
  cpu_end "$STREAMS" "$DRIP_PID"
  kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true
  echo "$out"
  HEAP=$(awk '$1 > m {m = $1} END {printf "%.0f", m / 1024}' "$WORK/streams-samples.txt")
  RSS=$(( $(awk '/VmHWM/ {print $2}' "/proc/$GW_PID/status") / 1024 ))
  THREADS=$(awk '$3 > m {m = $3} END {print m + 0}' "$WORK/streams-samples.txt")
  echo "gateway heap used (max of 1 s samples): $HEAP MiB of 1024; RSS peak $RSS MiB; threads max $THREADS"
  echo "CPU per stream: gateway $GWCPU us, PostgreSQL $PGCPU us, dripping stub $STCPU us"
  COMPLETED=$(echo "$out" | awk '{print $4}'); ERRORED=$(echo "$out" | awk '{print $6}')
  row "$STREAMS streams open at once (-Xmx1g)" "completed / errored" "$COMPLETED / $ERRORED" "-" \
    "$(echo "$out" | sed 's/.*failures //')" "0 errored" "$(met "$ERRORED" le 0)"
  row "$STREAMS streams open at once (-Xmx1g)" "heap max / RSS peak (MiB)" "$HEAP / $RSS" "-" "-" "report" "-"
  row "$STREAMS streams open at once (-Xmx1g)" "CPU/stream: gateway / PostgreSQL (us)" "$GWCPU / $PGCPU" \
    "stub $STCPU" "-" "-" "-"
  stop_gateway
  kill "$DRIP_PID" 2>/dev/null || true; wait "$DRIP_PID" 2>/dev/null || true; DRIP_PID=""
fi

# tracing overhead on the lease path (issue 21). The same gateway (leases on, large budgets) with
# traces off and with every request traced (parent-based always-on sampler: 100 %) and exported
# as OTLP/HTTP protobuf to OtlpSink, a local receiver. By default bench/otel-pairs.sh: a traced
# and an untraced gateway both started and warmed (BENCH_WARMUP each), then BENCH_OTEL_PAIRS pairs
# (default 16) of one measurement each, the order alternating; the mean of the pairs' ratios,
# with its 95 % interval, against the target. With BENCH_OTEL_ROUNDS set, the design used until
# session 20: that many rounds a side, each a fresh gateway, best round against best round (its
# rounds moved by up to x0.70 with their JIT and heap history: docs/PERFORMANCE.md, "Twentieth
# session").
if has otel && [ -z "${BENCH_OTEL_ROUNDS:-}" ]; then
  BENCH_PORT="$PORT" CP_FILE="$WORK/cp.txt" JAR="$JAR" bench/otel-pairs.sh \
    "${BENCH_OTEL_PAIRS:-16}" "$DUR" "$WARMUP" | tee "$WORK/otel.txt"
  read -r _ N M LO HI ON_RPS OFF_RPS ON_CPU OFF_CPU NOJIT ON_SINK < <(grep '^RESULT ' "$WORK/otel.txt")
  row "otel (leases on)" "req/s @32 conn, traced / untraced, mean of $N pairs (95 % interval)" \
    "$ON_RPS" "$OFF_RPS (off)" "x$(printf '%.3f (%.3f-%.3f)' "$M" "$LO" "$HI")" ">= x0.95" \
    "$(met "$M" ge 0.95)"
  row "otel (leases on)" "gateway CPU/req @32, mean: on / off (us)" "$ON_CPU" "$OFF_CPU (off)" \
    "x$(ratio "$ON_CPU" "$OFF_CPU")" "-" "-"
  row "otel (leases on)" "gateway CPU/req @32 without JIT compiler threads, traced minus untraced, mean of pairs (us)" \
    "$NOJIT" "-" "+$NOJIT us" "-" "-"
  row "otel (leases on)" "OtlpSink's CPU/req @32, traced, mean (us)" "$ON_SINK" "-" "-" "-" "-"
fi
if has otel && [ -n "${BENCH_OTEL_ROUNDS:-}" ]; then
  "$JAVA" -Xmx256m -cp "$CP" io.llmgateway.server.bench.OtlpSink >"$WORK/sink.log" 2>&1 &
  SINK_PID=$!
  for _ in $(seq 100); do grep -q '^SINK ' "$WORK/sink.log" && break; sleep 0.2; done
  SINK=$(grep '^SINK ' "$WORK/sink.log" | cut -d' ' -f2)
  OFF_RPS=0; ON_RPS=0; OFF_CPU=""; ON_CPU=""; OFF_P50=""; ON_P50=""; OFF_NOJIT=""; ON_NOJIT=""
  ON_SINK=""
  otel_side() { # $1 = off|on
    if [ "$1" = on ]; then
      GW_ENV="OTEL_EXPORTER_OTLP_ENDPOINT=$SINK OTEL_SERVICE_NAME=gateway-bench" \
        start_gateway bedrock "otel-on-$r" "$WARMUP"
    else
      start_gateway bedrock "otel-off-$r" "$WARMUP"
    fi
    measure_gateway "leases on, traces $1, round $r" "$KEYS"
    stop_gateway
    # The JIT compiler threads' share is given apart (both sides alike): compilation still going on
    # after the warm-up moved a round's CPU by +-10 us and more (session 12), the sink's CPU is
    # what the traced side costs the shared cores beyond the gateway's own.
    local nojit=$((GWCPU - GWJIT))
    echo "round $r traces $1: $RPS req/s, gateway CPU/req $GWCPU us ($nojit us without JIT" \
      "compiler threads), sink CPU/req $SKCPU us, p50 $P50 ms" | tee -a "$WORK/otel.txt"
    if [ "$1" = on ]; then
      [ "$RPS" -gt "$ON_RPS" ] && ON_RPS=$RPS
      [ -z "$ON_CPU" ] || [ "$GWCPU" -lt "$ON_CPU" ] && ON_CPU=$GWCPU
      [ -z "$ON_P50" ] && ON_P50=$P50
      [ -z "$ON_NOJIT" ] || [ "$nojit" -lt "$ON_NOJIT" ] && ON_NOJIT=$nojit
      [ -z "$ON_SINK" ] || [ "$SKCPU" -lt "$ON_SINK" ] && ON_SINK=$SKCPU
    else
      [ "$RPS" -gt "$OFF_RPS" ] && OFF_RPS=$RPS
      [ -z "$OFF_CPU" ] || [ "$GWCPU" -lt "$OFF_CPU" ] && OFF_CPU=$GWCPU
      [ -z "$OFF_P50" ] && OFF_P50=$P50
      [ -z "$OFF_NOJIT" ] || [ "$nojit" -lt "$OFF_NOJIT" ] && OFF_NOJIT=$nojit
    fi
    return 0
  }
  for r in $(seq "$BENCH_OTEL_ROUNDS"); do
    if [ $((r % 2)) = 1 ]; then otel_side off; otel_side on; else otel_side on; otel_side off; fi
  done
  SINK_COUNT=$(curl -sf "$SINK/count" || echo "? ? ?")
  kill "$SINK_PID" 2>/dev/null || true
  echo "sink: $(echo "$SINK_COUNT" | cut -d' ' -f2) exports, $(echo "$SINK_COUNT" | cut -d' ' -f3) bytes"
  row "otel (leases on)" "req/s @32 conn, traces on, best of $BENCH_OTEL_ROUNDS" "$ON_RPS" \
    "$OFF_RPS (off)" "x$(ratio "$ON_RPS" "$OFF_RPS")" ">= x0.95" "$(met "$(ratio "$ON_RPS" "$OFF_RPS" 6)" ge 0.95)"
  row "otel (leases on)" "p50 @1 conn, first round: on / off (ms)" "$ON_P50" "$OFF_P50 (off)" \
    "$(signed "$(sub_ms "$ON_P50" "$OFF_P50")")" "-" "-"
  row "otel (leases on)" "gateway CPU/req @32, best: on / off (us)" "$ON_CPU" "$OFF_CPU (off)" \
    "x$(ratio "$ON_CPU" "$OFF_CPU")" "-" "-"
  row "otel (leases on)" "gateway CPU/req @32 without JIT compiler threads, best: on / off (us)" \
    "$ON_NOJIT" "$OFF_NOJIT (off)" "+$((ON_NOJIT - OFF_NOJIT)) us" "-" "-"
  row "otel (leases on)" "OtlpSink's CPU/req @32, traces on, least (us)" "$ON_SINK" "-" "-" "-" "-"
  row "otel (leases on)" "OTLP exports / bytes to the sink" \
    "$(echo "$SINK_COUNT" | cut -d' ' -f2) / $(echo "$SINK_COUNT" | cut -d' ' -f3)" "-" "-" "report" "-"
fi

if has mock; then
  start_gateway mock mock "$WARMUP"
  measure_gateway "in-process mock provider" "$KEYS"
  rows_for "mock provider (no upstream hop)" 1 2000
  stop_gateway
fi

# The same server code without PostgreSQL: in-memory stores, mock provider.
if has memory; then
  "$JAVA" ${GATEWAY_JAVA_OPTS:--Xmx512m} -Dlogback.configurationFile=gateway-server/src/main/resources/logback.xml \
    -cp "$CP" io.llmgateway.server.bench.BenchMemoryServer \
    "$PORT" bench/tiers.yaml >"$WORK/gateway-memory.log" 2>&1 &
  GW_PID=$!
  for _ in $(seq 300); do grep -q 'bench8' "$WORK/gateway-memory.log" && break; sleep 0.2; done
  KEYS=$(awk '$1 ~ /^bench[0-9]+$/ {print $2}' "$WORK/gateway-memory.log" | paste -sd, -)
  export KEYS
  wrk -t2 -c16 -d"${WARMUP}s" -s bench/chat.lua "$GW" >/dev/null
  measure_gateway "in-memory stores, mock provider" "$KEYS"
  rows_for "in-memory stores, mock (no database)" 1 2000
  stop_gateway
fi

echo
# (the otel step's gateways log into bench/otel-pairs.sh's own directory and are counted there)
echo "non-2xx answers logged: $(cat "$WORK"/gateway-*.log 2>/dev/null | grep -c 'status=[45]' || true)"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "== Summary (${DUR}s per measurement; floor = the stub called directly unless stated)"
{
  printf 'path\tmetric\tgateway\tfloor (direct)\tadded / ratio\ttarget\tmet?\n'
  cat "$RES"
} | awk -F'\t' '{ printf "| %s |", $1; for (i = 2; i <= NF; i++) printf " %s |", $i; print "" }
  NR == 1 { print "|---|---|---|---|---|---|---|" }'
