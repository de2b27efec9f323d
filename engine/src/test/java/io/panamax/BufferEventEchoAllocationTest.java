package io.panamax;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The echo path of a socket bufferevent allocates nothing once warm: readable event, read (one tail, read(2)), the
 * read callback moving the input to the output ({@code addBuffer}), the write in the same loop work (one chunk,
 * send(2)), the drain, and the client's deferred write and draining read. Counted with the loop thread's
 * allocated-bytes counter (not timed). The test JVM runs with the syscall fault seam on, so its inlining differs
 * from production's: a call-state slice that only a production compile fails to scalar-replace shows in JMH
 * {@code BufferEventEchoBenchmark -prof gc}, not here.
 */
@ExtendWith(PoolWholeExtension.class)
class BufferEventEchoAllocationTest
{
    private static final int SIZE = 64;

    private final TestFds fds = new TestFds();
    private final byte[] message = new byte[SIZE];
    private long echoed;

    @AfterEach
    void tearDown()
    {
        fds.close();
    }

    @Test
    @Timeout(120)
    void warmEchoThroughTwoSocketBufferEventsAllocatesNothing()
    {
        assumeTrue(AllocationCounter.available(), "no per-thread allocation counter");
        try (EventBase base = TestFds.base(EventBase.supportedMethods().get(0)))
        {
            final int[] pair = fds.pair();
            try (BufferEvent server = BufferEvent.socket(base, pair[0], 0);
                BufferEvent client = BufferEvent.socket(base, pair[1], 0))
            {
                server.input().setFlags(EvBuffer.FLAG_NO_FIONREAD);
                server.setCallbacks(bev -> bev.output().addBuffer(bev.input()), null, null);
                server.enable(Ev.READ);
                client.input().setFlags(EvBuffer.FLAG_NO_FIONREAD);
                client.setCallbacks(this::drain, null, null);
                client.enable(Ev.READ);
                echo(base, client, 100_000);
                final long overhead = AllocationCounter.overhead();
                long best = Long.MAX_VALUE;
                final long start = System.nanoTime();
                for (int attempt = 0; AllocationCounter.tryAgain(attempt, best, start, 40, 8_000_000_000L); attempt++)
                {
                    final long before = AllocationCounter.bytes();
                    echo(base, client, 5_000);
                    best = Math.min(best, AllocationCounter.bytes() - before - overhead);
                }
                assertEquals(0, best, "bytes allocated by 5,000 warm echoes");
                assertEquals(0, server.input().length() + server.output().length() + client.input().length());
            }
        }
    }

    private void drain(final BufferEvent bev)
    {
        final long n = bev.input().length();
        bev.input().drain(n);
        echoed += n;
    }

    private void echo(final EventBase base, final BufferEvent client, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final long target = echoed + SIZE;
            client.write(message);
            while (echoed < target)
            {
                base.loop(EventBase.LOOP_ONCE);
            }
        }
    }
}
