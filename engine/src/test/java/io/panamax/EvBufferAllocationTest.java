package io.panamax;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hot paths allocate nothing on the heap once warm: add, drain, remove, readv and writev (or sendmsg, as a
 * socket bufferevent writes) through a socketpair.
 * Counted with the thread's allocated-bytes counter (not timed); JMH -prof gc gives the per-op figures.
 */
@ExtendWith(PoolWholeExtension.class)
class EvBufferAllocationTest extends SocketPairTestBase
{
    private long cycle(final EvBuffer out, final EvBuffer in, final byte[] msg, final byte[] sink, final int rounds)
    {
        long sum = 0;
        for (int i = 0; i < rounds; i++)
        {
            out.addReference(reference, EvBufferRefCleanup.NONE);
            out.add(msg);
            out.add(msg, 0, 64);
            out.prepend(msg, 0, 16);
            sum += out.write(a);
            sum += in.read(b, -1);
            sum += in.remove(sink);
            in.drain(in.length());
        }
        return sum;
    }

    private java.lang.foreign.MemorySegment reference;

    @Test
    void steadyStateAddReferenceWriteReadRemoveAllocatesNothing()
    {
        assertSteadyStateAllocatesNothing(false);
    }

    /** The socket bufferevent's output path: sendmsg(MSG_NOSIGNAL) through the pool's msghdr. */
    @Test
    void steadyStateSocketOutputThroughSendmsgAllocatesNothing()
    {
        assertSteadyStateAllocatesNothing(true);
    }

    private void assertSteadyStateAllocatesNothing(final boolean socketOutput)
    {
        assumeTrue(AllocationCounter.available(), "no per-thread allocation counter");
        try (EvBuffer out = new EvBuffer(); EvBuffer in = new EvBuffer())
        {
            out.writesToSocket(socketOutput);
            reference = arena.allocate(300);
            in.setMaxRead(1 << 16);
            final byte[] msg = new byte[1000];
            final byte[] sink = new byte[512];
            cycle(out, in, msg, sink, 200_000);
            final long overhead = AllocationCounter.overhead();
            long best = Long.MAX_VALUE;
            final long start = System.nanoTime();
            for (int attempt = 0; AllocationCounter.tryAgain(attempt, best, start, 40, 8_000_000_000L); attempt++)
            {
                final long before = AllocationCounter.bytes();
                final long sum = cycle(out, in, msg, sink, 10_000);
                final long bytes = AllocationCounter.bytes() - before - overhead;
                assertTrue(sum > 0);
                best = Math.min(best, bytes);
            }
            assertEquals(0, best, "bytes allocated by 10,000 warm cycles");
            assertEquals(0, out.length());
        }
    }

    /**
     * Adds of 16 KiB from an array's first byte learn the array's address (a downcall returning a long) and copy
     * with libc's memcpy: neither may allocate once compiled.
     */
    @Test
    void steadyStatePlacedLargeAddAndDrainAllocatesNothing()
    {
        assumeTrue(AllocationCounter.available(), "no per-thread allocation counter");
        try (EvBuffer buf = new EvBuffer())
        {
            final byte[] msg = new byte[16 * 1024];
            long sum = 0;
            for (int i = 0; i < 200_000; i++)
            {
                sum += buf.add(msg) + buf.drain(msg.length);
            }
            final long overhead = AllocationCounter.overhead();
            long best = Long.MAX_VALUE;
            final long start = System.nanoTime();
            for (int attempt = 0; AllocationCounter.tryAgain(attempt, best, start, 40, 8_000_000_000L); attempt++)
            {
                final long before = AllocationCounter.bytes();
                for (int i = 0; i < 10_000; i++)
                {
                    sum += buf.add(msg) + buf.drain(msg.length);
                }
                best = Math.min(best, AllocationCounter.bytes() - before - overhead);
            }
            assertEquals(0, sum, "every add and drain succeeded");
            assertEquals(0, best, "bytes allocated by 10,000 warm 16 KiB adds and drains");
            assertEquals(0, buf.length());
        }
    }
}
