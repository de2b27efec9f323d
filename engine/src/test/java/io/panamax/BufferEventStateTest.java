package io.panamax;

import io.panamax.ffm.Errno;
import io.panamax.ffm.SyscallFaults;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5's state and I/O rules not covered elsewhere: the THREADSAFE lock shared with both buffers, callbacks
 * run without it under UNLOCK_CALLBACKS, suspension kept apart from "enabled", write polling that stops when the
 * output is empty, the maxSingleWrite cap, MemorySegment reads and writes, a silent EAGAIN on read, the errno of
 * a deferred error, the priority of the bufferevent's events, and the guard on the read handler (the bufferevent
 * itself) against calls from outside the loop. Real socketpairs, every backend.
 */
@ExtendWith(PoolWholeExtension.class)
class BufferEventStateTest
{
    private final TestFds fds = new TestFds();

    @AfterEach
    void tearDown()
    {
        SyscallFaults.clearAll();
        fds.close();
    }

    /** Start {@code body} on a new thread and wait (bounded) until it parks, i.e. waits for a lock. */
    private static Thread startAndAwaitBlocked(final Runnable body)
    {
        final Thread thread = new Thread(body);
        thread.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Thread.State.WAITING != thread.getState() && thread.isAlive() && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }
        return thread;
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void threadsafeLockIsSharedByTheBufferEventAndBothBuffers(final String method) throws Exception
    {
        try (EventBase base = TestFds.base(method);
            BufferEvent bev = BufferEvent.socket(base, fds.pair()[0], BevOpt.THREADSAFE))
        {
            bev.lock();
            final Thread writer = startAndAwaitBlocked(() -> bev.output().add(new byte[] { 1, 2, 3 }));
            final Thread reader = startAndAwaitBlocked(() -> bev.input().length());
            try
            {
                assertEquals(Thread.State.WAITING, writer.getState(), "the output waits for bev.lock()");
                assertEquals(Thread.State.WAITING, reader.getState(), "the input waits for bev.lock()");
                assertEquals(0, bev.output().length());
            }
            finally
            {
                bev.unlock();
            }
            writer.join(5000);
            reader.join(5000);
            assertFalse(writer.isAlive() || reader.isAlive());
            bev.input().lock();
            final Thread locker = startAndAwaitBlocked(() ->
            {
                bev.lock();
                bev.unlock();
            });
            try
            {
                assertEquals(Thread.State.WAITING, locker.getState(), "bev.lock() waits for input().lock()");
            }
            finally
            {
                bev.input().unlock();
            }
            locker.join(5000);
            assertFalse(locker.isAlive());
            assertTrue(Loops.runUntil(base, () -> 0 == bev.output().length(), 5000), "the 3 bytes were sent");
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void unlockCallbacksRunDeferredCallbacksWithoutTheLock(final String method) throws Exception
    {
        for (final boolean unlock : new boolean[] { true, false })
        {
            final int options = BevOpt.THREADSAFE | BevOpt.DEFER_CALLBACKS | (unlock ? BevOpt.UNLOCK_CALLBACKS : 0);
            try (EventBase base = TestFds.base(method))
            {
                final int[] pair = fds.pair();
                final List<Thread.State> otherWhileInCallback = new ArrayList<>();
                final List<Thread> others = new ArrayList<>();
                try (BufferEvent bev = BufferEvent.socket(base, pair[1], options))
                {
                    bev.setCallbacks(b ->
                    {
                        final Thread other = startAndAwaitBlocked(() ->
                        {
                            b.lock();
                            b.unlock();
                        });
                        others.add(other);
                        if (unlock)
                        {
                            try
                            {
                                other.join(5000);
                            }
                            catch (final InterruptedException ex)
                            {
                                Thread.currentThread().interrupt();
                            }
                        }
                        otherWhileInCallback.add(other.getState());
                        b.input().drain(b.input().length());
                    }, null, null);
                    bev.enable(Ev.READ);
                    fds.write(pair[0], "x");
                    assertTrue(Loops.runUntil(base, () -> !otherWhileInCallback.isEmpty(), 5000));
                    for (final Thread other : others)
                    {
                        other.join(5000);
                        assertFalse(other.isAlive(), "the other thread got the lock after the callback");
                    }
                    assertEquals(List.of(unlock ? Thread.State.TERMINATED : Thread.State.WAITING),
                        otherWhileInCallback, unlock ? "UNLOCK_CALLBACKS: the lock is free during the callback" :
                        "without UNLOCK_CALLBACKS the callback holds the lock");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void suspensionIsKeptApartFromEnabled(final String method)
    {
        try (EventBase base = TestFds.base(method);
            ConnListener server = ConnListener.bind(base, (l, fd, peer) -> Loops.closeFd(fd),
                LevOpt.CLOSE_ON_FREE, -1, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            final int[] pair = fds.pair();
            try (BufferEvent bev = BufferEvent.socket(base, pair[1], 0);
                BufferEvent connecting = BufferEvent.socket(base, -1, 0))
            {
                bev.setWatermark(Ev.READ, 0, 10);
                bev.setCallbacks(b -> { }, null, null);
                bev.enable(Ev.READ);
                assertEquals(100, fds.write(pair[0], BufferEventTest.pattern(100)));
                Loops.runFor(base, 50);
                assertEquals(10, bev.input().length(), "suspended at the high watermark");
                assertEquals(Ev.READ | Ev.WRITE, bev.enabled(), "suspension does not touch enabled()");

                connecting.enable(Ev.READ);
                assertEquals(0, connecting.connect(server.localAddress()));
                assertEquals(Ev.READ | Ev.WRITE, connecting.enabled(), "connecting suspends, enabled() stays");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void writePollingStopsWhenTheOutputEmptiesAndRestartsWithNewData(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], 0))
            {
                assertEquals(1, base.loop(EventBase.LOOP_NONBLOCK), "nothing to write: no event is pending");
                bev.write(BufferEventTest.pattern(1000));
                assertEquals(0, base.loop(EventBase.LOOP_ONCE | EventBase.LOOP_NONBLOCK), "polling for write");
                assertTrue(Loops.runUntil(base, () -> 0 == bev.output().length(), 5000));
                assertEquals(1, base.loop(EventBase.LOOP_NONBLOCK), "output empty: the write event was deleted");
                bev.write(BufferEventTest.pattern(10));
                assertTrue(Loops.runUntil(base, () -> 0 == bev.output().length(), 5000), "polling restarted");
                assertEquals(1010, fds.read(pair[1], 4096));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void dataAddedWhileWriteIsDisabledWaitsForEnable(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], 0))
            {
                bev.disable(Ev.WRITE);
                bev.write(BufferEventTest.pattern(100));
                assertEquals(1, base.loop(EventBase.LOOP_NONBLOCK), "WRITE disabled: no write event is pending");
                assertEquals(100, bev.output().length());
                bev.enable(Ev.WRITE);
                assertTrue(Loops.runUntil(base, () -> 0 == bev.output().length(), 5000));
                assertEquals(100, fds.read(pair[1], 4096));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void readTimeoutDoesNotRunWhileSuspendedAtTheHighWatermark(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final List<Integer> events = new ArrayList<>();
            try (BufferEvent bev = BufferEvent.socket(base, pair[1], 0))
            {
                bev.setWatermark(Ev.READ, 0, 10);
                bev.setCallbacks(b -> { }, null, (b, what) -> events.add(what));
                bev.setTimeouts(java.time.Duration.ofMillis(50), null);
                bev.enable(Ev.READ);
                assertEquals(20, fds.write(pair[0], BufferEventTest.pattern(20)));
                Loops.runFor(base, 200);
                assertEquals(10, bev.input().length(), "suspended at the high watermark");
                assertEquals(List.of(), events, "a suspended direction wants no I/O: its idle timer is off");
                bev.input().drain(10);
                Loops.runFor(base, 200);
                assertEquals(10, bev.input().length(), "the other 10 bytes were read: suspended again");
                assertEquals(List.of(), events);
                bev.input().drain(10);
                assertTrue(Loops.runUntil(base, () -> !events.isEmpty(), 5000), "resumed and idle: the timer runs");
                assertEquals(List.of(BevEvent.READING | BevEvent.TIMEOUT), events);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void maxSingleWriteCapsEachWrite(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], 0))
            {
                bev.setMaxSingleWrite(100);
                assertEquals(100, bev.getMaxSingleWrite());
                bev.write(BufferEventTest.pattern(1000));
                final List<Long> moved = new ArrayList<>();
                long before = bev.output().length();
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (before > 0 && System.nanoTime() < deadline)
                {
                    base.loop(EventBase.LOOP_ONCE);
                    final long after = bev.output().length();
                    moved.add(before - after);
                    before = after;
                }
                assertEquals(0, before);
                assertTrue(moved.stream().allMatch(n -> n <= 100), moved::toString);
                assertEquals(1000, moved.stream().mapToLong(Long::longValue).sum());
                assertEquals(1000, fds.read(pair[1], 4096));
                bev.setMaxSingleWrite(0);
                assertEquals(BufferEvent.MAX_SINGLE_DEFAULT, bev.getMaxSingleWrite());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void memorySegmentWriteAndReadRoundTrip(final String method)
    {
        try (EventBase base = TestFds.base(method);
            Arena arena = Arena.ofConfined())
        {
            final int[] pair = fds.pair();
            try (BufferEvent sender = BufferEvent.socket(base, pair[0], 0);
                BufferEvent receiver = BufferEvent.socket(base, pair[1], 0))
            {
                final byte[] text = "off-heap".getBytes(StandardCharsets.US_ASCII);
                assertEquals(0, sender.write(arena.allocateFrom(JAVA_BYTE, text)));
                receiver.enable(Ev.READ);
                assertTrue(Loops.runUntil(base, () -> receiver.input().length() == text.length, 5000));
                final MemorySegment dst = arena.allocate(64);
                assertEquals(text.length, receiver.read(dst));
                assertArrayEquals(text, dst.asSlice(0, text.length).toArray(JAVA_BYTE));
                assertEquals(0, receiver.read(dst), "empty input: 0");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void eagainOnReadIsSilentAndTheBytesComeNextTime(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final List<Integer> events = new ArrayList<>();
            final List<Long> reads = new ArrayList<>();
            try (BufferEvent bev = BufferEvent.socket(base, pair[1], 0))
            {
                bev.setCallbacks(b -> reads.add(b.input().length()), null, (b, what) -> events.add(what));
                bev.enable(Ev.READ);
                fds.write(pair[0], "abc");
                SyscallFaults.failNext(SyscallFaults.Call.READ, Errno.EAGAIN, 1);
                base.loop(EventBase.LOOP_ONCE);
                assertEquals(0, SyscallFaults.pending(SyscallFaults.Call.READ), "the read met EAGAIN");
                assertEquals(List.of(), reads);
                assertTrue(Loops.runUntil(base, () -> !reads.isEmpty(), 5000));
                assertEquals(List.of(3L), reads);
                assertEquals(List.of(), events, "EAGAIN is no event");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void readHandlerCalledFromOutsideTheLoopThrowsAndReadsNothing(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final List<Long> reads = new ArrayList<>();
            try (BufferEvent bev = BufferEvent.socket(base, pair[1], 0))
            {
                bev.setCallbacks(b -> reads.add(b.input().length()), null, null);
                bev.enable(Ev.READ);
                fds.write(pair[0], "abc");
                // A socket bufferevent is its own read event's callback: a caller that casts it is refused.
                final EventCallback handler = assertInstanceOf(EventCallback.class, bev);
                assertThrows(IllegalStateException.class, () -> handler.onEvent(pair[1], Ev.READ));
                assertEquals(List.of(), reads, "the refused call read nothing");
                assertEquals(0, bev.input().length());
                assertTrue(Loops.runUntil(base, () -> !reads.isEmpty(), 5000));
                assertEquals(List.of(3L), reads, "the loop's own call reads the bytes");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void deferredErrorEventCarriesItsErrno(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final List<String> seen = new ArrayList<>();
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], BevOpt.DEFER_CALLBACKS))
            {
                bev.setCallbacks(null, null, (b, what) -> seen.add(what + ":" + Errno.name(b.socketError())));
                fds.close(pair[1]);
                bev.write(BufferEventTest.pattern(100));
                assertTrue(Loops.runUntil(base, () -> !seen.isEmpty(), 5000));
                Loops.runFor(base, 20);
                assertEquals(List.of((BevEvent.WRITING | BevEvent.ERROR) + ":EPIPE"), seen);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void priorityOrdersTheBufferEventsEventsAgainstOthers(final String method)
    {
        for (final int bevPriority : new int[] { 0, 1 })
        {
            try (EventBase base = TestFds.base(method))
            {
                base.priorityInit(2);
                final int[] bevPair = fds.pair();
                final int[] otherPair = fds.pair();
                final List<String> order = new ArrayList<>();
                try (BufferEvent bev = BufferEvent.socket(base, bevPair[1], 0);
                    Event other = Event.create(base, otherPair[1], Ev.READ, (fd, what) -> order.add("event")))
                {
                    bev.priority(bevPriority);
                    other.priority(1 - bevPriority);
                    bev.setCallbacks(b -> order.add("bev"), null, null);
                    bev.enable(Ev.READ);
                    other.add();
                    fds.write(bevPair[0], "a");
                    fds.write(otherPair[0], "b");
                    assertTrue(Loops.runUntil(base, () -> 2 == order.size(), 5000), order::toString);
                    assertEquals(0 == bevPriority ? List.of("bev", "event") : List.of("event", "bev"), order);
                }
            }
        }
    }
}
