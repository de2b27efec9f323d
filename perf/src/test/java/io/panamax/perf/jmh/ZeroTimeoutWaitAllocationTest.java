package io.panamax.perf.jmh;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A non-blocking loop iteration ({@link ReadyFdsBenchmark}: a zero-timeout wait that finds 50 read events ready, and
 * their callbacks) allocates nothing by construction. The zero-timeout wait used to capture errno, and the JDK slices
 * the capture segment on every capturing call: most JMH forks of {@code ReadyFdsBenchmark} showed that slice, 40 B per
 * iteration. Under C1 only (no escape analysis) every object the path creates is really allocated, so the slice, or
 * any other per-iteration object, fails this test whatever C2 would have done; the default JIT is checked as well.
 */
class ZeroTimeoutWaitAllocationTest
{
    @ParameterizedTest
    @ValueSource(strings = { "epoll", "poll" })
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void nonBlockingIterationsAllocateNothingWithC1Only(final String method) throws Exception
    {
        assertEquals(0, allocated(method, "-XX:TieredStopAtLevel=1"), "bytes over 2,000 iterations, C1 only");
    }

    @ParameterizedTest
    @ValueSource(strings = { "epoll", "poll" })
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void nonBlockingIterationsAllocateNothingWithTheDefaultJit(final String method) throws Exception
    {
        assertEquals(0, allocated(method), "bytes over 2,000 iterations, default JIT");
    }

    private static long allocated(final String method, final String... jitFlags) throws Exception
    {
        final String output = ChildJvm.run(ZeroTimeoutWaitAllocations.class, method, jitFlags);
        assertTrue(output.contains("callbacks " + ZeroTimeoutWaitAllocations.OPS * ZeroTimeoutWaitAllocations.READY_FDS),
            "every iteration ran every ready callback: " + output);
        return ChildJvm.allocated(output);
    }
}
