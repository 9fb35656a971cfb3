# The gateway's jar and the test classpath (the stub, OtlpSink, the probes) as the bench scripts
# start them: built in one reactor run (packaged sibling modules resolve from their target/) into
# <work>/cp.txt; with CP_FILE (or BENCH_CP) naming an earlier run's cp.txt, no build. Sets CP, and
# JAR unless it is set. Sourced by bench/leasesoff-threads.sh, bench/otel-threads.sh, bench/phases.sh.
# shellcheck shell=bash
bench_classpath() {
  local w=$1 from=${CP_FILE:-${BENCH_CP:-}}
  if [ -n "$from" ]; then cp "$from" "$w/cp.txt"; else
    ./mvnw -q -B -pl gateway-server -am package dependency:build-classpath -DskipTests \
      -Dmdep.includeScope=test -Dmdep.outputFile="$w/cp.txt" >/dev/null || { echo "build failed" >&2; return 1; }
  fi
  CP="gateway-server/target/test-classes:gateway-server/target/classes:$(cat "$w/cp.txt")"
  JAR=${JAR:-$(ls gateway-server/target/gateway-server-*-all.jar | head -1)}
}
