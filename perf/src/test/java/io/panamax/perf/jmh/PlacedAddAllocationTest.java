package io.panamax.perf.jmh;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link EvBufferBenchmark#addDrain} with 16 KiB allocates nothing by construction, not only when the JIT happens
 * to remove what the path creates: a JMH fork in about twenty once showed 40 B per op (a per-call segment view of the
 * array that C2 did not scalar-replace in that compilation). Each case runs {@link PlacedAddAllocations} in a JVM of
 * its own, without the engine tests' syscall fault seam, under JIT flags that make such luck impossible or unlikely:
 * C1 only (no escape analysis, so every object the path creates is really allocated), and C2 with inlining cut short
 * (a downcall not inlined leaves its arguments escaping). Before the fix these showed 144 B per add+drain; the
 * default JIT is checked as well. A control run that adds a new array each time must show its allocation.
 */
class PlacedAddAllocationTest
{
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void placedSixteenKibAddAndDrainAllocateNothingWithC1Only() throws Exception
    {
        assertEquals(0, allocated("same", "-XX:TieredStopAtLevel=1"), "bytes over 10,000 add+drains, C1 only");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void placedSixteenKibAddAndDrainAllocateNothingWhenC2InlinesLittle() throws Exception
    {
        assertEquals(0, allocated("same", "-XX:InlineSmallCode=200", "-XX:MaxInlineLevel=6"),
            "bytes over 10,000 add+drains, C2 with little inlining");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void placedSixteenKibAddAndDrainAllocateNothingWithTheDefaultJit() throws Exception
    {
        assertEquals(0, allocated("same"), "bytes over 10,000 add+drains, default JIT");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theCountSeesANewArrayPerAdd() throws Exception
    {
        final long bytes = allocated("fresh", "-XX:TieredStopAtLevel=1");
        assertTrue(bytes >= 10_000L * PlacedAddAllocations.SIZE, "10,000 arrays of 16 KiB, counted " + bytes);
    }

    private static long allocated(final String mode, final String... jitFlags) throws Exception
    {
        final String output = ChildJvm.run(PlacedAddAllocations.class, mode, jitFlags);
        assertTrue(output.contains("failures 0 length 0"), "every add and drain succeeded: " + output);
        return ChildJvm.allocated(output);
    }
}
