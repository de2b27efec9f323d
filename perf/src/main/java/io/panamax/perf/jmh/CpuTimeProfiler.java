package io.panamax.perf.jmh;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler for the yardstick of the echo benchmark, CPU time per operation split into user and kernel time:
 * {@code -prof io.panamax.perf.jmh.CpuTimeProfiler}. On a shared machine wall-clock time per operation swings with
 * the neighbours' load; the CPU the benchmark's process itself spent, and how much of it was user code (the
 * library's own cost: Java, FFM glue, libc), swings much less.
 * <p>
 * Per iteration it takes the process's CPU time in nanoseconds ({@code getProcessCpuTime}) and splits it by the
 * user/system tick counts of {@code /proc/self/stat} (fields 14 and 15), then divides by the iteration's operations.
 * The process includes JIT and GC threads, which are quiet after warm-up. Linux only (elsewhere: no results).
 * <p>
 * <b>Thread-safety:</b> JMH calls it from one thread per fork.
 */
public final class CpuTimeProfiler implements InternalProfiler
{
    private static final Path STAT = Path.of("/proc/self/stat");

    private long cpuNsBefore;
    private long[] ticksBefore;

    @Override
    public String getDescription()
    {
        return "process CPU time per operation, split into user and kernel time (Linux /proc/self/stat)";
    }

    @Override
    public void beforeIteration(final BenchmarkParams benchmarkParams, final IterationParams iterationParams)
    {
        ticksBefore = ticks();
        cpuNsBefore = processCpuNs();
    }

    @Override
    public Collection<? extends Result> afterIteration(
        final BenchmarkParams benchmarkParams, final IterationParams iterationParams, final IterationResult result)
    {
        final long cpuNs = processCpuNs() - cpuNsBefore;
        final long[] ticksAfter = ticks();
        final long ops = result.getMetadata().getMeasuredOps();
        if (null == ticksBefore || null == ticksAfter || ops <= 0 || cpuNs < 0)
        {
            return List.of();
        }
        final long user = ticksAfter[0] - ticksBefore[0];
        final long sys = ticksAfter[1] - ticksBefore[1];
        final double userShare = user + sys > 0 ? (double)user / (user + sys) : 0;
        final double perOp = (double)cpuNs / ops;
        return List.of(
            new ScalarResult("·cpu.user.norm", perOp * userShare, "ns/op", AggregationPolicy.AVG),
            new ScalarResult("·cpu.sys.norm", perOp * (1 - userShare), "ns/op", AggregationPolicy.AVG),
            new ScalarResult("·cpu.total.norm", perOp, "ns/op", AggregationPolicy.AVG));
    }

    private static long processCpuNs()
    {
        final var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    /** utime and stime ticks of this process, or null when /proc is not there. */
    static long[] ticks()
    {
        try
        {
            return parseTicks(Files.readString(STAT));
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
    }

    /**
     * Fields 14 and 15 (utime, stime) of a {@code /proc/PID/stat} line; the command name (field 2) may hold spaces
     * and parentheses, so counting starts after its last {@code ')'}.
     *
     * @param stat the line.
     * @return {utime, stime}.
     */
    static long[] parseTicks(final String stat)
    {
        final String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // rest[0] is field 3 (state): utime is field 14, stime field 15.
        return new long[]{ Long.parseLong(rest[11]), Long.parseLong(rest[12]) };
    }
}
