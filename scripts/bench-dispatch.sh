#!/usr/bin/env bash
# libevent's test/bench.c workload, Panamax vs libevent in C, side by side (libevent-contracts.md §3.1).
# Usage: scripts/bench-dispatch.sh [-n pipes] [-a active] [-w writes] [-r runs] [-m method]
#   default: -n 1000 -a 100 -w 1000 -r 25 -m epoll; both programs get the same arguments.
# Needs gcc and libevent's headers (Debian: apt-get install libevent-dev) for the C side.
# Prints min / median / max microseconds per run for each, and the ratio of medians (Panamax / libevent).
set -euo pipefail
cd "$(dirname "$0")/.."
args=(-n 1000 -a 100 -w 1000 -r 25 -m epoll)
[ $# -gt 0 ] && args=("$@")

if [ ! -f perf/target/benchmarks.jar ]; then
    mvn -B -q -pl perf -am package -DskipTests
fi
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! "$java_bin" -version 2>&1 | grep -qE 'version "(2[2-9]|[3-9][0-9])'; then
    java_bin="$(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | while read -r j; do
        "$j" -version 2>&1 | grep -qE 'version "(2[2-9]|[3-9][0-9])' && echo "$j" && break; done)"
fi
mkdir -p perf/target/native
gcc -O2 -Wall -o perf/target/native/bench_libevent perf/native/bench_libevent.c -levent

summary() {
    sort -n | awk '{ v[NR] = $1 } END { printf "min %d  median %d  max %d us\n", v[1], v[int((NR + 1) / 2)], v[NR] }'
}
median() {
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

c_out="$(perf/target/native/bench_libevent "${args[@]}")"
j_out="$("$java_bin" --enable-native-access=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
    -cp perf/target/benchmarks.jar io.panamax.perf.bench.DispatchBench "${args[@]}")"
echo "bench.c ${args[*]}"
echo "libevent: $(echo "$c_out" | summary)"
echo "Panamax:  $(echo "$j_out" | summary)"
awk -v j="$(echo "$j_out" | median)" -v c="$(echo "$c_out" | median)" \
    'BEGIN { printf "ratio of medians (Panamax / libevent): %.2f\n", (c > 0 ? j / c : 0) }'
