#!/usr/bin/env bash
# EvBuffer side by side with libevent's evbuffer in C doing the same work:
#   JMH EvBufferBenchmark + SocketpairThroughputBenchmark  vs  perf/native/bench_evbuffer_libevent.c
# Usage: scripts/bench-evbuffer.sh [-r rounds] [-w warmupIterations] [-i iterations] [-t secondsPerIteration]
#                                  [-b group]
#   defaults: -r 3 -w 2 -i 3 -t 1 (about 6 minutes). Rounds are interleaved benchmark by benchmark: in each round
#   every group runs its C twin (bench_evbuffer_libevent -b) and its JMH benchmarks (one fork) back to back, C first
#   in odd rounds and JMH first in even ones, with the same iteration counts and lengths, so every ratio compares
#   two runs taken seconds apart on this machine as it was then.
#   -b group: only the groups whose name contains it (addDrain, addBuffer10Chains, search1MiB, searchEol1MiB,
#   readLine1MiB, socketpair16KiB).
# Needs gcc and libevent's headers (Debian: libevent-dev, installed with apt-get when missing and running as root).
# Prints, per benchmark, the ns/op of each side (median over rounds), the throughput ratio Panamax / libevent
# (= libevent ns / Panamax ns; > 1 means Panamax is faster) as the median over rounds with its min and max, and
# the ratio of every round in order (their spread shows how much the machine moved the figures).
# Raw figures: perf/target/bench-evbuffer/ (raw.txt: round, side:benchmark, ns/op; JMH csv and logs).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/find-java.sh
source scripts/lib/perf-build.sh
rounds=3 warmups=2 iterations=3 seconds=1 only=""
while getopts "r:w:i:t:b:" opt; do
    case "$opt" in
        r) rounds="$OPTARG" ;; w) warmups="$OPTARG" ;; i) iterations="$OPTARG" ;; t) seconds="$OPTARG" ;;
        b) only="$OPTARG" ;;
        *) sed -n '2,16p' "$0" >&2; exit 2 ;;
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

# group | C benchmark filter (a substring of the C names) | JMH benchmark regex
groups='addDrain|addDrain|jmh\.EvBufferBenchmark\.addDrain$
addBuffer10Chains|addBuffer10Chains|jmh\.EvBufferBenchmark\.addBuffer10Chains$
search1MiB|search1MiB|jmh\.EvBufferBenchmark\.search1MiB$
searchEol1MiB|searchEol1MiB|jmh\.EvBufferBenchmark\.searchEol1MiB$
readLine1MiB|readLine1MiB|jmh\.EvBufferBenchmark\.readLine1MiB$
socketpair16KiB|socketpair16KiB|jmh\.SocketpairThroughputBenchmark\.'
if [[ -n $only ]]; then
    groups=$(echo "$groups" | awk -F'|' -v only="$only" 'index($1, only) > 0')
    [[ -n $groups ]] || { echo "no group matches -b $only" >&2; exit 2; }
fi

run_c() {  # round group filter
    "$out/bench_evbuffer_libevent" -w "$warmups" -i "$iterations" -t "$((seconds * 1000))" -b "$3" \
        | awk -v r="$1" '{ s = 0; for (i = 2; i <= NF; i++) s += $i; print r, "c:" $1, s / (NF - 1) }' >> "$raw"
}

run_jmh() {  # round group regex; JMH holds /tmp/jmh.lock while it runs: wait (bounded) for another JMH to finish
    local csv="$out/jmh-round$1-$2.csv" log="$out/jmh-round$1-$2.log" attempt
    for attempt in 1 2 3 4 5 6; do
        if "$JAVA" -jar "$PANAMAX_PERF_JAR" "$3" -f 1 -wi "$warmups" -w "${seconds}s" -i "$iterations" \
            -r "${seconds}s" -rf csv -rff "$csv" > "$log" 2>&1; then
            awk -F, -v r="$1" 'NR > 1 {
                    gsub(/["\r]/, ""); name = $1; sub(/.*\.jmh\./, "", name)
                    if ($8 != "") name = name "." $8
                    print r, "j:" name, $5
                }' "$csv" >> "$raw"
            return 0
        fi
        grep -q "jmh.lock" "$log" || break
        echo "round $1 $2: another JMH holds /tmp/jmh.lock, waiting 20 s (attempt $attempt/6)" >&2
        sleep 20
    done
    echo "round $1 $2: JMH failed (see $log); this round has no ratio for it" >&2
}

raw="$out/raw.txt"
: > "$raw"
for ((round = 1; round <= rounds; round++)); do
    while IFS='|' read -r group filter regex; do
        if ((round % 2)); then
            echo "round $round/$rounds $group: libevent (C), then Panamax (JMH) ..." >&2
            run_c "$round" "$group" "$filter"
            run_jmh "$round" "$group" "$regex"
        else
            echo "round $round/$rounds $group: Panamax (JMH), then libevent (C) ..." >&2
            run_jmh "$round" "$group" "$regex"
            run_c "$round" "$group" "$filter"
        fi
    done <<< "$groups"
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
echo "EvBuffer vs libevent $(pkg-config --modversion libevent_core) evbuffer: $rounds interleaved rounds, JMH/C -wi $warmups" \
    "-i $iterations, ${seconds}s iterations"
echo "ratio = reference ns / Panamax ns per round (> 1: Panamax faster); median [min - max] over rounds, then each round"
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
        printf "| %-46s | %14s | %14s | %-22s | %-24s |\n", "benchmark", "reference ns", "Panamax ns",
            "ratio median [min-max]", "ratio per round"
        printf "|%s|%s:|%s:|%s|%s|\n", "------------------------------------------------", "----------------",
            "----------------", "------------------------", "--------------------------"
    }
    {
        js = ""; rs = ""; ratios = ""; each = ""
        for (r = 1; r <= maxr; r++) {
            j = v[r SUBSEP $2]; c = v[r SUBSEP $3]
            if (j == "" || c == "" || j <= 0) { each = each " -"; continue }
            js = js " " j; rs = rs " " c; ratios = ratios " " c / j; each = each sprintf(" %.2f", c / j)
        }
        if (ratios == "") { next }
        jm = median(js); rm = median(rs); q = median(ratios)
        printf "| %-46s | %14.1f | %14.1f | %.2f [%.2f-%.2f]       | %-24s |\n", $1, rm, jm, q, lo, hi, substr(each, 2)
    }'
