package io.panamax;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The loop's hot path allocates nothing once warm, on each backend: a message echoed through two socket
 * bufferevents on a socketpair (backend wait, dispatch, readv, the callbacks, sendmsg), as BufferEventEchoBenchmark
 * does. Counted with the thread's allocated-bytes counter (not timed); JMH -prof gc gives the per-op figures.
 */
@ExtendWith(PoolWholeExtension.class)
class BufferEventEchoAllocationTest extends SocketPairTestBase
{
    private static final int SIZE = 64;

    private long echoed;

    private long echo(final EventBase base, final BufferEvent client, final MemorySegment message, final int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            final long target = echoed + SIZE;
            client.write(message);
            for (int spins = 0; echoed < target; spins++)
            {
                if (spins > 1000)
                {
                    throw new AssertionError("the echo did not come back");
                }
                base.loop(EventBase.LOOP_ONCE);
            }
        }
        return echoed;
    }

    @ParameterizedTest
    @ValueSource(strings = { "epoll", "poll" })
    void steadyStateEchoThroughTheLoopAllocatesNothing(final String method)
    {
        assumeTrue(ThreadAllocation.available(), "no per-thread allocation counter");
        assumeTrue(EventBase.supportedMethods().contains(method), method + " is not supported here");
        try (EventBase base = EventBase.create(EventBaseConfig.create().method(method)))
        {
            final BufferEvent server = BufferEvent.socket(base, a, 0);
            final BufferEvent client = BufferEvent.socket(base, b, 0);
            try
            {
                server.input().setFlags(EvBuffer.FLAG_NO_FIONREAD);
                server.setCallbacks(bev -> bev.writeBuffer(bev.input()), null, null);
                server.enable(Ev.READ);
                client.input().setFlags(EvBuffer.FLAG_NO_FIONREAD);
                client.setCallbacks(bev ->
                {
                    final long n = bev.input().length();
                    bev.input().drain(n);
                    echoed += n;
                }, null, null);
                client.enable(Ev.READ);
                final MemorySegment message = arena.allocate(SIZE);
                echo(base, client, message, 100_000);
                final long overhead = ThreadAllocation.overhead();
                long best = Long.MAX_VALUE;
                for (int attempt = 0; attempt < 20 && best > 0; attempt++)
                {
                    final long before = ThreadAllocation.allocated();
                    echo(base, client, message, 5_000);
                    best = Math.min(best, ThreadAllocation.allocated() - before - overhead);
                }
                assertEquals(0, best, "bytes allocated by 5,000 warm echoes on " + method);
            }
            finally
            {
                client.close();
                server.close();
            }
        }
    }
}
