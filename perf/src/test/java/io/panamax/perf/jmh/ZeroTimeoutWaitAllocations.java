package io.panamax.perf.jmh;

import java.lang.management.ManagementFactory;

/**
 * The body of {@link ReadyFdsBenchmark#iteration} (a non-blocking loop iteration whose zero-timeout wait finds 50
 * persistent read events ready), run in a JVM of its own so that a test can choose the JIT's flags. Prints
 * {@code allocated N}: the fewest bytes the thread allocated over one attempt of {@value #OPS} iterations, best of
 * at least {@value #MIN_ATTEMPTS} attempts and then of as many as {@value #PATIENCE_NS} ns allow, stopping at the
 * first attempt that allocates nothing; and {@code callbacks N}, the callbacks the last attempt ran.
 * <p>
 * The argument names the backend: {@code epoll} or {@code poll}.
 * <p>
 * <b>Thread-safety:</b> a program; one thread.
 */
public final class ZeroTimeoutWaitAllocations
{
    /** Ready fds per wait. */
    static final int READY_FDS = 50;
    /** Iterations per attempt. */
    static final int OPS = 2_000;
    private static final int WARM_OPS = 20_000;
    private static final int MIN_ATTEMPTS = 20;
    private static final long PATIENCE_NS = 8_000_000_000L;

    private ZeroTimeoutWaitAllocations()
    {
    }

    /**
     * @param args the backend.
     */
    public static void main(final String[] args)
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final ReadyFdsBenchmark loop = new ReadyFdsBenchmark();
        loop.method = args[0];
        loop.readyFds = READY_FDS;
        loop.setUp();
        try
        {
            run(loop, WARM_OPS);
            long best = Long.MAX_VALUE;
            long callbacks = 0;
            final long start = System.nanoTime();
            for (int attempt = 0;
                best > 0 && (attempt < MIN_ATTEMPTS || System.nanoTime() - start < PATIENCE_NS); attempt++)
            {
                final long before = threads.getCurrentThreadAllocatedBytes();
                callbacks = run(loop, OPS);
                best = Math.min(best, threads.getCurrentThreadAllocatedBytes() - before);
            }
            System.out.println("callbacks " + callbacks);
            System.out.println("allocated " + best);
        }
        finally
        {
            loop.tearDown();
        }
    }

    private static long run(final ReadyFdsBenchmark loop, final int ops)
    {
        final long before = loop.iteration();
        for (int i = 1; i < ops; i++)
        {
            loop.iteration();
        }
        return loop.iteration() - before;
    }
}
