package io.panamax;

import java.lang.reflect.Method;

/** The calling thread's allocated-bytes counter (HotSpot's ThreadMXBean), for the zero-allocation guards. */
final class ThreadAllocation
{
    private static final Object BEAN;
    private static final Method ALLOCATED;

    static
    {
        Object bean = null;
        Method allocated = null;
        try
        {
            // Reflection: the engine's test classes are compiled against its module, which does not read
            // java.management; at run time they are on the class path.
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

    private ThreadAllocation()
    {
    }

    /**
     * @return true when the JVM has the counter.
     */
    static boolean available()
    {
        return null != BEAN && null != ALLOCATED;
    }

    /**
     * @return bytes the calling thread has allocated so far.
     */
    static long allocated()
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
     * @return the smallest difference between two back-to-back readings (what a reading itself allocates).
     */
    static long overhead()
    {
        long overhead = Long.MAX_VALUE;
        for (int i = 0; i < 100; i++)
        {
            final long before = allocated();
            overhead = Math.min(overhead, allocated() - before);
        }
        return overhead;
    }
}
