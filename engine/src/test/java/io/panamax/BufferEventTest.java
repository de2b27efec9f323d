package io.panamax;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Socket bufferevents on real socketpairs: libevent's {@code regress_bufferevent.c} contracts (§2.2) and the
 * reading/writing rules of {@code bufferevent_sock.c}, on every backend.
 */
@ExtendWith(PoolWholeExtension.class)
class BufferEventTest
{
    private final TestFds fds = new TestFds();

    @AfterEach
    void tearDown()
    {
        fds.close();
    }

    static byte[] pattern(final int n)
    {
        final byte[] data = new byte[n];
        for (int i = 0; i < n; i++)
        {
            data[i] = (byte)(i * 31 + (i >> 8));
        }
        return data;
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void newBufferEventHasWriteEnabledCallbacksAndFrozenEnds(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final BevDataCallback read = bev -> { };
            final BevDataCallback write = bev -> { };
            final BevEventCallback event = (bev, what) -> { };
            try (BufferEvent bev1 = BufferEvent.socket(base, pair[0], 0);
                BufferEvent bev2 = BufferEvent.socket(base, pair[1], 0))
            {
                assertEquals(pair[0], bev1.fd());
                bev1.setCallbacks(read, write, event);
                assertSame(read, bev1.readCallback());
                assertSame(write, bev1.writeCallback());
                assertSame(event, bev1.eventCallback());
                bev1.disable(Ev.READ);
                bev2.enable(Ev.READ);
                assertEquals(Ev.WRITE, bev1.enabled());
                assertEquals(Ev.READ | Ev.WRITE, bev2.enabled());
                assertEquals(-1, bev1.input().add(new byte[] { 1 }), "input's back is frozen");
                assertEquals(0, bev1.write(new byte[] { 1 }));
                assertEquals(-1, bev1.output().drain(1), "output's front is frozen");
                assertEquals(EvBuffer.FLAG_DRAINS_TO_FD, bev1.output().flags() & EvBuffer.FLAG_DRAINS_TO_FD);
                assertEquals(BufferEvent.MAX_SINGLE_DEFAULT, bev1.getMaxSingleRead());
                assertEquals(BufferEvent.MAX_SINGLE_DEFAULT, bev1.getMaxSingleWrite());
                final long[] lowHigh = { -1, -1 };
                assertEquals(0, bev1.getWatermark(Ev.READ, lowHigh));
                assertArrayEquals(new long[] { 0, 0 }, lowHigh);
                assertEquals(-1, bev1.getWatermark(Ev.READ | Ev.WRITE, lowHigh));
                assertEquals(0, bev1.flush(Ev.WRITE, BevFlush.FINISHED), "flush is a no-op on sockets");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void unlockCallbacksWithoutDeferIsRejected(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            assertThrows(IllegalArgumentException.class,
                () -> BufferEvent.socket(base, -1, BevOpt.UNLOCK_CALLBACKS));
            assertThrows(IllegalArgumentException.class, () -> BufferEvent.socket(base, -1, 0x40));
        }
    }

    static List<org.junit.jupiter.params.provider.Arguments> flushCases()
    {
        final List<org.junit.jupiter.params.provider.Arguments> cases = new ArrayList<>();
        for (final String method : EventBase.supportedMethods())
        {
            for (final int mode : new int[] { -1, BevFlush.NORMAL, BevFlush.FLUSH, BevFlush.FINISHED })
            {
                cases.add(org.junit.jupiter.params.provider.Arguments.of(method, mode));
            }
        }
        return cases;
    }

    @ParameterizedTest
    @MethodSource("flushCases")
    void eightThousandBytesArriveWithOneWriteCallbackAndNoEvent(final String method, final int flushMode)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final byte[] data = pattern(8333);
            final int[] counts = new int[3];
            final byte[] received = new byte[8333];
            try (BufferEvent bev1 = BufferEvent.socket(base, pair[0], 0);
                BufferEvent bev2 = BufferEvent.socket(base, pair[1], 0))
            {
                bev1.setCallbacks(null, bev ->
                {
                    if (0 == bev.output().length())
                    {
                        counts[1]++;
                    }
                }, (bev, what) -> counts[2]++);
                bev2.setCallbacks(bev ->
                {
                    if (8333 == bev.input().length())
                    {
                        counts[0]++;
                        bev.read(received);
                        bev.disable(Ev.READ);
                    }
                }, null, (bev, what) -> counts[2]++);
                bev1.disable(Ev.READ);
                bev2.enable(Ev.READ);
                assertEquals(0, bev1.write(data));
                if (flushMode >= 0)
                {
                    assertTrue(bev1.flush(Ev.WRITE, flushMode) >= 0, "a socket flush is a no-op");
                }
                assertTrue(Loops.runUntil(base, () -> 1 == counts[0] && 1 == counts[1], 5000));
                Loops.runFor(base, 50);
                assertEquals(1, counts[0]);
                assertEquals(1, counts[1]);
                assertEquals(0, counts[2]);
                assertArrayEquals(data, received);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void everyReadCallbackSeesInputBetweenWatermarks(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final long[] total = new long[1];
            final List<Long> badReads = new ArrayList<>();
            final List<Long> writeLengths = new ArrayList<>();
            final EvBuffer sink = new EvBuffer();
            try (BufferEvent sender = BufferEvent.socket(base, pair[0], 0);
                BufferEvent receiver = BufferEvent.socket(base, pair[1], 0))
            {
                receiver.setWatermark(Ev.READ, 10, 20);
                sender.setWatermark(Ev.WRITE, 100, 2000);
                final long[] lowHigh = new long[2];
                receiver.getWatermark(Ev.READ, lowHigh);
                assertArrayEquals(new long[] { 10, 20 }, lowHigh);
                sender.getWatermark(Ev.WRITE, lowHigh);
                assertArrayEquals(new long[] { 100, 2000 }, lowHigh);
                receiver.setCallbacks(bev ->
                {
                    final long len = bev.input().length();
                    if (len < 10 || len > 20)
                    {
                        badReads.add(len);
                    }
                    bev.readBuffer(sink);
                    sink.drain(sink.length());
                    total[0] += len;
                    if (65000 == total[0])
                    {
                        bev.disable(Ev.READ);
                    }
                }, null, null);
                sender.setCallbacks(null, bev -> writeLengths.add(bev.output().length()), null);
                receiver.enable(Ev.READ);
                sender.write(pattern(65000));
                base.loopExit(10, TimeUnit.SECONDS);
                base.dispatch();
                assertEquals(65000, total[0]);
                assertEquals(List.of(), badReads);
                assertFalse(writeLengths.isEmpty());
                assertTrue(writeLengths.stream().allMatch(n -> n <= 100), writeLengths::toString);
                assertTrue(writeLengths.contains(0L));
            }
            finally
            {
                sink.close();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void maxSingleReadCapsEachRead(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final List<Long> reads = new ArrayList<>();
            try (BufferEvent bev = BufferEvent.socket(base, pair[1], 0))
            {
                bev.setMaxSingleRead(100);
                assertEquals(100, bev.getMaxSingleRead());
                bev.setCallbacks(b ->
                {
                    final long n = b.input().length();
                    reads.add(n);
                    b.input().drain(n);
                    if (reads.stream().mapToLong(Long::longValue).sum() == 1000)
                    {
                        b.disable(Ev.READ);
                    }
                }, null, null);
                bev.enable(Ev.READ);
                assertEquals(1000, fds.write(pair[0], pattern(1000)));
                base.loopExit(5, TimeUnit.SECONDS);
                base.dispatch();
                assertEquals(1000, reads.stream().mapToLong(Long::longValue).sum());
                assertTrue(reads.stream().allMatch(n -> n <= 100), reads::toString);
                bev.setMaxSingleRead(0);
                assertEquals(BufferEvent.MAX_SINGLE_DEFAULT, bev.getMaxSingleRead());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void readCallbackWaitsForTheLowWatermark(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final List<Long> seen = new ArrayList<>();
            try (BufferEvent bev = BufferEvent.socket(base, pair[1], 0))
            {
                bev.setWatermark(Ev.READ, 10, 0);
                bev.setCallbacks(b -> seen.add(b.input().length()), null, null);
                bev.enable(Ev.READ);
                fds.write(pair[0], pattern(6));
                base.loop(EventBase.LOOP_NONBLOCK);
                base.loop(EventBase.LOOP_NONBLOCK);
                assertEquals(List.of(), seen, "6 bytes are below the low watermark");
                fds.write(pair[0], pattern(6));
                base.loopExit(200, TimeUnit.MILLISECONDS);
                base.dispatch();
                assertEquals(List.of(12L), seen);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void highWatermarkSuspendsReadingWithoutBusyLoopAndResumesAfterDrain(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final List<Long> seen = new ArrayList<>();
            try (BufferEvent bev = BufferEvent.socket(base, pair[1], 0))
            {
                bev.setWatermark(Ev.READ, 0, 10);
                bev.setCallbacks(b -> seen.add(b.input().length()), null, null);
                bev.enable(Ev.READ);
                assertEquals(100, fds.write(pair[0], pattern(100)));
                base.loopExit(100, TimeUnit.MILLISECONDS);
                base.dispatch();
                assertEquals(List.of(10L), seen, "a callback that drains nothing is not re-run (libevent #891)");
                final byte[] got = new byte[100];
                int have = bev.read(got, 0, 4);
                assertEquals(4, have);
                // Drained below high with 6 left: delivered again once, and reading resumes.
                bev.setCallbacks(b -> seen.add(b.input().length()), null, null);
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (have < 100 && System.nanoTime() < deadline)
                {
                    base.loop(EventBase.LOOP_NONBLOCK);
                    have += bev.read(got, have, 100 - have);
                }
                assertEquals(100, have);
                assertArrayEquals(pattern(100), got);
                assertTrue(seen.size() >= 2 && seen.stream().allMatch(n -> n <= 10), seen::toString);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void spentMemoryBudgetSuspendsReadingInsteadOfFailingAndReadingResumesAfterDrain(final String method)
    {
        final BufferPool pool = BufferPool.threadDefault();
        final long oldLimit = pool.limitBytes();
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final List<Integer> events = new ArrayList<>();
            final long failuresBefore = pool.allocationFailures();
            try (BufferEvent bev = BufferEvent.socket(base, pair[1], 0))
            {
                bev.setCallbacks(b -> { }, null, (b, what) -> events.add(what));
                bev.enable(Ev.READ);
                pool.limitBytes(Math.max(pool.reservedBytes(), 1));
                final byte[] chunk = pattern(65536);
                long sent = 0;
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (pool.allocationFailures() == failuresBefore && System.nanoTime() < deadline)
                {
                    final long n = fds.write(pair[0], chunk);
                    sent += Math.max(0, n);
                    base.loop(EventBase.LOOP_ONCE | EventBase.LOOP_NONBLOCK);
                }
                assertTrue(pool.allocationFailures() > failuresBefore, "the budget was reached");
                Loops.runFor(base, 30);
                assertEquals(List.of(), events, "a spent budget is not an error");
                pool.limitBytes(oldLimit);
                final long[] received = { 0 };
                bev.setCallbacks(b ->
                {
                    received[0] += b.input().length();
                    b.input().drain(b.input().length());
                }, null, (b, what) -> events.add(what));
                received[0] += bev.input().length();
                bev.input().drain(bev.input().length());
                final long total = sent;
                assertTrue(Loops.runUntil(base, () -> received[0] == total, 5000),
                    () -> "received " + received[0] + " of " + total);
                assertEquals(List.of(), events);
            }
        }
        finally
        {
            pool.limitBytes(oldLimit);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void peerCloseReportsReadingEofAndDisablesReading(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final List<Integer> events = new ArrayList<>();
            final long[] received = new long[1];
            try (BufferEvent bev = BufferEvent.socket(base, pair[1], 0))
            {
                bev.setCallbacks(b -> received[0] = b.input().length(), null, (b, what) -> events.add(what));
                bev.enable(Ev.READ);
                fds.write(pair[0], "hello");
                fds.close(pair[0]);
                assertTrue(Loops.runUntil(base, () -> !events.isEmpty(), 2000));
                Loops.runFor(base, 30);
                assertEquals(5, received[0]);
                assertEquals(List.of(BevEvent.READING | BevEvent.EOF), events);
                assertEquals(Ev.WRITE, bev.enabled());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void writeToClosedPeerReportsWritingErrorWithoutSigpipe(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final List<Integer> events = new ArrayList<>();
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], 0))
            {
                bev.setCallbacks(null, null, (b, what) -> events.add(what));
                fds.close(pair[1]);
                bev.write(pattern(1000));
                base.loopExit(2, TimeUnit.SECONDS);
                base.dispatch();
                assertEquals(List.of(BevEvent.WRITING | BevEvent.ERROR), events);
                assertEquals(io.panamax.ffm.Errno.EPIPE, bev.socketError());
                assertEquals(0, bev.enabled() & Ev.WRITE, "writing is disabled after an error");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void readErrorReportsReadingErrorWithSocketError(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final List<Integer> events = new ArrayList<>();
            try (BufferEvent bev = BufferEvent.socket(base, pair[1], 0))
            {
                bev.setCallbacks(b -> { }, null, (b, what) -> events.add(what));
                bev.enable(Ev.READ);
                fds.write(pair[0], "x");
                io.panamax.ffm.SyscallFaults.failNext(io.panamax.ffm.SyscallFaults.Call.READ,
                    io.panamax.ffm.Errno.EINTR, 1);
                base.loop(EventBase.LOOP_ONCE | EventBase.LOOP_NONBLOCK);
                assertEquals(0, io.panamax.ffm.SyscallFaults.pending(io.panamax.ffm.SyscallFaults.Call.READ));
                assertEquals(List.of(), events, "EINTR is silent");
                io.panamax.ffm.SyscallFaults.failNext(io.panamax.ffm.SyscallFaults.Call.READ,
                    io.panamax.ffm.Errno.ECONNRESET, 1);
                base.loopExit(1, TimeUnit.SECONDS);
                base.dispatch();
                assertEquals(List.of(BevEvent.READING | BevEvent.ERROR), events);
                assertEquals(io.panamax.ffm.Errno.ECONNRESET, bev.socketError());
            }
            finally
            {
                io.panamax.ffm.SyscallFaults.clearAll();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void readWithFrozenInputFrontReturnsZero(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final int[] results = { -1, -1, -1, -1 };
            try (BufferEvent bev = BufferEvent.socket(base, pair[1], 0))
            {
                bev.setCallbacks(b ->
                {
                    results[0] = (int)b.input().length();
                    results[1] = b.read(new byte[8]);
                    b.input().freeze(true);
                    results[2] = b.read(new byte[1]);
                    results[3] = (int)b.input().length();
                    b.input().unfreeze(true);
                    b.disable(Ev.READ);
                }, null, null);
                bev.enable(Ev.READ);
                fds.write(pair[0], "123456789");
                base.loopExit(2, TimeUnit.SECONDS);
                base.dispatch();
                assertArrayEquals(new int[] { 9, 8, 0, 1 }, results);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void timeoutsWithoutFdFireOncePerEnabledDirection(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final List<String> bev1Events = new ArrayList<>();
            final List<String> bev2Events = new ArrayList<>();
            final long start = System.nanoTime();
            final int[] reads = new int[1];
            try (BufferEvent bev1 = BufferEvent.socket(base, -1, 0);
                BufferEvent bev2 = BufferEvent.socket(base, -1, 0))
            {
                bev1.setCallbacks(b -> reads[0]++, null,
                    (b, what) -> bev1Events.add(what + "@" + (System.nanoTime() - start) / 1_000_000));
                bev2.setCallbacks(b -> reads[0]++, null,
                    (b, what) -> bev2Events.add(what + "@" + (System.nanoTime() - start) / 1_000_000));
                bev1.setTimeouts(Duration.ofMillis(150), Duration.ofMillis(100));
                bev1.write("abcdefg".getBytes());
                bev1.enable(Ev.READ | Ev.WRITE);
                bev2.disable(Ev.READ);
                bev2.setTimeouts(Duration.ofMillis(100), Duration.ofMillis(200));
                bev2.enable(Ev.WRITE);
                base.loopExit(350, TimeUnit.MILLISECONDS);
                base.dispatch();
                assertEquals(0, reads[0]);
                assertEquals(2, bev1Events.size(), bev1Events::toString);
                assertTimed(bev1Events.get(0), BevEvent.WRITING | BevEvent.TIMEOUT, 100);
                assertTimed(bev1Events.get(1), BevEvent.READING | BevEvent.TIMEOUT, 150);
                assertEquals(1, bev2Events.size(), bev2Events::toString);
                assertTimed(bev2Events.get(0), BevEvent.WRITING | BevEvent.TIMEOUT, 200);
                assertEquals(0, bev1.enabled(), "each timeout disables its direction");
            }
        }
    }

    private static void assertTimed(final String entry, final int what, final long atMs)
    {
        final String[] parts = entry.split("@");
        assertEquals(what, Integer.parseInt(parts[0]), entry);
        final long ms = Long.parseLong(parts[1]);
        assertTrue(ms >= atMs - 5 && ms <= atMs + 100, entry + " expected at " + atMs + " ms");
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void readTimeoutCountsOnlyIdleTimeAndNullDisarms(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final List<Integer> events = new ArrayList<>();
            try (BufferEvent bev = BufferEvent.socket(base, pair[1], 0))
            {
                bev.setCallbacks(b -> b.input().drain(b.input().length()), null, (b, what) -> events.add(what));
                // Data every 25 ms against a 250 ms idle timeout: a scheduling stall of up to 225 ms (seen under
                // load average 6+ with 50 ms against 150 ms) still cannot make the buffer look idle.
                bev.setTimeouts(Duration.ofMillis(250), null);
                bev.enable(Ev.READ);
                final Event feeder = Event.create(base, -1, Ev.PERSIST, (fd, what) -> fds.write(pair[0], "x"));
                feeder.add(25, TimeUnit.MILLISECONDS);
                base.loopExit(600, TimeUnit.MILLISECONDS);
                base.dispatch();
                assertEquals(List.of(), events, "data every 25 ms keeps a 250 ms idle timeout from firing");
                feeder.close();
                bev.setTimeouts(Duration.ofMillis(50), null);
                bev.setTimeouts(null, null);
                base.loopExit(200, TimeUnit.MILLISECONDS);
                base.dispatch();
                assertEquals(List.of(), events, "a timeout set to null is disarmed at once (libevent #16)");
                bev.setTimeouts(Duration.ofMillis(50), null);
                base.loopExit(300, TimeUnit.MILLISECONDS);
                base.dispatch();
                assertEquals(List.of(BevEvent.READING | BevEvent.TIMEOUT), events);
                events.clear();
                bev.enable(Ev.READ);
                base.loopExit(300, TimeUnit.MILLISECONDS);
                base.dispatch();
                assertEquals(List.of(BevEvent.READING | BevEvent.TIMEOUT), events, "enabling again restarts it");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("triggerCases")
    void triggerHonoursWatermarksAndDefersWhenAsked(final String method, final int bevOptions, final int trigOptions)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final int[] readCalls = new int[1];
            final List<Integer> events = new ArrayList<>();
            final boolean deferred = 0 != ((bevOptions | trigOptions) & BevOpt.DEFER_CALLBACKS);
            final boolean[] sync = new boolean[2];
            try (BufferEvent bev = BufferEvent.socket(base, pair[1], bevOptions))
            {
                bev.setCallbacks(b ->
                {
                    readCalls[0]++;
                    if (1 == readCalls[0])
                    {
                        b.setWatermark(Ev.READ, b.input().length() + 1, 0);
                        b.trigger(Ev.READ, trigOptions);
                        sync[0] = readCalls[0] > 1;
                        b.trigger(Ev.READ, trigOptions | BevTrig.IGNORE_WATERMARKS);
                        sync[1] = readCalls[0] > 1;
                    }
                    else
                    {
                        b.triggerEvent(~0, trigOptions);
                    }
                }, null, (b, what) -> events.add(what));
                bev.enable(Ev.READ);
                fds.write(pair[0], "trigger");
                base.loopExit(300, TimeUnit.MILLISECONDS);
                base.dispatch();
                assertFalse(sync[0], "the watermark is not met: no callback");
                assertEquals(!deferred, sync[1], "IGNORE_WATERMARKS runs it now unless deferred");
                assertEquals(2, readCalls[0]);
                assertEquals(List.of(~0), events, "every bit passed through, also when deferred");
            }
        }
    }

    static List<org.junit.jupiter.params.provider.Arguments> triggerCases()
    {
        final List<org.junit.jupiter.params.provider.Arguments> cases = new ArrayList<>();
        for (final String method : EventBase.supportedMethods())
        {
            cases.add(org.junit.jupiter.params.provider.Arguments.of(method, 0, 0));
            cases.add(org.junit.jupiter.params.provider.Arguments.of(method, BevOpt.DEFER_CALLBACKS, 0));
            cases.add(org.junit.jupiter.params.provider.Arguments.of(method, 0, BevTrig.DEFER_CALLBACKS));
        }
        return cases;
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void deferredCallbacksRunConnectedThenReadThenWriteThenTheOtherEventBitsTogether(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final List<String> order = new ArrayList<>();
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], BevOpt.DEFER_CALLBACKS))
            {
                bev.setCallbacks(b -> order.add("read"), b -> order.add("write"),
                    (b, what) -> order.add("event:" + what));
                bev.triggerEvent(BevEvent.READING, 0);
                bev.trigger(Ev.WRITE, BevTrig.IGNORE_WATERMARKS);
                bev.triggerEvent(BevEvent.EOF, 0);
                bev.trigger(Ev.READ, BevTrig.IGNORE_WATERMARKS);
                bev.triggerEvent(BevEvent.CONNECTED, 0);
                assertEquals(List.of(), order, "nothing runs inside the calls");
                base.loop(EventBase.LOOP_ONCE | EventBase.LOOP_NONBLOCK);
                assertEquals(List.of("event:" + BevEvent.CONNECTED, "read", "write",
                    "event:" + (BevEvent.READING | BevEvent.EOF)), order);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void noDeferredCallbackRunsAfterClose(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final List<String> order = new ArrayList<>();
            final BufferEvent bev = BufferEvent.socket(base, pair[0], BevOpt.DEFER_CALLBACKS);
            bev.setCallbacks(b -> order.add("read"), b -> order.add("write"), (b, what) -> order.add("event"));
            bev.trigger(Ev.READ | Ev.WRITE, BevTrig.IGNORE_WATERMARKS);
            bev.triggerEvent(BevEvent.ERROR, 0);
            bev.close();
            Loops.runFor(base, 20);
            assertEquals(List.of(), order);
            assertTrue(bev.isClosed());
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void closeInsideReadCallbackStopsEveryCallback(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = Loops.untrackedPair();
            final int[] calls = new int[2];
            final BufferEvent bev = BufferEvent.socket(base, pair[1], BevOpt.CLOSE_ON_FREE);
            bev.setCallbacks(b ->
            {
                calls[0]++;
                b.write("reply".getBytes());
                b.close();
                assertTrue(b.isClosed());
            }, b -> calls[1]++, (b, what) -> calls[1]++);
            bev.enable(Ev.READ);
            fds.write(pair[0], "ping");
            base.loopExit(200, TimeUnit.MILLISECONDS);
            base.dispatch();
            assertArrayEquals(new int[] { 1, 0 }, calls);
            assertEquals(0, fds.read(pair[0], 100), "CLOSE_ON_FREE closed the fd; unsent output was dropped");
            assertThrows(IllegalStateException.class, () -> bev.enable(Ev.READ));
            bev.close();
            Loops.closeFd(pair[0]);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void closeAfterFlushWritesEverythingThenCloses(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = Loops.untrackedPair();
            final byte[] data = pattern(300_000);
            final BufferEvent bev = BufferEvent.socket(base, pair[0], BevOpt.CLOSE_ON_FREE);
            bev.write(data);
            bev.closeAfterFlush();
            assertFalse(bev.isClosed());
            final byte[] got = new byte[data.length + 1];
            int have = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline)
            {
                base.loop(EventBase.LOOP_NONBLOCK);
                final long n = fds.read(pair[1], 65536);
                if (0 == n)
                {
                    break;
                }
                if (n > 0)
                {
                    System.arraycopy(fds.lastRead((int)n), 0, got, have, (int)n);
                    have += (int)n;
                }
            }
            assertEquals(data.length, have);
            assertArrayEquals(data, Arrays.copyOf(got, have));
            assertTrue(bev.isClosed());
            Loops.closeFd(pair[1]);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void setFdMovesEventsAndReplaceFdClosesTheOldOne(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] first = Loops.untrackedPair();
            final int[] second = fds.pair();
            final List<String> got = new ArrayList<>();
            try (BufferEvent bev = BufferEvent.socket(base, -1, 0))
            {
                assertEquals(-1, bev.fd());
                bev.setCallbacks(b ->
                {
                    final byte[] d = new byte[(int)b.input().length()];
                    b.read(d);
                    got.add(new String(d));
                }, null, null);
                bev.enable(Ev.READ);
                bev.setFd(first[1]);
                fds.write(first[0], "one");
                base.loopExit(100, TimeUnit.MILLISECONDS);
                base.dispatch();
                bev.replaceFd(second[1]);
                assertEquals(second[1], bev.fd());
                assertNotEquals(-1, fds.write(second[0], "two"));
                base.loopExit(100, TimeUnit.MILLISECONDS);
                base.dispatch();
                assertEquals(List.of("one", "two"), got);
                assertTrue(fds.write(first[0], "x") < 0, "replaceFd closed the old fd (peer sees EPIPE)");
                Loops.closeFd(first[0]);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void priorityAppliesToBothEvents(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            base.priorityInit(3);
            final int[] pair = fds.pair();
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], 0))
            {
                assertEquals(1, bev.priority());
                bev.priority(0);
                assertEquals(0, bev.priority());
                assertSame(base, bev.base());
                assertNull(bev.readCallback());
            }
        }
    }
}
