package io.panamax.perf.jmh;

import java.lang.management.ManagementFactory;

import io.panamax.EvBuffer;

/**
 * The body of {@link EvBufferBenchmark#addDrain} with 16 KiB (an add that is placed and copied with libc's memcpy,
 * then a drain that frees its chain), run in a JVM of its own so that a test can choose the JIT's flags. Prints
 * {@code allocated N}: the fewest bytes the thread allocated over one attempt of {@value #OPS} warm add+drains, best
 * of at least {@value #MIN_ATTEMPTS} attempts and then of as many as {@value #PATIENCE_NS} ns allow, stopping at the
 * first attempt that allocates nothing (the JIT may still be compiling after the warm-up on a loaded machine).
 * <p>
 * Argument {@code same} adds one array again and again (the benchmark); {@code fresh} adds a new array each time,
 * which must show up (proof that the count sees allocation; one attempt is enough).
 * <p>
 * <b>Thread-safety:</b> a program; one thread.
 */
public final class PlacedAddAllocations
{
    /** The add's size: the smallest that is placed and copied with memcpy. */
    static final int SIZE = 16 * 1024;
    private static final int WARM_OPS = 100_000;
    private static final int OPS = 10_000;
    private static final int MIN_ATTEMPTS = 40;
    private static final long PATIENCE_NS = 8_000_000_000L;

    private PlacedAddAllocations()
    {
    }

    /**
     * @param args {@code same} or {@code fresh}.
     */
    public static void main(final String[] args)
    {
        final boolean fresh = "fresh".equals(args[0]);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final byte[] message = new byte[SIZE];
        long failures = 0;
        try (EvBuffer buffer = new EvBuffer())
        {
            failures += run(buffer, message, fresh, WARM_OPS);
            final int minAttempts = fresh ? 1 : MIN_ATTEMPTS;
            final long patienceNs = fresh ? 0 : PATIENCE_NS;
            long best = Long.MAX_VALUE;
            final long start = System.nanoTime();
            for (int attempt = 0;
                best > 0 && (attempt < minAttempts || System.nanoTime() - start < patienceNs); attempt++)
            {
                final long before = threads.getCurrentThreadAllocatedBytes();
                failures += run(buffer, message, fresh, OPS);
                best = Math.min(best, threads.getCurrentThreadAllocatedBytes() - before);
            }
            System.out.println("failures " + failures + " length " + buffer.length());
            System.out.println("allocated " + best);
        }
    }

    private static long run(final EvBuffer buffer, final byte[] message, final boolean fresh, final int ops)
    {
        long failures = 0;
        for (int i = 0; i < ops; i++)
        {
            failures -= buffer.add(fresh ? new byte[SIZE] : message);
            failures -= buffer.drain(SIZE);
        }
        return failures;
    }
}
