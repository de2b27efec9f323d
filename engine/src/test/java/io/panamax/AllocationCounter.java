package io.panamax;

import java.lang.reflect.Method;

/**
 * The current thread's allocated-bytes counter ({@code com.sun.management.ThreadMXBean}) for allocation tests.
 * Reached by reflection: the engine's test classes are compiled against its module, which does not read
 * java.management; at run time they are on the class path.
 */
final class AllocationCounter
{
    private static final Object BEAN;
    private static final Method ALLOCATED;

    static
    {
        Object bean = null;
        Method allocated = null;
        try
        {
            bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            allocated = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            bean = null;
        }
        BEAN = bean;
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
        return null != BEAN && null != ALLOCATED;
    }

    /**
     * @return bytes allocated by the current thread so far.
     */
    static long bytes()
    {
        try
        {
            return (Long)ALLOCATED.invoke(BEAN);
        }
        catch (final ReflectiveOperationException ex)
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
}
