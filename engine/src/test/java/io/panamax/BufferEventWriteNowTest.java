package io.panamax;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.panamax.ffm.Errno;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Socket bufferevents write what a callback added within the same loop iteration (no loop turn waiting for
 * writability, no write event armed unless the socket refuses bytes), while keeping libevent's callback rules.
 * Each test runs single iterations ({@link EventBase#LOOP_ONCE}) and counts the added events to see whether the
 * write event was ever left armed.
 */
@ExtendWith(PoolWholeExtension.class)
class BufferEventWriteNowTest
{
    private final TestFds fds = new TestFds();

    @AfterEach
    void tearDown()
    {
        fds.close();
    }

    private static BevDataCallback echo()
    {
        return bev -> bev.output().addBuffer(bev.input());
    }

    private long readAll(final int fd, final byte[] into, final int offset)
    {
        final long n = fds.read(fd, into.length - offset);
        if (n > 0)
        {
            System.arraycopy(fds.lastRead((int)n), 0, into, offset, (int)n);
        }
        return n;
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void echoIsWrittenInTheIterationThatReadItAndArmsNoWriteEvent(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], 0))
            {
                bev.setCallbacks(echo(), null, null);
                bev.enable(Ev.READ);
                final int added = base.numEvents(EventBase.COUNT_ADDED);
                for (int round = 0; round < 3; round++)
                {
                    final byte[] ping = ("ping " + round).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                    assertEquals(ping.length, fds.write(pair[1], ping));
                    assertEquals(0, base.loop(EventBase.LOOP_ONCE));
                    final byte[] got = new byte[ping.length];
                    assertEquals(ping.length, readAll(pair[1], got, 0), "echoed within the one iteration");
                    assertArrayEquals(ping, got);
                    assertEquals(added, base.numEvents(EventBase.COUNT_ADDED), "no write event left armed");
                    assertEquals(0, bev.output().length());
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void writeCallbackRunsAfterTheReadCallbackReturnsNotInsideTheAdd(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final List<String> order = new ArrayList<>();
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], 0))
            {
                bev.setCallbacks(b ->
                {
                    order.add("read");
                    b.output().addBuffer(b.input());
                    order.add("added " + b.output().length());
                }, b -> order.add("write " + b.output().length()), null);
                bev.enable(Ev.READ);
                assertEquals(4, fds.write(pair[1], "pong"));
                assertEquals(0, base.loop(EventBase.LOOP_ONCE));
                assertEquals(List.of("read", "added 4", "write 0"), order);
                assertEquals(4, fds.read(pair[1], 100));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void writeCallbackHonoursTheLowWatermarkAfterASameIterationWrite(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final int[] writes = new int[1];
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], 0))
            {
                bev.setCallbacks(b -> b.output().add(new byte[100_000]), b -> writes[0]++, null);
                bev.setWatermark(Ev.WRITE, 10, 0);
                bev.setMaxSingleWrite(1000);
                bev.enable(Ev.READ);
                final int added = base.numEvents(EventBase.COUNT_ADDED);
                assertEquals(1, fds.write(pair[1], "x"));
                assertEquals(0, base.loop(EventBase.LOOP_ONCE));
                assertEquals(99_000, bev.output().length(), "one write of at most maxSingleWrite");
                assertEquals(0, writes[0], "output above the low watermark: no write callback");
                assertEquals(added + 1, base.numEvents(EventBase.COUNT_ADDED), "the rest waits for writability");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void deferredReadCallbackOutputIsWrittenInTheSameIterationAndTheWriteCallbackIsDeferred(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final List<String> order = new ArrayList<>();
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], BevOpt.DEFER_CALLBACKS))
            {
                bev.setCallbacks(b ->
                {
                    order.add("read");
                    b.output().addBuffer(b.input());
                    order.add("added " + b.output().length());
                }, b -> order.add("write " + b.output().length()), null);
                bev.enable(Ev.READ);
                final int added = base.numEvents(EventBase.COUNT_ADDED);
                assertEquals(5, fds.write(pair[1], "hello"));
                base.loop(EventBase.LOOP_ONCE);
                assertEquals(5, fds.read(pair[1], 100), "written when the deferred read callback returned");
                assertEquals(added, base.numEvents(EventBase.COUNT_ADDED));
                Loops.runFor(base, 30);
                assertEquals(List.of("read", "added 5", "write 0"), order);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void outputAddedOutsideCallbacksIsNotWrittenInsideTheAddButWithinTheNextIteration(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final int[] writes = new int[1];
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], 0))
            {
                bev.setCallbacks(null, b -> writes[0]++, null);
                final int added = base.numEvents(EventBase.COUNT_ADDED);
                assertEquals(0, bev.write(new byte[] { 1, 2, 3 }));
                assertEquals(-Errno.EAGAIN, fds.read(pair[1], 100), "nothing written inside write()");
                assertEquals(0, writes[0]);
                base.loop(EventBase.LOOP_ONCE);
                assertEquals(3, fds.read(pair[1], 100));
                assertEquals(1, writes[0]);
                assertEquals(added, base.numEvents(EventBase.COUNT_ADDED), "no write event armed");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void fullSocketArmsTheWriteEventAndEverythingArrivesInOrder(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final byte[] data = BufferEventTest.pattern(2_000_000);
            final int[] writes = new int[1];
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], 0))
            {
                bev.setCallbacks(b ->
                {
                    b.input().drain(b.input().length());
                    b.write(data);
                }, b -> writes[0]++, null);
                bev.setMaxSingleWrite(Integer.MAX_VALUE);
                bev.enable(Ev.READ);
                final int added = base.numEvents(EventBase.COUNT_ADDED);
                assertEquals(2, fds.write(pair[1], "go"));
                base.loop(EventBase.LOOP_ONCE);
                assertTrue(bev.output().length() > 0, "the socket took only part of 2 MB");
                assertEquals(added + 1, base.numEvents(EventBase.COUNT_ADDED), "the write event waits for the rest");
                assertEquals(0, writes[0]);
                final byte[] got = new byte[data.length];
                int have = 0;
                final long deadline = System.nanoTime() + 10_000_000_000L;
                while (have < data.length && System.nanoTime() < deadline)
                {
                    final long n = readAll(pair[1], got, have);
                    if (n > 0)
                    {
                        have += (int)n;
                    }
                    base.loop(EventBase.LOOP_NONBLOCK);
                }
                assertEquals(data.length, have);
                assertArrayEquals(data, got);
                base.loop(EventBase.LOOP_NONBLOCK);
                assertEquals(1, writes[0], "one write callback, when the output drained");
                assertEquals(added, base.numEvents(EventBase.COUNT_ADDED), "disarmed once empty");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void echoesWaitForAnArmedWriteEventAndAfterItIsDisarmedGoOutAtOnceAndArmItAgain(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final byte[] data = BufferEventTest.pattern(2_000_000);
            final boolean[] big = new boolean[1];
            final int[] writes = new int[1];
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], 0))
            {
                bev.setCallbacks(b ->
                {
                    b.output().addBuffer(b.input());
                    if (big[0])
                    {
                        big[0] = false;
                        b.write(data);
                    }
                }, b -> writes[0]++, null);
                bev.setMaxSingleWrite(Integer.MAX_VALUE);
                bev.enable(Ev.READ);
                final int added = base.numEvents(EventBase.COUNT_ADDED);
                for (int cycle = 0; cycle < 2; cycle++)
                {
                    final java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
                    assertEquals(1, fds.write(pair[1], "a"));
                    assertEquals(0, base.loop(EventBase.LOOP_ONCE));
                    final byte[] one = new byte[1];
                    assertEquals(1, readAll(pair[1], one, 0), "echoed within the iteration, cycle " + cycle);
                    assertEquals('a', one[0]);
                    assertEquals(added, base.numEvents(EventBase.COUNT_ADDED), "nothing armed, cycle " + cycle);
                    big[0] = true;
                    assertEquals(1, fds.write(pair[1], "b"));
                    assertEquals(0, base.loop(EventBase.LOOP_ONCE));
                    expected.write('b');
                    expected.writeBytes(data);
                    assertEquals(added + 1, base.numEvents(EventBase.COUNT_ADDED), "armed, cycle " + cycle);
                    final int writesBefore = writes[0];
                    assertEquals(1, fds.write(pair[1], "c"));
                    expected.write('c');
                    final byte[] want = expected.toByteArray();
                    final byte[] got = new byte[want.length];
                    int have = 0;
                    final long deadline = System.nanoTime() + 10_000_000_000L;
                    while (have < got.length && System.nanoTime() < deadline)
                    {
                        final long n = readAll(pair[1], got, have);
                        if (n > 0)
                        {
                            have += (int)n;
                        }
                        base.loop(EventBase.LOOP_NONBLOCK);
                    }
                    assertEquals(want.length, have);
                    assertArrayEquals(want, got, "in order, cycle " + cycle);
                    base.loop(EventBase.LOOP_NONBLOCK);
                    assertEquals(0, bev.output().length());
                    assertEquals(added, base.numEvents(EventBase.COUNT_ADDED), "disarmed once empty, cycle " + cycle);
                    assertTrue(writes[0] > writesBefore, "the write callback ran when the output drained");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void disabledOrSuspendedWritingWritesNothingUntilEnabled(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], 0))
            {
                bev.setCallbacks(echo(), null, null);
                bev.disable(Ev.WRITE);
                bev.enable(Ev.READ);
                assertEquals(3, fds.write(pair[1], "abc"));
                Loops.runFor(base, 30);
                assertEquals(3, bev.output().length());
                assertEquals(-Errno.EAGAIN, fds.read(pair[1], 100));
                bev.enable(Ev.WRITE);
                assertTrue(Loops.runUntil(base, () -> 0 == bev.output().length(), 5000));
                final byte[] got = new byte[3];
                assertEquals(3, readAll(pair[1], got, 0));
                assertArrayEquals("abc".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), got);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void writeTimeoutStillFiresWhenThePeerStopsReading(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final List<Integer> events = new ArrayList<>();
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], 0))
            {
                bev.setCallbacks(b -> b.write(new byte[4_000_000]), null, (b, what) -> events.add(what));
                bev.setTimeouts(null, Duration.ofMillis(50));
                bev.setMaxSingleWrite(Integer.MAX_VALUE);
                bev.enable(Ev.READ);
                assertEquals(1, fds.write(pair[1], "x"));
                assertTrue(Loops.runUntil(base, () -> !events.isEmpty(), 5000));
                assertEquals(List.of(BevEvent.WRITING | BevEvent.TIMEOUT), events);
                assertEquals(Ev.READ, bev.enabled());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void closeAfterFlushFromTheReadCallbackClosesOnceTheEchoIsOut(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = Loops.untrackedPair();
            final BufferEvent bev = BufferEvent.socket(base, pair[0], BevOpt.CLOSE_ON_FREE);
            bev.setCallbacks(b ->
            {
                b.output().addBuffer(b.input());
                b.closeAfterFlush();
            }, null, null);
            bev.enable(Ev.READ);
            assertEquals(4, fds.write(pair[1], "last"));
            assertTrue(Loops.runUntil(base, bev::isClosed, 5000));
            final byte[] got = new byte[5];
            assertEquals(4, readAll(pair[1], got, 0));
            assertArrayEquals("last".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), Arrays.copyOf(got, 4));
            assertEquals(0, fds.read(pair[1], 10), "closed after the flush: EOF");
            Loops.closeFd(pair[1]);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void userCallbacksOnTheOutputSeeTheAddAndTheWriteWhileTheEchoGoesOutInTheSameIteration(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final List<String> changes = new ArrayList<>();
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], 0))
            {
                bev.output().addCb((buffer, info) -> changes.add("+" + info.nAdded() + " -" + info.nDeleted()));
                bev.setCallbacks(echo(), null, null);
                bev.enable(Ev.READ);
                final int added = base.numEvents(EventBase.COUNT_ADDED);
                assertEquals(5, fds.write(pair[1], "hello"));
                assertEquals(0, base.loop(EventBase.LOOP_ONCE));
                assertEquals(5, fds.read(pair[1], 100), "echoed within the one iteration");
                assertEquals(List.of("+5 -0", "+0 -5"), changes);
                assertEquals(added, base.numEvents(EventBase.COUNT_ADDED), "no write event left armed");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void outputWithDeferredCallbacksStillStartsWritingWhenBytesAreAdded(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final List<String> changes = new ArrayList<>();
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], 0))
            {
                bev.output().addCb((buffer, info) -> changes.add("+" + info.nAdded() + " -" + info.nDeleted()));
                bev.output().deferCallbacks(base);
                bev.setCallbacks(echo(), null, null);
                bev.enable(Ev.READ);
                assertEquals(3, fds.write(pair[1], "abc"));
                assertEquals(0, base.loop(EventBase.LOOP_ONCE));
                assertEquals(3, fds.read(pair[1], 100), "echoed within the one iteration");
                assertEquals(0, bev.output().length());
                assertEquals(List.of("+3 -3"), changes, "one deferred run covering the add and the write");
            }
        }
    }
}
