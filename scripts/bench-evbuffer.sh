#!/usr/bin/env bash
# EvBuffer side by side with libevent's evbuffer in C doing the same work:
#   JMH EvBufferBenchmark + SocketpairThroughputBenchmark  vs  perf/native/bench_evbuffer_libevent.c
# Usage: scripts/bench-evbuffer.sh [-r rounds] [-w warmupIterations] [-i iterations] [-t secondsPerIteration]
#   defaults: -r 3 -w 2 -i 3 -t 1 (about 5 minutes). Each round runs the C program, then JMH (one fork), with the
#   same iteration counts and lengths, so every ratio compares two runs taken a minute apart at most.
# Needs gcc and libevent's headers (Debian: libevent-dev, installed with apt-get when missing and running as root).
# Prints, per benchmark, the ns/op of each side (median over rounds) and the throughput ratio Panamax / libevent
# (= libevent ns / Panamax ns; > 1 means Panamax is faster) as the median over rounds with its min and max.
# Raw figures: perf/target/bench-evbuffer/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/find-java.sh
source scripts/lib/perf-build.sh
rounds=3 warmups=2 iterations=3 seconds=1
while getopts "r:w:i:t:" opt; do
    case "$opt" in
        r) rounds="$OPTARG" ;; w) warmups="$OPTARG" ;; i) iterations="$OPTARG" ;; t) seconds="$OPTARG" ;;
        *) sed -n '2,10p' "$0" >&2; exit 2 ;;
    esac
done

command -v gcc >/dev/null 2>&1 || { echo "gcc is needed for the C side (apt-get install gcc)" >&2; exit 1; }
if ! pkg-config --exists libevent_core 2>/dev/null; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "installing libevent-dev (apt-get) for the C side ..." >&2
        apt-get update -qq && apt-get install -y -qq libevent-dev >/dev/null || true
    fi
fi
if ! pkg-config --exists libevent_core 2>/dev/null; then
    echo "libevent-dev is missing and cannot be installed here (needs root and apt-get)" >&2
    exit 1
fi
JAVA=$(panamax_find_java)
panamax_build_perf >&2
out=perf/target/bench-evbuffer
mkdir -p "$out"
# shellcheck disable=SC2046
gcc -O2 -Wall -Wextra -o "$out/bench_evbuffer_libevent" perf/native/bench_evbuffer_libevent.c \
    $(pkg-config --cflags --libs libevent_core)

raw="$out/raw.txt"
: > "$raw"
for ((round = 1; round <= rounds; round++)); do
    echo "round $round/$rounds: libevent (C) ..." >&2
    "$out/bench_evbuffer_libevent" -w "$warmups" -i "$iterations" -t "$((seconds * 1000))" \
        | awk -v r="$round" '{ s = 0; for (i = 2; i <= NF; i++) s += $i; print r, "c:" $1, s / (NF - 1) }' >> "$raw"
    echo "round $round/$rounds: Panamax (JMH) ..." >&2
    if ! "$JAVA" -jar "$PANAMAX_PERF_JAR" 'jmh\.(EvBufferBenchmark|SocketpairThroughputBenchmark)\.' \
        -f 1 -wi "$warmups" -w "${seconds}s" -i "$iterations" -r "${seconds}s" \
        -rf csv -rff "$out/jmh-round$round.csv" > "$out/jmh-round$round.log"; then
        echo "round $round: JMH failed (another JMH running holds /tmp/jmh.lock?); this round has no ratios" >&2
        continue
    fi
    awk -F, -v r="$round" 'NR > 1 {
            gsub(/["\r]/, ""); name = $1; sub(/.*\.jmh\./, "", name)
            if ($8 != "") name = name "." $8
            print r, "j:" name, $5
        }' "$out/jmh-round$round.csv" >> "$raw"
done

# label | Panamax key | reference key (c: libevent in C, j: another JMH benchmark)
rows='addDrain 64 B|j:EvBufferBenchmark.addDrain.64|c:addDrain.64
addDrain 1 KiB|j:EvBufferBenchmark.addDrain.1024|c:addDrain.1024
addDrain 16 KiB|j:EvBufferBenchmark.addDrain.16384|c:addDrain.16384
addBuffer 10 chains, there and back|j:EvBufferBenchmark.addBuffer10Chains|c:addBuffer10Chains
search 1 MiB|j:EvBufferBenchmark.search1MiB|c:search1MiB
searchEol 1 MiB|j:EvBufferBenchmark.searchEol1MiB|c:searchEol1MiB
readLine 1 MiB into a caller buffer|j:EvBufferBenchmark.readLine1MiB|c:readLine1MiB
readLine 1 MiB vs evbuffer_readln|j:EvBufferBenchmark.readLine1MiB|c:readLine1MiBReadln
socketpair 16 KiB (maxRead 16384)|j:SocketpairThroughputBenchmark.evBuffer16KiB|c:socketpair16KiB
socketpair 16 KiB (no trim)|j:SocketpairThroughputBenchmark.evBuffer16KiBNoFionread|c:socketpair16KiB
socketpair 16 KiB, reads of 4096 as libevent|j:SocketpairThroughputBenchmark.evBuffer16KiBMaxRead4096|c:socketpair16KiB
socketpair 16 KiB: JDK NIO vs libevent|j:SocketpairThroughputBenchmark.nio16KiB|c:socketpair16KiB
socketpair 16 KiB: EvBuffer vs JDK NIO|j:SocketpairThroughputBenchmark.evBuffer16KiB|j:SocketpairThroughputBenchmark.nio16KiB'

echo
echo "EvBuffer vs libevent $(pkg-config --modversion libevent_core) evbuffer: $rounds rounds, JMH/C -wi $warmups -i $iterations, ${seconds}s iterations"
echo "ratio = reference ns / Panamax ns per round (> 1: Panamax faster); median [min - max] over rounds"
echo
echo "$rows" | awk -F'|' -v raw="$raw" '
    function median(list,    n, a, i, j, t) {
        n = split(list, a, " ")
        for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
        lo = a[1]; hi = a[n]
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    BEGIN {
        while ((getline line < raw) > 0) { split(line, f, " "); v[f[1] SUBSEP f[2]] = f[3]; if (f[1] > maxr) maxr = f[1] }
        printf "| %-46s | %14s | %14s | %-22s |\n", "benchmark", "reference ns", "Panamax ns", "ratio median [min-max]"
        printf "|%s|%s:|%s:|%s|\n", "------------------------------------------------", "----------------", "----------------", "------------------------"
    }
    {
        js = ""; rs = ""; ratios = ""
        for (r = 1; r <= maxr; r++) {
            j = v[r SUBSEP $2]; c = v[r SUBSEP $3]
            if (j == "" || c == "" || j <= 0) continue
            js = js " " j; rs = rs " " c; ratios = ratios " " c / j
        }
        if (ratios == "") { printf "| %-46s | %14s | %14s | %-22s |\n", $1, "-", "-", "missing"; next }
        jm = median(js); rm = median(rs); q = median(ratios)
        printf "| %-46s | %14.1f | %14.1f | %.2f [%.2f-%.2f] |\n", $1, rm, jm, q, lo, hi
    }'
