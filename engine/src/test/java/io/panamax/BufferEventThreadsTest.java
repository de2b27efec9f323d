package io.panamax;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BevOpt#THREADSAFE} bufferevents used from several threads: writes from 4 threads while the loop sends,
 * close and reference counting across threads.
 */
@ExtendWith(PoolWholeExtension.class)
class BufferEventThreadsTest
{
    private static final int WRITERS = 4;
    private static final int RECORDS = 5000;

    private final TestFds fds = new TestFds();

    @AfterEach
    void tearDown()
    {
        fds.close();
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void fourWritersLoseAndDuplicateNothingAndKeepTheirOrder(final String method) throws Exception
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final int[] next = new int[WRITERS];
            final List<String> problems = new ArrayList<>();
            final int[] received = new int[1];
            final byte[] record = new byte[8];
            try (BufferEvent sender = BufferEvent.socket(base, pair[0], BevOpt.THREADSAFE);
                BufferEvent receiver = BufferEvent.socket(base, pair[1], 0))
            {
                receiver.setCallbacks(b ->
                {
                    while (b.input().length() >= record.length)
                    {
                        b.read(record);
                        final ByteBuffer view = ByteBuffer.wrap(record);
                        final int writer = view.getInt();
                        final int seq = view.getInt();
                        if (writer < 0 || writer >= WRITERS || seq != next[writer])
                        {
                            problems.add("writer " + writer + " seq " + seq);
                        }
                        else
                        {
                            next[writer]++;
                        }
                        received[0]++;
                    }
                }, null, (b, what) -> problems.add("event " + what));
                receiver.enable(Ev.READ);
                final AtomicReference<Throwable> failure = new AtomicReference<>();
                final List<Thread> threads = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++)
                {
                    final int writer = w;
                    final Thread thread = new Thread(() ->
                    {
                        try
                        {
                            final byte[] mine = new byte[8];
                            for (int seq = 0; seq < RECORDS; seq++)
                            {
                                ByteBuffer.wrap(mine).putInt(writer).putInt(seq);
                                if (0 != sender.write(mine))
                                {
                                    throw new IllegalStateException("write failed");
                                }
                                if (0 == (seq & 255))
                                {
                                    Thread.yield();
                                }
                            }
                        }
                        catch (final Throwable ex)
                        {
                            failure.set(ex);
                        }
                    }, "writer-" + w);
                    threads.add(thread);
                }
                threads.forEach(Thread::start);
                assertTrue(Loops.runUntil(base, () -> received[0] == WRITERS * RECORDS || !problems.isEmpty(),
                    20_000), () -> "received " + received[0]);
                for (final Thread thread : threads)
                {
                    thread.join(5000);
                    assertFalse(thread.isAlive());
                }
                assertNull(failure.get());
                assertEquals(List.of(), problems);
                assertArrayEquals(new int[] { RECORDS, RECORDS, RECORDS, RECORDS }, next);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void closeFromAnotherThreadFreesOnTheLoopAndClosesTheFd(final String method) throws Exception
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = Loops.untrackedPair();
            final BufferEvent bev = BufferEvent.socket(base, pair[0], BevOpt.THREADSAFE | BevOpt.CLOSE_ON_FREE);
            bev.enable(Ev.READ);
            final Thread closer = new Thread(bev::close);
            closer.start();
            closer.join(5000);
            assertTrue(bev.isClosed());
            assertTrue(Loops.runUntil(base, () -> 0 == fds.read(pair[1], 16), 2000), "the peer sees EOF");
            Loops.closeFd(pair[1]);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void lastReferenceFreesTheBufferEvent(final String method) throws Exception
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = Loops.untrackedPair();
            final BufferEvent bev = BufferEvent.socket(base, pair[0], BevOpt.THREADSAFE | BevOpt.CLOSE_ON_FREE);
            bev.incref();
            bev.close();
            Loops.runFor(base, 30);
            assertTrue(fds.read(pair[1], 16) < 0, "still open: another user holds a reference");
            final boolean[] last = new boolean[1];
            final Thread user = new Thread(() -> last[0] = bev.decref());
            user.start();
            user.join(5000);
            assertTrue(last[0]);
            assertTrue(Loops.runUntil(base, () -> 0 == fds.read(pair[1], 16), 2000), "freed on the loop thread");
            Loops.closeFd(pair[1]);
        }
    }
}
