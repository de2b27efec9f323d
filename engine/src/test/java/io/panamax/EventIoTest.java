package io.panamax;

import io.panamax.ffm.Errno;
import io.panamax.ffm.SyscallFaults;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * I/O contracts of libevent's {@code regress.c} (simple*, multiple, persistent, combined) and {@code regress_et.c}
 * (libevent-contracts.md §2.3, §2.5), on real socketpairs and every backend that runs here.
 */
class EventIoTest
{
    private final TestFds fds = new TestFds();

    @AfterEach
    void tearDown()
    {
        fds.close();
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void nonPersistentReadReAddedInCallbackReadsDataThenEof(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            fds.write(pair[1], "Simple read test");
            fds.close(pair[1]);
            final List<Long> reads = new ArrayList<>();
            final Event[] self = new Event[1];
            self[0] = Event.create(base, pair[0], Ev.READ, (fd, what) ->
            {
                final long n = fds.read(fd, 4096);
                reads.add(n);
                if (n > 0)
                {
                    self[0].add();
                }
            });
            self[0].add();
            assertEquals(1, base.dispatch());
            assertEquals(List.of(16L, 0L), reads);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void twoReadEventsOnOneFdBothFireInOneDispatch(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            fds.write(pair[1], "x");
            final int[] calls = new int[2];
            Event.create(base, pair[0], Ev.READ, (fd, what) -> calls[0]++).add();
            Event.create(base, pair[0], Ev.READ, (fd, what) -> calls[1]++).add();
            assertEquals(1, base.dispatch());
            assertArrayEquals(new int[]{ 1, 1 }, calls);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void peerCloseWakesReadWithReadAndFullWriterWithWrite(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] a = fds.pair();
            final int[] b = fds.pair();
            assertTrue(fds.fill(b[0]) > 0);
            final List<String> fired = new ArrayList<>();
            Event.create(base, a[0], Ev.READ, (fd, what) -> fired.add("read:" + what)).add();
            Event.create(base, b[0], Ev.WRITE, (fd, what) -> fired.add("write:" + what)).add();
            base.loop(EventBase.LOOP_NONBLOCK);
            assertEquals(List.of(), fired);
            fds.close(a[1]);
            fds.close(b[1]);
            assertEquals(1, base.dispatch());
            assertEquals(2, fired.size());
            assertTrue(fired.contains("read:" + Ev.READ), fired.toString());
            assertTrue(fired.contains("write:" + Ev.WRITE), fired.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void closedEventReportsPeerCloseWithoutPersistOrEtLeaking(final String method)
    {
        for (final int extra : new int[]{ 0, Ev.PERSIST, Ev.ET, Ev.ET | Ev.PERSIST })
        {
            try (EventBase base = TestFds.base(method))
            {
                assumeTrue(0 != (base.features() & EventBaseConfig.FEATURE_EARLY_CLOSE));
                final int[] pair = fds.pair();
                final List<Integer> fired = new ArrayList<>();
                final Event ev = Event.create(base, pair[0], Ev.CLOSED | extra, (fd, what) -> fired.add(what));
                ev.add();
                fds.close(pair[1]);
                final int rc;
                if (0 != (extra & Ev.PERSIST))
                {
                    base.loopExit(10, TimeUnit.MILLISECONDS);
                    rc = base.loop(EventBase.LOOP_NONBLOCK | EventBase.LOOP_ONCE);
                }
                else
                {
                    rc = base.loop(EventBase.LOOP_NONBLOCK);
                }
                assertTrue(fired.size() >= 1, "extra " + extra);
                assertEquals(Ev.CLOSED | (extra & Ev.ET), fired.get(0), "extra " + extra);
                assertEquals(0 != (extra & Ev.PERSIST) ? 0 : 1, rc, "extra " + extra);
                ev.close();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void closingFdUnderPendingReadWakesItOnPoll(final String method)
    {
        assumeTrue("poll".equals(method));
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final int[] got = { 0 };
            Event.create(base, pair[0], Ev.READ, (fd, what) -> got[0] = what).add();
            base.loop(EventBase.LOOP_NONBLOCK);
            fds.close(pair[0]);
            base.loopExit(1, TimeUnit.SECONDS);
            base.dispatch();
            assertEquals(Ev.READ, got[0]);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void persistentReadAndWriteMoveBytesIntact(final String method)
    {
        for (final boolean persistent : new boolean[]{ false, true })
        {
            try (EventBase base = TestFds.base(method))
            {
                final int[] pair = fds.pair();
                final byte[] data = new byte[4096];
                for (int i = 0; i < data.length; i++)
                {
                    data[i] = (byte)(i * 31 + 7);
                }
                final int flags = persistent ? Ev.PERSIST : 0;
                final int[] written = { 0 };
                final ByteArrayOutputStream received = new ByteArrayOutputStream();
                final Event[] ev = new Event[2];
                ev[0] = Event.create(base, pair[1], Ev.WRITE | flags, (fd, what) ->
                {
                    final int len = Math.min(128, data.length - written[0]);
                    final long n = fds.write(fd, Arrays.copyOfRange(data, written[0], written[0] + len));
                    written[0] += (int)Math.max(0, n);
                    if (written[0] == data.length)
                    {
                        ev[0].del();
                        fds.close(pair[1]);
                    }
                    else if (!persistent)
                    {
                        ev[0].add();
                    }
                });
                ev[1] = Event.create(base, pair[0], Ev.READ | flags, (fd, what) ->
                {
                    final long n = fds.read(fd, 4096);
                    if (n > 0)
                    {
                        received.write(fds.lastRead((int)n), 0, (int)n);
                        if (!persistent)
                        {
                            ev[1].add();
                        }
                    }
                    else
                    {
                        ev[1].del();
                    }
                });
                ev[0].add();
                ev[1].add();
                base.loopExit(5, TimeUnit.SECONDS);
                base.dispatch();
                assertArrayEquals(data, received.toByteArray(), "persistent " + persistent);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void edgeTriggeredReadFiresOncePerEdgeOnEtBackends(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final boolean et = 0 != (base.features() & EventBaseConfig.FEATURE_ET);
            final int[] pair = fds.pair();
            fds.write(pair[1], "test string\0");
            fds.close(pair[1]);
            final List<Integer> fired = new ArrayList<>();
            Event.create(base, pair[0], Ev.READ | Ev.ET | Ev.PERSIST, (fd, what) ->
            {
                fired.add(what);
                fds.read(fd, 1);
            }).add();
            base.loop(EventBase.LOOP_NONBLOCK | EventBase.LOOP_ONCE);
            base.loop(EventBase.LOOP_NONBLOCK | EventBase.LOOP_ONCE);
            if (et)
            {
                assertEquals(List.of(Ev.READ | Ev.ET), fired);
            }
            else
            {
                assertEquals(List.of(Ev.READ, Ev.READ), fired);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void mixingEdgeAndLevelEventsOnOneFdIsRejected(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final Event et = Event.create(base, pair[0], Ev.READ | Ev.ET, (fd, what) -> { });
            final Event lt = Event.create(base, pair[0], Ev.READ, (fd, what) -> { });
            et.add();
            assertThrows(IllegalArgumentException.class, lt::add);
            assertEquals(Ev.READ, et.pending(Ev.READ));
            assertEquals(0, lt.pending(Ev.READ));
            et.del();
            lt.add();
            assertThrows(IllegalArgumentException.class, et::add);
            assertEquals(0, et.pending(Ev.READ));
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void deletingOneEdgeEventKeepsTheOthersEdgeTriggered(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            assumeTrue(0 != (base.features() & EventBaseConfig.FEATURE_ET));
            final int[] pair = fds.pair();
            fds.write(pair[1], "1");
            final List<Integer> reads = new ArrayList<>();
            final List<Integer> writes = new ArrayList<>();
            final Event reader = Event.create(base, pair[0], Ev.READ | Ev.ET | Ev.PERSIST, (fd, w) -> reads.add(w));
            final Event writer = Event.create(base, pair[0], Ev.WRITE | Ev.ET | Ev.PERSIST, (fd, w) -> writes.add(w));
            reader.add();
            writer.add();
            base.loop(EventBase.LOOP_NONBLOCK | EventBase.LOOP_ONCE);
            base.loop(EventBase.LOOP_NONBLOCK | EventBase.LOOP_ONCE);
            assertEquals(List.of(Ev.READ | Ev.ET), reads);
            assertEquals(List.of(Ev.WRITE | Ev.ET), writes);
            reader.del();
            fds.close(pair[1]);
            base.loop(EventBase.LOOP_NONBLOCK | EventBase.LOOP_ONCE);
            base.loop(EventBase.LOOP_NONBLOCK | EventBase.LOOP_ONCE);
            assertEquals(List.of(Ev.WRITE | Ev.ET, Ev.WRITE | Ev.ET), writes);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void fdClosedAfterItsEventFiredAndReopenedWithTheSameNumberIsWatchedAgain(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] first = fds.pair();
            fds.write(first[1], "1");
            final List<Integer> fired = new ArrayList<>();
            Event.create(base, first[0], Ev.READ, (fd, what) -> fired.add(what)).add(60, TimeUnit.SECONDS);
            assertEquals(1, base.dispatch());
            fds.close(first[0]);
            fds.close(first[1]);
            final int[] second = fds.pair();
            assumeTrue(second[0] == first[0], "the kernel reused the fd number");
            fds.write(second[1], "2");
            Event.create(base, second[0], Ev.READ, (fd, what) -> fired.add(what)).add(5, TimeUnit.SECONDS);
            assertEquals(1, base.dispatch());
            assertEquals(List.of(Ev.READ, Ev.READ), fired, "READ each time, never the timeout");
        }
    }
    @Test
    @EnabledOnOs(OS.LINUX)
    void changesToOneFdBetweenTwoWaitsCostOneEpollCtl()
    {
        // The changelist: however often the interest of an fd changes between two waits, one control call. Every
        // epoll_ctl is made to fail (counted by the fault seam, reported, never retried for ENOMEM).
        final List<Throwable> errors = new ArrayList<>();
        try (EventBase base = EventBase.create(EventBaseConfig.create().method("epoll").errorHandler(errors::add)))
        {
            final int[] pair = fds.pair();
            final Event read = Event.create(base, pair[0], Ev.READ, (fd, what) -> { });
            final Event write = Event.create(base, pair[0], Ev.WRITE, (fd, what) -> { });
            assertEquals(0, base.loop(EventBase.LOOP_NONBLOCK | EventBase.LOOP_NO_EXIT_ON_EMPTY), "wake-up fd added");
            SyscallFaults.failNext(SyscallFaults.Call.EPOLL_CTL, Errno.ENOMEM, 100);
            try
            {
                read.add();
                write.add();
                read.del();
                write.del();
                read.add();
                write.add();
                write.del();
                assertEquals(0, base.loop(EventBase.LOOP_NONBLOCK));
                assertEquals(99, SyscallFaults.pending(SyscallFaults.Call.EPOLL_CTL), "one epoll_ctl for the fd");
                assertEquals(1, errors.size(), errors::toString);
                assertTrue(errors.get(0).getMessage().contains("EPOLL_CTL_ADD, fd " + pair[0]),
                    errors.get(0).getMessage());
                assertEquals(0, base.loop(EventBase.LOOP_NONBLOCK));
                assertEquals(99, SyscallFaults.pending(SyscallFaults.Call.EPOLL_CTL), "nothing changed: no call");
            }
            finally
            {
                SyscallFaults.clear(SyscallFaults.Call.EPOLL_CTL);
            }
        }
    }
}
