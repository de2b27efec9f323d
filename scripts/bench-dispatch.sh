#!/usr/bin/env bash
# libevent's dispatch benchmarks, Panamax vs libevent in C, side by side:
#   bench.c         (libevent-contracts.md §3.1): DispatchBench      vs perf/native/bench_libevent.c
#   bench_cascade.c (libevent-contracts.md §3.2): CascadeBench       vs perf/native/bench_cascade_libevent.c
# Usage: scripts/bench-dispatch.sh [-s all|bench|cascade] [-n pipes] [-a active] [-w writes] [-c cascadePipes]
#                                  [-r runs] [-W javaWarmupRuns] [-m method]
#   defaults: -s all -n 1000 -a 100 -w 1000 -c 1000 -r 25 -m epoll (the issue's targets; Java warm-up: each
#   program's own default run count, and at least 3 s).
#   bench.c gets -n -a -w -r -m, bench_cascade.c gets -n <cascadePipes> -r -m; both sides of a pair get the same.
# Needs gcc and libevent's headers (Debian: apt-get install libevent-dev) for the C side.
# Prints min / median / max microseconds per run for each, and the ratio of medians (Panamax / libevent).
set -euo pipefail
cd "$(dirname "$0")/.."
suite=all pipes=1000 active=100 writes=1000 cascade=1000 runs=25 method=epoll warmup=()
while getopts "s:n:a:w:c:r:W:m:" opt; do
    case "$opt" in
        s) suite="$OPTARG" ;; n) pipes="$OPTARG" ;; a) active="$OPTARG" ;; w) writes="$OPTARG" ;;
        c) cascade="$OPTARG" ;; r) runs="$OPTARG" ;; W) warmup=(-W "$OPTARG") ;; m) method="$OPTARG" ;;
        *) sed -n '2,10p' "$0" >&2; exit 2 ;;
    esac
done

jar=perf/target/benchmarks.jar
if [ ! -f "$jar" ] || [ -n "$(find perf/src engine/src/main ffm-bindings/src/main -name '*.java' -newer "$jar" | head -1)" ]; then
    mvn -B -q -pl perf -am package -DskipTests
fi
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! "$java_bin" -version 2>&1 | grep -qE 'version "(2[2-9]|[3-9][0-9])'; then
    java_bin="$(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | while read -r j; do
        "$j" -version 2>&1 | grep -qE 'version "(2[2-9]|[3-9][0-9])' && echo "$j" && break; done)"
fi
mkdir -p perf/target/native
gcc -O2 -Wall -o perf/target/native/bench_libevent perf/native/bench_libevent.c -levent
gcc -O2 -Wall -o perf/target/native/bench_cascade_libevent perf/native/bench_cascade_libevent.c -levent

summary() {
    sort -n | awk '{ v[NR] = $1 } END { printf "min %d  median %d  max %d us\n", v[1], v[int((NR + 1) / 2)], v[NR] }'
}
median() {
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# pair NAME C_PROGRAM JAVA_CLASS ARGS...: run the C side, then the Java side, with the same arguments.
pair() {
    local name="$1" c_prog="$2" j_class="$3"
    shift 3
    local c_out j_out
    c_out="$("perf/target/native/$c_prog" "$@")"
    j_out="$("$java_bin" --enable-native-access=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
        -cp "$jar" "io.panamax.perf.bench.$j_class" "$@" ${warmup[@]+"${warmup[@]}"})"
    echo "$name $*"
    echo "libevent: $(echo "$c_out" | summary)"
    echo "Panamax:  $(echo "$j_out" | summary)"
    awk -v j="$(echo "$j_out" | median)" -v c="$(echo "$c_out" | median)" \
        'BEGIN { printf "ratio of medians (Panamax / libevent): %.2f\n", (c > 0 ? j / c : 0) }'
}

case "$suite" in
    all|bench|cascade) ;;
    *) echo "unknown suite $suite (all, bench, cascade)" >&2; exit 2 ;;
esac
if [ "$suite" != cascade ]; then
    pair bench.c bench_libevent DispatchBench -n "$pipes" -a "$active" -w "$writes" -r "$runs" -m "$method"
fi
if [ "$suite" != bench ]; then
    pair bench_cascade.c bench_cascade_libevent CascadeBench -n "$cascade" -r "$runs" -m "$method"
fi
