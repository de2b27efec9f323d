package io.panamax.internal.loop;

import io.panamax.PanamaxException;
import io.panamax.ffm.Errno;
import io.panamax.ffm.EventFd;
import io.panamax.ffm.Libc;
import io.panamax.ffm.Platform;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * What wakes a sleeping loop (libevent's {@code evthread_notify_base}): the backend's own wake-up when it has one
 * ({@code EVFILT_USER} on kqueue: no fd, {@link #fd()} is -1), else an eventfd on Linux, else a non-blocking pipe
 * (poll on macOS). The fd kinds are registered by the loop as an ordinary read interest and drained when ready.
 * <p>
 * <b>Thread-safety:</b> {@link #signal()} from any thread (each thread uses its own scratch segment); the rest on
 * the loop thread.
 */
final class Wakeup
{
    private static final ThreadLocal<MemorySegment> SCRATCH = ThreadLocal.withInitial(() ->
        Arena.ofAuto().allocate(Errno.CALL_STATE_LAYOUT.byteSize() + 16, 8));
    private static final long VALUE_OFFSET = (Errno.CALL_STATE_LAYOUT.byteSize() + 7) & ~7L;

    private final Arena arena;
    private final MemorySegment callState;
    private final MemorySegment buffer;
    private final Runnable trigger;
    private final int readFd;
    private final int writeFd;
    private final boolean eventFd;
    private boolean closed;

    /**
     * An fd wake-up: eventfd on Linux, a pipe elsewhere.
     *
     * @throws PanamaxException when the fd cannot be created.
     */
    Wakeup()
    {
        this.arena = Arena.ofShared();
        this.callState = Errno.allocateCallState(arena);
        this.buffer = arena.allocate(64, 8);
        this.trigger = null;
        eventFd = Platform.IS_LINUX;
        if (eventFd)
        {
            final int fd = EventFd.eventfd(callState, 0, EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC);
            if (fd < 0)
            {
                arena.close();
                PanamaxException.check(fd, "eventfd", "EFD_NONBLOCK|EFD_CLOEXEC");
            }
            readFd = fd;
            writeFd = fd;
        }
        else
        {
            final int rc = Libc.pipe2(callState, buffer, Libc.O_NONBLOCK | Libc.O_CLOEXEC);
            if (rc < 0)
            {
                arena.close();
                PanamaxException.check(rc, "pipe2", "O_NONBLOCK|O_CLOEXEC");
            }
            readFd = buffer.getAtIndex(JAVA_INT, 0);
            writeFd = buffer.getAtIndex(JAVA_INT, 1);
        }
    }

    /**
     * The backend's own wake-up: no fd to register, drain or close.
     *
     * @param trigger fires it (from any thread), e.g. {@code backend::wake}.
     */
    Wakeup(final Runnable trigger)
    {
        this.arena = null;
        this.callState = null;
        this.buffer = null;
        this.trigger = trigger;
        this.readFd = -1;
        this.writeFd = -1;
        this.eventFd = false;
    }

    /**
     * @return the fd the loop watches for READ, or -1 when the backend wakes itself.
     */
    int fd()
    {
        return readFd;
    }

    /**
     * Wake the loop (any thread).
     */
    void signal()
    {
        if (null != trigger)
        {
            trigger.run();
            return;
        }
        final MemorySegment scratch = SCRATCH.get();
        scratch.set(JAVA_LONG, VALUE_OFFSET, 1L);
        Libc.write(scratch, writeFd, scratch.asSlice(VALUE_OFFSET, 8), eventFd ? EventFd.VALUE_LENGTH : 1);
    }

    /**
     * Consume pending wake-ups (loop thread, when {@link #fd()} is readable).
     */
    void drain()
    {
        if (null != trigger)
        {
            return;
        }
        if (eventFd)
        {
            Libc.read(callState, readFd, buffer, EventFd.VALUE_LENGTH);
            return;
        }
        while (Libc.read(callState, readFd, buffer, buffer.byteSize()) == buffer.byteSize())
        {
            Thread.onSpinWait();
        }
    }

    /**
     * Close the fds (loop thread); idempotent.
     *
     * @return 0, or the first {@code -errno} of the closes.
     */
    int close()
    {
        if (closed || null != trigger)
        {
            closed = true;
            return 0;
        }
        closed = true;
        try
        {
            int rc = Libc.close(callState, readFd);
            if (writeFd != readFd)
            {
                final int rc2 = Libc.close(callState, writeFd);
                rc = rc < 0 ? rc : rc2;
            }
            return rc;
        }
        finally
        {
            arena.close();
        }
    }
}
