package io.panamax.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Kqueue#keventVia}, the call logic of {@code kevent} (macOS only), with recording stand-ins for its two
 * handles, so it runs on every OS: a blocking wait captures no errno, and a failed one is asked again, without
 * changes and without waiting, by the capturing call.
 */
class KqueueBlockingWaitTest
{
    private static final MethodType BLOCKING = MethodType.methodType(int.class,
        int.class, MemorySegment.class, int.class, MemorySegment.class, int.class, MemorySegment.class);
    private static final MethodType CAPTURING = BLOCKING.insertParameterTypes(0, MemorySegment.class);

    private final List<String> calls = new ArrayList<>();
    private Arena arena;
    private MemorySegment callState;
    private MemorySegment changes;
    private MemorySegment events;
    private MemorySegment zero;
    private MemorySegment oneSecond;
    private MemorySegment secondCallChanges;
    private int secondCallChangeCount;
    private MemorySegment secondCallTimeout;
    private int blockingResult;
    private int nowResult;
    private int nowErrno;

    @BeforeEach
    void setUp()
    {
        arena = Arena.ofConfined();
        callState = Errno.allocateCallState(arena);
        changes = arena.allocate(KeventDescriptor.LAYOUT, 4);
        events = arena.allocate(KeventDescriptor.LAYOUT, 8);
        zero = arena.allocate(TimespecDescriptor.LAYOUT);
        oneSecond = arena.allocate(TimespecDescriptor.LAYOUT);
        TimespecDescriptor.set(oneSecond, 1_000_000_000L);
    }

    @AfterEach
    void tearDown()
    {
        arena.close();
    }

    int blocking(
        final int kq, final MemorySegment changeList, final int nchanges, final MemorySegment eventList,
        final int nevents, final MemorySegment timeout)
    {
        calls.add("blocking " + nchanges);
        return blockingResult;
    }

    int now(
        final MemorySegment state, final int kq, final MemorySegment changeList, final int nchanges,
        final MemorySegment eventList, final int nevents, final MemorySegment timeout)
    {
        calls.add("now " + nchanges);
        secondCallChanges = changeList;
        secondCallChangeCount = nchanges;
        secondCallTimeout = timeout;
        if (nowResult < 0)
        {
            Errno.errno(state, nowErrno);
        }
        return nowResult;
    }

    private int kevent(final int nchanges, final MemorySegment timeout) throws Throwable
    {
        final MethodHandles.Lookup lookup = MethodHandles.lookup();
        final MethodHandle blocking = lookup.findVirtual(KqueueBlockingWaitTest.class, "blocking", BLOCKING)
            .bindTo(this);
        final MethodHandle now = lookup.findVirtual(KqueueBlockingWaitTest.class, "now", CAPTURING).bindTo(this);
        return Kqueue.keventVia(blocking, now, zero, callState, 3, changes, nchanges, events, 8, timeout);
    }

    @Test
    void zeroTimeoutMakesOnlyTheCapturingCallWithTheChanges() throws Throwable
    {
        nowResult = 2;
        assertEquals(2, kevent(4, zero));
        assertEquals(List.of("now 4"), calls);
        assertSame(changes, secondCallChanges);
    }

    @Test
    void zeroTimeoutFailureReturnsTheCapturedErrno() throws Throwable
    {
        nowResult = -1;
        nowErrno = Errno.EBADF;
        assertEquals(-Errno.EBADF, kevent(1, zero));
        assertEquals(List.of("now 1"), calls);
    }

    @Test
    void blockingWaitThatSucceedsMakesOneCallThatCapturesNothing() throws Throwable
    {
        blockingResult = 5;
        assertEquals(5, kevent(2, oneSecond));
        assertEquals(List.of("blocking 2"), calls);
        blockingResult = 0;
        assertEquals(0, kevent(2, MemorySegment.NULL), "waiting for ever, then a timeout-free return of 0");
        assertEquals(List.of("blocking 2", "blocking 2"), calls);
    }

    @Test
    void failedBlockingWaitAsksAgainWithoutChangesAndWithoutWaiting() throws Throwable
    {
        blockingResult = -1;
        nowResult = 3;
        assertEquals(3, kevent(4, oneSecond), "after a signal: the events ready now, not -EINTR");
        assertEquals(List.of("blocking 4", "now 0"), calls);
        assertTrue(MemorySegment.NULL.equals(secondCallChanges), "the applied changes are not sent twice");
        assertEquals(0, secondCallChangeCount);
        assertSame(zero, secondCallTimeout);
        assertTrue(TimespecDescriptor.isZero(secondCallTimeout));
    }

    @Test
    void failedBlockingWaitReportsTheErrnoThatPersists() throws Throwable
    {
        blockingResult = -1;
        nowResult = -1;
        nowErrno = Errno.EBADF;
        assertEquals(-Errno.EBADF, kevent(0, MemorySegment.NULL));
        assertEquals(List.of("blocking 0", "now 0"), calls);
    }
}
