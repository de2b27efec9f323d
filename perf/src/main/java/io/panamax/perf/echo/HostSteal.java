package io.panamax.perf.echo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time the hypervisor gave to other guests while this VM wanted to run: the {@code steal} column of the
 * {@code cpu} line of {@code /proc/stat}, summed over all CPUs. On a shared VM a round whose figures are all
 * slow (every ping-pong round trip ~90 µs instead of ~20 µs) can be told apart from a slow server by this count:
 * the harness reads it before and after each server's measured modes and reports it beside the figures.
 * <p>
 * <b>Thread-safety:</b> stateless; safe from any thread.
 */
public final class HostSteal
{
    /** The kernel's USER_HZ: /proc/stat counts in 1/100 s on every Linux ABI the JDK runs on. */
    static final int TICKS_PER_SECOND = 100;
    private static final Path PROC_STAT = Path.of("/proc/stat");
    /** Index of steal among the numbers after "cpu": user nice system idle iowait irq softirq steal. */
    private static final int STEAL_COLUMN = 7;

    private HostSteal()
    {
    }

    /**
     * @return the host's steal time so far in ms, or -1 when {@code /proc/stat} is not there or has no steal column.
     */
    public static long readMs()
    {
        try
        {
            return parseMs(Files.readAllLines(PROC_STAT));
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }

    /**
     * @param procStat the lines of {@code /proc/stat}.
     * @return the steal time of the aggregate {@code cpu} line in ms, -1 when there is none.
     */
    static long parseMs(final List<String> procStat)
    {
        for (final String line : procStat)
        {
            if (line.startsWith("cpu "))
            {
                final String[] fields = line.trim().split("\\s+");
                return fields.length > STEAL_COLUMN + 1 ?
                    Long.parseLong(fields[STEAL_COLUMN + 1]) * (1000L / TICKS_PER_SECOND) : -1;
            }
        }
        return -1;
    }

    /**
     * @param beforeMs a reading before the measured work.
     * @param afterMs  a reading after it.
     * @return the steal in between in ms, NaN when either reading failed.
     */
    static double between(final long beforeMs, final long afterMs)
    {
        return beforeMs < 0 || afterMs < 0 ? Double.NaN : afterMs - beforeMs;
    }
}
