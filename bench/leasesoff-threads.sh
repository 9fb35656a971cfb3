#!/usr/bin/env bash
# The lease path against the per-request reservation path (GATEWAY_BUDGET_LEASE_SECONDS=0) at
# CONN connections (default 1): the eight large-budget bench keys, the stub and a demo-mode gateway
# with its embedded PostgreSQL as bench/run.sh starts them, sides in the order given (ABAB), each
# warmed up; then CPU per request of the gateway by thread group (/proc/<pid>/task), of the stub,
# and of each PostgreSQL process by its title (backends, walwriter, autovacuum ...). Session 12,
# docs/PERFORMANCE.md "Twelfth session: one connection". Prints to stdout; work files in /tmp.
# Usage: bench/leasesoff-threads.sh <measure-s> <warm-up-s> "lease nolease nolease lease"
# A side may name its own jar: "nolease=/tmp/old.jar nolease" (label "old" for it, "new" otherwise
# when any side names one). GW_OPTS: extra JVM options for every gateway; GW_OPTS_OLD, GW_OPTS_NEW
# for the sides labelled old, new only. PERF=1: perf record -g
# of the gateway during the measured window (adds the profiler's cost to that side's CPU; needs
# -XX:+PreserveFramePointer in GW_OPTS for Java frames), report in the work directory.
set -uo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; JAVA=$JAVA_HOME/bin/java; export PATH=$JAVA_HOME/bin:$PATH
DUR=$1; WARM=$2; ORDER=$3; CONN=${CONN:-1}
W=$(mktemp -d /tmp/lease-threads.XXXXXX); echo "work $W"
# CP_FILE: a classpath file from an earlier run's build (skips the build).
. bench/classpath.sh; bench_classpath "$W" || exit 1
PORT=${BENCH_PORT:-4300}; BASE=http://127.0.0.1:$PORT; GW=$BASE/v1/chat/completions
export BODY=""
HZ=$(getconf CLK_TCK); GW_PID=""; STUB_PID=""
cleanup() { for p in $GW_PID $STUB_PID; do kill $p 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT
ticks() { awk '{print $14+$15}' /proc/$1/stat 2>/dev/null || echo 0; }
threads() { local t s name rest; for t in /proc/$1/task/*; do s=$(cat $t/stat 2>/dev/null) || continue
  name=${s#*(}; name=${name%)*}; rest=${s##*) }; set -- $rest; echo "${t##*/} $(( ${12} + ${13} )) ${name// /_}"; done; }
$JAVA -cp "$CP" io.llmgateway.server.bench.BenchStub >$W/stub.log 2>&1 & STUB_PID=$!
for _ in $(seq 100); do grep -q '^STUB ' $W/stub.log && break; sleep 0.2; done
STUB=$(grep '^STUB ' $W/stub.log | cut -d' ' -f2)
queued() { curl -sf $BASE/metrics | awk '/^gateway_settlements_queued / {print int($2)}'; }
drain() { for _ in $(seq 3000); do q=$(queued); [ "${q:-0}" -eq 0 ] && break; sleep 0.1; done; }
pg_ticks() { local pm t=0 c; pm=$(head -1 "$(find $W/data-$1 -name postmaster.pid | head -1)"); t=$(ticks $pm)
  for c in $(ps -o pid= --ppid $pm); do t=$((t + $(ticks $c))); done; echo $t; }
n=0
tagged=0; case "$ORDER" in *=*) tagged=1;; esac
for spec in $ORDER; do
  side=${spec%%=*}; jar=$JAR; tag=""
  opts=${GW_OPTS:-}
  if [ $tagged = 1 ]; then tag=-new; case "$spec" in *=*) jar=${spec#*=}; tag=-old;; esac; fi
  [ "$tag" = -old ] && opts="$opts ${GW_OPTS_OLD:-}"; [ "$tag" = -new ] && opts="$opts ${GW_OPTS_NEW:-}"
  n=$((n+1)); L="$n-$side$tag"; envs="X=1"; [ $side = nolease ] && envs="GATEWAY_BUDGET_LEASE_SECONDS=0"
  env $envs GATEWAY_MODE=demo GATEWAY_PROVIDER=bedrock GATEWAY_PORT=$PORT GATEWAY_DATA_DIR=$W/data-$L \
    GATEWAY_TIERS_FILE=bench/tiers.yaml AWS_ENDPOINT_URL_BEDROCK_RUNTIME=$STUB AWS_REGION=us-east-1 \
    AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench $JAVA -Xmx512m $opts -jar $jar >$W/gw-$L.log 2>&1 & GW_PID=$!
  for _ in $(seq 300); do grep -q 'Demo keys' $W/gw-$L.log && break; sleep 0.2; done; sleep 0.5
  export KEYS=$(awk '$1 ~ /^bench[0-9]+$/ {print $2}' $W/gw-$L.log | paste -sd, -)
  wrk -t2 -c16 -d${WARM}s -s bench/chat.lua $GW >/dev/null; wrk -t1 -c1 -d10s -s bench/chat.lua $GW >/dev/null; drain; sleep 1
  pm=$(head -1 "$(find $W/data-$L -name postmaster.pid | head -1)")
  pgsnap() { for p in $pm $(ps -o pid= --ppid $pm); do echo "$p $(awk '{print $14, $15}' /proc/$p/stat) $(tr '\0' ' ' </proc/$p/cmdline | cut -c1-60)"; done; }
  pgsnap >$W/pg0-$L
  threads $GW_PID >$W/t0-$L; P0=$(ticks $GW_PID); S0=$(ticks $STUB_PID); G0=$(pg_ticks $L)
  PERF_PID=""
  if [ "${PERF:-0}" = 1 ]; then perf record -F 999 -g -o $W/perf-$L.data -p $GW_PID >/dev/null 2>&1 & PERF_PID=$!; sleep 0.3; fi
  out=$(wrk -t1 -c$CONN -d${DUR}s --latency -s bench/chat.lua $GW)
  if [ -n "$PERF_PID" ]; then kill -INT $PERF_PID; wait $PERF_PID 2>/dev/null; jcmd $GW_PID Compiler.perfmap >/dev/null 2>&1; fi
  drain
  threads $GW_PID >$W/t1-$L; P1=$(ticks $GW_PID); S1=$(ticks $STUB_PID); G1=$(pg_ticks $L)
  pgsnap >$W/pg1-$L
  reqs=$(echo "$out" | awk '/requests in/ {print $1}'); p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  echo "$L reqs $reqs p50 $p50 gw $(( (P1-P0)*1000000/HZ/reqs )) stub $(( (S1-S0)*1000000/HZ/reqs )) pg $(( (G1-G0)*1000000/HZ/reqs )) load $(cut -d' ' -f1 /proc/loadavg)" | tee -a $W/summary
  python3 - "$W" "$L" "$reqs" "$HZ" <<'PY' | tee -a $W/summary
import sys, collections
W,L,reqs,hz=sys.argv[1],sys.argv[2],int(sys.argv[3]),int(sys.argv[4])
def rd(f): return {l.split()[0]:(int(l.split()[1]),l.split()[2]) for l in open(f)}
t0,t1=rd(f'{W}/t0-{L}'),rd(f'{W}/t1-{L}')
g=collections.Counter()
for tid,(tk,name) in t1.items():
    d=tk-t0.get(tid,(0,name))[0]
    n=name
    for p,k in [('ForkJoinPool','carriers'),('GC_Thread','gc'),('G1','gc'),('C1_Comp','c1'),('C2_Comp','c2'),('settlement','settle-writer'),('VM_Thread','vm')]:
        if n.startswith(p): n=k; break
    g[n]+=d
print(L,'gateway threads:',' '.join(f'{k}={v*1e6/hz/reqs:.0f}' for k,v in g.most_common() if v*1e6/hz/reqs>=2))
def pg(f):
    d={}
    for l in open(f):
        p=l.split(None,3); d[p[0]]=(int(p[1]),int(p[2]),p[3].strip() if len(p)>3 else '')
    return d
a,b=pg(f'{W}/pg0-{L}'),pg(f'{W}/pg1-{L}')
h=collections.defaultdict(lambda:[0,0])
for pid,(u,s,cmd) in b.items():
    u0,s0,_=a.get(pid,(0,0,cmd)); k=cmd.replace('postgres: ','')[:30]
    if '127.0.0.1' in k or ' idle' in k: k='backends'
    h[k][0]+=u-u0; h[k][1]+=s-s0
print(L,'postgres:',' '.join(f'{k.strip()}=user {u*1e6/hz/reqs:.0f} sys {s*1e6/hz/reqs:.0f}' for k,(u,s) in sorted(h.items(),key=lambda x:-sum(x[1])) if (u+s)*1e6/hz/reqs>=2))
PY
  kill $GW_PID; wait $GW_PID 2>/dev/null; GW_PID=""
done
