package io.panamax.perf.echo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The report's preamble: when, on what machine, with which command and parameters.
 * <p>
 * <b>Thread-safety:</b> stateless.
 */
final class ReportHeader
{
    private ReportHeader()
    {
    }

    /**
     * @return the 1-minute load average from /proc/loadavg, or "?" where there is none.
     */
    static String loadAverage()
    {
        try
        {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        }
        catch (final IOException | RuntimeException ex)
        {
            return "?";
        }
    }

    static String describe(final BenchOptions o, final String date, final boolean pinned, final String loadAtStart)
    {
        final String command = System.getenv().getOrDefault("BENCH_COMMAND", "scripts/bench");
        return "- date: " + date + "\n" +
            "- 1-minute load average at start / end: " + loadAtStart + " / " + loadAverage() +
            " (the run itself adds up to 2; more means other work shared the 2 CPUs and the figures are noisy)\n" +
            "- machine: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, Linux " +
            System.getProperty("os.version") + "\n" +
            "- JDK of the Java servers: " + System.getProperty("java.vm.vendor") + " " +
            Runtime.version() + " (default GC for a 1-CPU process, heap 256 MB)\n" +
            "- command: `" + command + "`" + (o.quick ? " (quick: a functional check, not a measurement)" : "") +
            "\n" +
            "- " + o.rounds() + " interleaved round(s); each server started fresh per round" +
            (pinned ? ", on CPU 0, the load generator (C) on CPU 1" : ", not pinned") + "; Java servers warmed up " +
            o.javaWarmupMs + " ms of streams + " + o.javaPingWarmup + " ping-pong round trips first (same for each)\n" +
            "- ping-pong: 1 connection, 64 B, " + o.pingWarmup + " warm-up + " + o.pingCount + " round trips; " +
            "fixed-rate: " + o.fixedRate + " msgs/s, " + o.fixedCount + " recorded from the intended send time\n" +
            "- throughput: " + o.throughputConns + " connections x " + o.throughputDepth + " x 64 B in flight; " +
            "bulk: " + o.bulkConns + " connections x " + o.bulkDepth + " x 16 KiB in flight; " +
            o.streamWarmupMs + " ms warm-up, " + o.streamMs + " ms measured\n" +
            "- server user CPU/msg: the server's utime (/proc/PID/stat) over the throughput windows / messages " +
            "echoed in them, pooled over all rounds (the kernel samples user time per tick and reports 10 ms " +
            "units, so single rounds are coarse); the spread shows the per-round values\n" +
            "- server sleeps/1k msgs: voluntary context switches of the server's threads over the throughput window " +
            "per 1000 messages. The test has two steady states for every server: the server is handed ~20-40 ready " +
            "connections per wait and rarely sleeps, or it drains one or two per wait, often sleeps, and the round " +
            "runs 15-25 % slower; which one a round settles in is chance, so a round's throughput goes with this " +
            "column\n" +
            "- host steal: CPU time the hypervisor gave other guests (/proc/stat, all CPUs, 10 ms units) while the " +
            "server's modes ran; a round with steal can be slow for every server alike\n";
    }

    private static String cpuModel()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
            {
                if (line.startsWith("model name"))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final IOException ignored)
        {
            // not Linux, or no /proc: say so below
        }
        return "unknown CPU";
    }
}
