package io.panamax;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AllocationCounterTest
{
    private static Object sink;

    @Test
    void readingTheCounterCostsNothingFromTheFirstReadOn()
    {
        assumeTrue(AllocationCounter.available(), "no per-thread allocation counter");
        long worst = 0;
        for (int i = 0; i < 1_000; i++)
        {
            final long before = AllocationCounter.bytes();
            worst = Math.max(worst, AllocationCounter.bytes() - before);
        }
        assertEquals(0, worst, "most bytes a pair of reads allocated, interpreted or compiled");
        assertEquals(0, AllocationCounter.overhead());
    }

    @Test
    void anAllocationBetweenTwoReadsIsSeen()
    {
        assumeTrue(AllocationCounter.available(), "no per-thread allocation counter");
        for (int i = 0; i < 100; i++)
        {
            final long before = AllocationCounter.bytes();
            sink = new byte[1024];
            final long allocated = AllocationCounter.bytes() - before;
            assertTrue(allocated >= 1024, allocated + " bytes seen for a 1 KiB array");
        }
        assertEquals(1024, ((byte[])sink).length);
    }
}
