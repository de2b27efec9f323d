package io.panamax;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The current thread's allocated-bytes counter ({@code com.sun.management.ThreadMXBean}) for allocation tests.
 * Reached by a method handle looked up reflectively: the engine's test classes are compiled against its module, which
 * does not read java.management; at run time they are on the class path. The handle is invoked exactly with a
 * {@code long} result, so reading the counter boxes nothing in any compilation tier (a {@code Method.invoke} boxed
 * its {@code Long} until the JIT removed the box, so the cost of a read changed during a test and a best-of
 * measurement came out below zero).
 */
final class AllocationCounter
{
    private static final MethodHandle ALLOCATED;

    static
    {
        MethodHandle allocated = null;
        try
        {
            final Object bean =
                Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            allocated = MethodHandles.publicLookup()
                .findVirtual(Class.forName("com.sun.management.ThreadMXBean"), "getCurrentThreadAllocatedBytes",
                    MethodType.methodType(long.class))
                .bindTo(bean);
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            allocated = null;
        }
        ALLOCATED = allocated;
    }

    private AllocationCounter()
    {
    }

    /**
     * @return whether the JVM offers the counter.
     */
    static boolean available()
    {
        return null != ALLOCATED;
    }

    /**
     * @return bytes allocated by the current thread so far.
     */
    static long bytes()
    {
        try
        {
            return (long)ALLOCATED.invokeExact();
        }
        catch (final Throwable ex)
        {
            throw new AssertionError(ex);
        }
    }

    /**
     * @return the smallest cost of reading the counter twice (subtract it from a measurement).
     */
    static long overhead()
    {
        long overhead = Long.MAX_VALUE;
        for (int i = 0; i < 100; i++)
        {
            final long before = bytes();
            overhead = Math.min(overhead, bytes() - before);
        }
        return overhead;
    }

    /**
     * Whether a best-of measurement should take another attempt: until one attempt allocated nothing, at least
     * {@code minAttempts} times and then for as long as {@code patienceNs} since {@code startNs}. On a loaded machine
     * the JIT may still be compiling the measured code after the warm-up (a full verify once saw 72 B in all 40
     * attempts of a test that allocates nothing once compiled), so a fixed count is not enough; the time bound keeps
     * a real allocation from running into the test timeout.
     *
     * @param attempt     attempts made so far.
     * @param best        smallest allocation seen so far.
     * @param startNs     {@link System#nanoTime()} before the first attempt.
     * @param minAttempts attempts to make whatever the time.
     * @param patienceNs  how long to keep trying after those.
     * @return true to measure again.
     */
    static boolean tryAgain(final int attempt, final long best, final long startNs, final int minAttempts,
        final long patienceNs)
    {
        return best > 0 && (attempt < minAttempts || System.nanoTime() - startNs < patienceNs);
    }
}
