package io.panamax.internal.loop;

import io.panamax.ffm.Errno;
import io.panamax.ffm.Libc;
import io.panamax.ffm.PollfdDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loop's wake-up: the fd kind (eventfd here, a pipe where there is none) becomes readable on a signal and is
 * drained; the backend's own kind (kqueue's EVFILT_USER) has no fd and only runs its trigger; and the inbox sends
 * at most one wake-up per sleep whichever kind it drives.
 */
class WakeupTest
{
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment callState = Errno.allocateCallState(arena);
    private final MemorySegment pollfd = arena.allocate(PollfdDescriptor.LENGTH, 8);

    @AfterEach
    void close()
    {
        arena.close();
    }

    @Test
    void fdWakeUpIsReadableAfterASignalUntilDrained()
    {
        final Wakeup wakeup = new Wakeup();
        try
        {
            assertTrue(wakeup.fd() >= 0);
            assertEquals(0, readable(wakeup.fd()));
            wakeup.signal();
            wakeup.signal();
            assertEquals(1, readable(wakeup.fd()));
            wakeup.drain();
            assertEquals(0, readable(wakeup.fd()), "one drain consumes every signal so far");
        }
        finally
        {
            assertEquals(0, wakeup.close());
        }
        assertEquals(0, wakeup.close(), "close is idempotent");
    }

    @Test
    void backendWakeUpHasNoFdAndOnlyRunsItsTrigger()
    {
        final AtomicInteger triggers = new AtomicInteger();
        final Wakeup wakeup = new Wakeup(triggers::incrementAndGet);
        assertEquals(-1, wakeup.fd());
        wakeup.signal();
        wakeup.signal();
        assertEquals(2, triggers.get());
        wakeup.drain();
        assertEquals(0, wakeup.close());
        assertEquals(2, triggers.get(), "drain and close fire nothing");
    }

    @Test
    void inboxWakesABackendWakeUpAtMostOncePerSleep()
    {
        final AtomicInteger triggers = new AtomicInteger();
        final TaskInbox inbox = new TaskInbox(16, new Wakeup(triggers::incrementAndGet));
        final Runnable task = () -> { };
        assertTrue(inbox.offer(task));
        assertEquals(0, triggers.get(), "an awake loop is not woken");
        assertTrue(!inbox.prepareToSleep(), "a queued task cancels the sleep");
        inbox.awake();
        while (null != inbox.poll())
        {
            Thread.onSpinWait();
        }
        assertTrue(inbox.prepareToSleep());
        assertTrue(inbox.offer(task));
        assertTrue(inbox.offer(task));
        assertEquals(1, triggers.get(), "one wake-up for the sleep, however many tasks");
        assertEquals(1, inbox.wakeupsSent());
        inbox.awake();
        assertTrue(inbox.offer(task));
        assertEquals(1, triggers.get());
    }

    private int readable(final int fd)
    {
        pollfd.set(JAVA_INT, PollfdDescriptor.FD_OFFSET, fd);
        pollfd.set(JAVA_SHORT, PollfdDescriptor.EVENTS_OFFSET, PollfdDescriptor.POLLIN);
        pollfd.set(JAVA_SHORT, PollfdDescriptor.REVENTS_OFFSET, (short)0);
        final int n = Libc.poll(callState, pollfd, 1, 0);
        assertTrue(n >= 0, "poll failed: " + n);
        return n;
    }
}
