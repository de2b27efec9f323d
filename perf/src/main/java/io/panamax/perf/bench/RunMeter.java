package io.panamax.perf.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures one timed section three ways, as the C twins do ({@code bench_common.h}): its wall-clock microseconds
 * (what libevent's bench programs print), the CPU time of the calling thread in it, and how often the kernel took the
 * CPU away from the thread in it (involuntary context switches, Linux's {@code nonvoluntary_ctxt_switches} in
 * {@code /proc/thread-self/status}). On a shared machine a preempted run loses a whole scheduler slice (4 ms at
 * {@code CONFIG_HZ=250}) of wall-clock time, which makes the wall times multimodal; the thread's CPU time does not
 * count the time it was off the CPU (the runs never sleep: every wait is non-blocking or already satisfied).
 * Reading the status file allocates; it is done outside the clock readings.
 * <p>
 * <b>Thread-safety:</b> NOT thread safe; one instance per measuring thread.
 */
final class RunMeter
{
    private static final Path STATUS = Path.of("/proc/thread-self/status");
    private static final String KEY = "nonvoluntary_ctxt_switches:";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private long startSwitches;
    private long startCpuNs;
    private long startNs;
    private long wallUs;
    private long cpuUs;
    private long preemptions;

    /**
     * Start a timed section.
     */
    void start()
    {
        startSwitches = switches();
        startCpuNs = THREADS.getCurrentThreadCpuTime();
        startNs = System.nanoTime();
    }

    /**
     * End a timed section.
     *
     * @return its wall-clock microseconds.
     */
    long stop()
    {
        final long endNs = System.nanoTime();
        final long endCpuNs = THREADS.getCurrentThreadCpuTime();
        final long endSwitches = switches();
        wallUs = (endNs - startNs) / 1_000;
        cpuUs = startCpuNs < 0 || endCpuNs < 0 ? -1 : (endCpuNs - startCpuNs) / 1_000;
        preemptions = startSwitches < 0 || endSwitches < 0 ? -1 : endSwitches - startSwitches;
        return wallUs;
    }

    /**
     * @return the last section as the bench programs print it: wall µs, involuntary switches (-1: unknown here),
     *         thread CPU µs (-1: unknown).
     */
    String line()
    {
        return wallUs + " " + preemptions + " " + cpuUs;
    }

    private static long switches()
    {
        try
        {
            final String status = new String(Files.readAllBytes(STATUS), StandardCharsets.US_ASCII);
            final int at = status.indexOf(KEY);
            if (at < 0)
            {
                return -1;
            }
            int i = at + KEY.length();
            while (i < status.length() && !Character.isDigit(status.charAt(i)))
            {
                i++;
            }
            long value = 0;
            while (i < status.length() && Character.isDigit(status.charAt(i)))
            {
                value = value * 10 + (status.charAt(i++) - '0');
            }
            return value;
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            return -1;
        }
    }
}
