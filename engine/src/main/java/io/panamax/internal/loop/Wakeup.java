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
 * The fd that wakes a sleeping loop: an eventfd on Linux, a non-blocking pipe elsewhere (libevent's
 * {@code evthread_notify_base}). {@link #signal()} may be called from any thread; {@link #drain()} and
 * {@link #close()} belong to the loop thread.
 * <p>
 * <b>Thread-safety:</b> {@link #signal()} from any thread (each thread uses its own scratch segment); the rest on
 * the loop thread.
 */
final class Wakeup
{
    private static final ThreadLocal<MemorySegment> SCRATCH = ThreadLocal.withInitial(() ->
        Arena.ofAuto().allocate(Errno.CALL_STATE_LAYOUT.byteSize() + 16, 8));
    private static final long VALUE_OFFSET = (Errno.CALL_STATE_LAYOUT.byteSize() + 7) & ~7L;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment callState = Errno.allocateCallState(arena);
    private final MemorySegment buffer = arena.allocate(64, 8);
    private final int readFd;
    private final int writeFd;
    private final boolean eventFd;
    private boolean closed;

    Wakeup()
    {
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

    int fd()
    {
        return readFd;
    }

    /**
     * Make the fd readable. A full eventfd or pipe already is, so EAGAIN is success.
     */
    void signal()
    {
        final MemorySegment scratch = SCRATCH.get();
        scratch.set(JAVA_LONG, VALUE_OFFSET, 1L);
        Libc.write(scratch, writeFd, scratch.asSlice(VALUE_OFFSET, 8), eventFd ? EventFd.VALUE_LENGTH : 1);
    }

    /**
     * Consume every pending wake-up.
     */
    void drain()
    {
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
     * @return 0, or the first failing close's {@code -errno}.
     */
    int close()
    {
        if (closed)
        {
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
