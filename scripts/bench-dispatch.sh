#!/usr/bin/env bash
# libevent's dispatch benchmarks, Panamax vs libevent in C, side by side in interleaved rounds:
#   bench.c         (libevent-contracts.md §3.1): DispatchBench      vs perf/native/bench_libevent.c
#   bench_cascade.c (libevent-contracts.md §3.2): CascadeBench       vs perf/native/bench_cascade_libevent.c
# Usage: scripts/bench-dispatch.sh [-s all|bench|cascade] [-n pipes] [-a active] [-w writes] [-c cascadePipes]
#                                  [-r runsPerRound] [-k rounds] [-W javaWarmupRuns] [-m method] [-p cpu|none]
#   defaults: -s all -n 1000 -a 100 -w 1000 -c 1000 -r 10 -k 5 -m epoll -p <the last CPU> (the issue's targets;
#   Java warm-up: each program's own default run count, and at least 3 s); about 40 s in all.
#   bench.c gets -n -a -w -m, bench_cascade.c gets -n <cascadePipes> -m; both sides of a pair get the same.
# Needs gcc and libevent's headers (Debian: apt-get install libevent-dev) for the C side.
#
# Method. The Java program is started once per pair, warms up (untimed), and then stays alive: it runs a round of R
# runs each time this script writes a line to its stdin (its -I 1 mode). Between its rounds the C program runs the
# same R runs as a fresh process: C, Java, C, Java ... for K rounds, so both sides see the same minutes of a shared
# machine (the C program's first run in a process was checked not to be slower than its others, so a fresh process per
# round costs the C side nothing). Each run reports three figures, measured the same way on both sides
# (perf/native/bench_common.h, io.panamax.perf.bench.RunMeter): its wall-clock microseconds (what libevent's bench
# programs print), its involuntary context switches, and its thread CPU microseconds. On a busy machine (the 2-CPU VM
# the figures come from is shared) a run preempted by a neighbour loses whole scheduler slices (4 ms at
# CONFIG_HZ=250): that made libevent's wall times multimodal (~2.5 ms runs measured ~2.5, ~6.6, ~10 ms with 0, 1, 2
# switches, whether pinned or not) and its median swing 2.5x between invocations. The runs never sleep (every wait is
# non-blocking or already satisfied), so their thread CPU time leaves the preempted slices out. The report gives, per
# side, wall min / median / max, the count of preempted runs and the wall median of the others, and CPU min / median /
# max; then the ratios Panamax / libevent per round (min-max) and over all runs: wall medians, wall medians of runs
# not preempted, wall minima, CPU medians. On a shared machine quote the CPU medians (steadier than wall medians: in
# one run under load 6 their per-round ratios spread 0.96-1.11 where the wall ones spread 0.74-1.63) with the
# not-preempted wall ratio when there are enough such runs; CPU time still grows with the load (caches, stolen time),
# so compare sides within one invocation only.
# -p pins both sides to the same CPU with taskset (when it exists; -p none: no pinning): the C program from its
# start, the Java program after its warm-up (taskset -a: all its threads; the JIT compiles during the warm-up
# on any CPU, and the JVM's ergonomics see the whole machine as for unpinned runs). Pinning does not prevent the
# preemptions (a neighbour on that CPU still takes slices) but removes migrations between CPUs during a run and
# gives both sides the same core and caches. Under load average ~8 (2026-11-28), pinned and unpinned invocations
# spread alike (per-round CPU ratios between 0.86 and 1.79 either way): no setting makes a swamped machine quiet.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/find-java.sh
source scripts/lib/perf-build.sh
suite=all pipes=1000 active=100 writes=1000 cascade=1000 runs=10 rounds=5 method=epoll warmup=() cpu=""
while getopts "s:n:a:w:c:r:k:W:m:p:" opt; do
    case "$opt" in
        s) suite="$OPTARG" ;; n) pipes="$OPTARG" ;; a) active="$OPTARG" ;; w) writes="$OPTARG" ;;
        c) cascade="$OPTARG" ;; r) runs="$OPTARG" ;; k) rounds="$OPTARG" ;; W) warmup=(-W "$OPTARG") ;;
        m) method="$OPTARG" ;; p) cpu="$OPTARG" ;;
        *) sed -n '2,10p' "$0" >&2; exit 2 ;;
    esac
done
case "$suite" in
    all|bench|cascade) ;;
    *) echo "unknown suite $suite (all, bench, cascade)" >&2; exit 2 ;;
esac

JAVA=$(panamax_find_java)
panamax_build_perf >&2
mkdir -p perf/target/native
gcc -O2 -Wall -o perf/target/native/bench_libevent perf/native/bench_libevent.c -levent
gcc -O2 -Wall -o perf/target/native/bench_cascade_libevent perf/native/bench_cascade_libevent.c -levent

pin=()
if [[ $cpu == none ]] || ! command -v taskset >/dev/null 2>&1; then
    cpu=""
else
    cpu="${cpu:-$(($(getconf _NPROCESSORS_ONLN) - 1))}"
    pin=(taskset -c "$cpu")
fi

# stats: stdin "wallUs preemptions cpuUs" lines (bench_common.h, RunMeter.java); prints
# "wallMin wallMedian wallMax runs preempted notPreemptedWallMedian cpuMin cpuMedian cpuMax" (-1: none).
stats() {
    awk 'function sortn(a, n,   i, j, t) {
            for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j > 0 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
        }
        function med(a, n) { return n > 0 ? a[int((n + 1) / 2)] : -1 }
        NF >= 3 { n++; wall[n] = $1 + 0; cpu[n] = $3 + 0; if ($2 == 0) clean[++nc] = $1 + 0; else np++ }
        END { sortn(wall, n); sortn(clean, nc); sortn(cpu, n)
              printf "%d %d %d %d %d %d %d %d %d\n", wall[1], med(wall, n), wall[n], n, np + 0, med(clean, nc),
                  cpu[1], med(cpu, n), cpu[n] }'
}
ratio() {  # ratio A B: A / B with two decimals, "n/a" when either is not positive
    awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else printf "n/a" }'
}
range() {  # range VALUES...: "min-max" of the numeric ones
    printf '%s\n' "$@" | grep -v n/a | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s-%s", lo, hi }'
}
describe() {  # describe NAME STATS
    local s
    read -r -a s <<< "$2"
    printf '%-9s wall min %d  median %d  max %d us over %d runs (%d preempted; median of the others %s);' \
        "$1" "${s[0]}" "${s[1]}" "${s[2]}" "${s[3]}" "${s[4]}" "$([[ ${s[5]} -ge 0 ]] && echo "${s[5]}" || echo n/a)"
    printf '  CPU min %d  median %d  max %d us\n' "${s[6]}" "${s[7]}" "${s[8]}"
}

# pair NAME C_PROGRAM JAVA_CLASS ARGS...: K interleaved rounds of R runs of the C program and of the Java program.
pair() {
    local name="$1" c_prog="$2" j_class="$3"
    shift 3
    local c_all="" j_all="" c_round j_round line i round cs js wall_ratios=() cpu_ratios=()
    echo "$name $* (${rounds} rounds of ${runs} runs per side${cpu:+, both pinned to CPU $cpu}); Java warm-up ..." >&2
    coproc JSIDE { exec "$JAVA" --enable-native-access=ALL-UNNAMED \
        --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp "$PANAMAX_PERF_JAR" \
        "io.panamax.perf.bench.$j_class" "$@" -r "$runs" -I 1 ${warmup[@]+"${warmup[@]}"}; }
    local j_pid=$JSIDE_PID j_in=${JSIDE[1]} j_out=${JSIDE[0]}
    if ! read -r line <&"$j_out" || [[ $line != ready ]]; then
        echo "the Java side did not start (got: ${line:-nothing})" >&2
        exit 1
    fi
    if [[ -n $cpu ]]; then
        taskset -a -c -p "$cpu" "$j_pid" >/dev/null
    fi
    for ((round = 1; round <= rounds; round++)); do
        c_round="$(${pin[@]+"${pin[@]}"} "perf/target/native/$c_prog" "$@" -r "$runs" 2>/dev/null)"$'\n'
        echo go >&"$j_in"
        j_round=""
        for ((i = 0; i < runs; i++)); do
            read -r line <&"$j_out"
            j_round+="$line"$'\n'
        done
        c_all+="$c_round"
        j_all+="$j_round"
        read -r -a cs <<< "$(printf '%s' "$c_round" | stats)"
        read -r -a js <<< "$(printf '%s' "$j_round" | stats)"
        wall_ratios+=("$(ratio "${js[1]}" "${cs[1]}")")
        cpu_ratios+=("$(ratio "${js[7]}" "${cs[7]}")")
        echo "  round $round/$rounds: median wall us libevent ${cs[1]}, Panamax ${js[1]} (ratio ${wall_ratios[-1]});" \
            "median CPU us libevent ${cs[7]}, Panamax ${js[7]} (ratio ${cpu_ratios[-1]})" >&2
    done
    exec {j_in}>&-
    wait "$j_pid" || true
    read -r -a cs <<< "$(printf '%s' "$c_all" | stats)"
    read -r -a js <<< "$(printf '%s' "$j_all" | stats)"
    echo "$name $* (${rounds} interleaved rounds of ${runs} runs${cpu:+, CPU $cpu})"
    describe "libevent:" "${cs[*]}"
    describe "Panamax:" "${js[*]}"
    echo "Panamax / libevent, per round: wall medians $(range "${wall_ratios[@]}") (${wall_ratios[*]}), CPU medians" \
        "$(range "${cpu_ratios[@]}") (${cpu_ratios[*]})"
    echo "Panamax / libevent, all runs: wall medians $(ratio "${js[1]}" "${cs[1]}"), wall medians of runs not" \
        "preempted $(ratio "${js[5]}" "${cs[5]}"), wall minima $(ratio "${js[0]}" "${cs[0]}"), CPU medians" \
        "$(ratio "${js[7]}" "${cs[7]}")"
}

if [[ $suite != cascade ]]; then
    pair bench.c bench_libevent DispatchBench -n "$pipes" -a "$active" -w "$writes" -m "$method"
fi
if [[ $suite != bench ]]; then
    pair bench_cascade.c bench_cascade_libevent CascadeBench -n "$cascade" -m "$method"
fi
