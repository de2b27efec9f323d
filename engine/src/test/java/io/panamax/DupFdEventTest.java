package io.panamax;

import io.panamax.ffm.Errno;
import io.panamax.ffm.Libc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events on dup'd fds, on every backend that runs here (the "dup'd fds" item of the issue; libevent's epoll.c
 * EEXIST/ENOENT retries, libevent-contracts.md): an fd and its duplicate carry events of their own, closing one
 * leaves the other working, and an fd number that comes back on the same or another socket behind the loop's back
 * (the cases where epoll answers ADD with EEXIST or MOD with ENOENT) still gets its events, with nothing reported.
 */
class DupFdEventTest
{
    private final TestFds fds = new TestFds();
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment callState = Errno.allocateCallState(arena);
    private final List<Integer> dups = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        for (final int fd : dups)
        {
            Libc.close(callState, fd);
        }
        arena.close();
        fds.close();
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void fdAndItsDupBothFireAndTheDupKeepsWorkingAfterTheFdIsDeletedAndClosed(final String method)
    {
        try (EventBase base = base(method))
        {
            final int[] pair = fds.pair();
            final int copy = dup(pair[0]);
            final int[] calls = new int[2];
            final Event original = Event.create(base, pair[0], Ev.READ | Ev.PERSIST, (fd, what) -> calls[0]++);
            final Event duplicate = Event.create(base, copy, Ev.READ | Ev.PERSIST, (fd, what) ->
            {
                calls[1]++;
                fds.read(fd, 64);
            });
            original.add();
            duplicate.add();
            fds.write(pair[1], "a");
            assertEquals(0, once(base));
            assertEquals(1, calls[0], "the original fd fired");
            assertEquals(1, calls[1], "and its dup, on the same socket");

            original.del();
            fds.close(pair[0]);
            fds.write(pair[1], "b");
            assertEquals(0, once(base));
            assertEquals(1, calls[0]);
            assertEquals(2, calls[1], "the dup still gets the socket's events");
            assertEquals(0, original.pending(Ev.READ));
            assertEquals(Ev.READ, duplicate.pending(Ev.READ));
            assertTrue(errors.isEmpty(), errors::toString);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void closingTheDupLeavesTheOriginalWorking(final String method)
    {
        try (EventBase base = base(method))
        {
            final int[] pair = fds.pair();
            final int copy = dup(pair[0]);
            final int[] calls = new int[2];
            final Event duplicate = Event.create(base, copy, Ev.READ | Ev.PERSIST, (fd, what) -> calls[1]++);
            Event.create(base, pair[0], Ev.READ | Ev.PERSIST, (fd, what) ->
            {
                calls[0]++;
                fds.read(fd, 64);
            }).add();
            duplicate.add();
            assertEquals(0, base.loop(EventBase.LOOP_NONBLOCK), "registrations applied");
            duplicate.del();
            closeDup(copy);
            fds.write(pair[1], "c");
            assertEquals(0, once(base));
            assertEquals(1, calls[0]);
            assertEquals(0, calls[1]);
            assertTrue(errors.isEmpty(), errors::toString);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void fdNumberDupedBackOntoTheSameSocketAfterACloseGetsItsEvents(final String method)
    {
        // epoll: the DEL after the close fails (EBADF, ignored) and the kernel keeps the (socket, fd) registration
        // alive through the dup, so the next ADD of that number answers EEXIST and must be retried as MOD.
        try (EventBase base = base(method))
        {
            final int[] pair = fds.pair();
            final int keep = dup(pair[0]);
            final int[] calls = new int[1];
            final Event first = Event.create(base, pair[0], Ev.READ | Ev.PERSIST, (fd, what) -> calls[0]++);
            first.add();
            assertEquals(0, base.loop(EventBase.LOOP_NONBLOCK));
            first.del();
            assertEquals(0, Libc.close(callState, pair[0]));
            assertEquals(0, base.loop(EventBase.LOOP_NONBLOCK | EventBase.LOOP_NO_EXIT_ON_EMPTY), "DEL applied");
            assertEquals(pair[0], Libc.dup2(callState, keep, pair[0]), "the number names the same socket again");
            final Event second = Event.create(base, pair[0], Ev.READ | Ev.WRITE | Ev.PERSIST, (fd, what) ->
            {
                calls[0] += 0 != (what & Ev.READ) ? 10 : 0;
                fds.read(fd, 64);
            });
            second.add();
            fds.write(pair[1], "d");
            assertEquals(0, once(base));
            assertEquals(10, calls[0], "the new event fired with READ; the deleted one did not");
            assertTrue(errors.isEmpty(), errors::toString);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void fdNumberReusedForAnotherSocketUnderAPendingEventGetsItsEvents(final String method)
    {
        // epoll: closing the only fd of a socket drops its registration, so the loop's MOD for the number's new
        // socket answers ENOENT and must be retried as ADD.
        try (EventBase base = base(method))
        {
            final int[] first = fds.pair();
            final int[] calls = new int[2];
            Event.create(base, first[0], Ev.READ | Ev.PERSIST, (fd, what) ->
            {
                calls[0]++;
                fds.read(fd, 64);
            }).add();
            assertEquals(0, base.loop(EventBase.LOOP_NONBLOCK));
            final int[] second = fds.pair();
            assertEquals(first[0], Libc.dup2(callState, second[0], first[0]), "first[0] now names second's socket");
            final Event writer = Event.create(base, first[0], Ev.WRITE, (fd, what) -> calls[1]++);
            writer.add();
            fds.write(second[1], "e");
            assertEquals(0, once(base));
            assertEquals(1, calls[0], "READ of the new socket reaches the old event");
            assertEquals(1, calls[1], "WRITE of the new socket reaches the new event");
            assertTrue(errors.isEmpty(), errors::toString);
        }
    }

    /** One iteration that runs callbacks, bounded: a registration that did not work fails the test, never hangs it. */
    private static int once(final EventBase base)
    {
        base.loopExit(5, TimeUnit.SECONDS);
        return base.loop(EventBase.LOOP_ONCE);
    }

    private EventBase base(final String method)
    {
        return EventBase.create(EventBaseConfig.create().method(method).errorHandler(errors::add));
    }

    private int dup(final int fd)
    {
        final int copy = Libc.dup(callState, fd);
        assertTrue(copy >= 0, () -> "dup: " + Errno.describe(-copy));
        assertEquals(0, Libc.setFlags(callState, copy, Libc.O_NONBLOCK));
        dups.add(copy);
        return copy;
    }

    private void closeDup(final int fd)
    {
        dups.remove((Integer)fd);
        assertEquals(0, Libc.close(callState, fd));
    }
}
