package io.panamax.internal.backend;

import io.panamax.ErrorHandler;
import io.panamax.Ev;
import io.panamax.EventBaseConfig;
import io.panamax.PanamaxException;
import io.panamax.ffm.Epoll;
import io.panamax.ffm.EpollEventDescriptor;
import io.panamax.ffm.Errno;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * epoll {@link Backend}: level-triggered by default, {@link Ev#ET} → EPOLLET, {@link Ev#CLOSED} → EPOLLRDHUP.
 * Changes are collapsed per fd and applied right before {@code epoll_wait}; ADD→EEXIST is retried as MOD and
 * MOD→ENOENT as ADD, DEL→ENOENT/EBADF/EPERM is ignored (the fd was closed), as libevent's {@code epoll.c} does.
 * The result array starts at 32 entries and doubles up to 4096 whenever a wait fills it.
 * <p>
 * <b>Thread-safety:</b> confined to the loop thread of its base, {@link #close()} included.
 */
public final class EpollBackend implements Backend
{
    private static final int INITIAL_EVENTS = 32;
    private static final int MAX_EVENTS = 4096;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment callState = Errno.allocateCallState(arena);
    private final MemorySegment ctlEvent = arena.allocate(EpollEventDescriptor.LAYOUT);
    private final ChangeList changes = new ChangeList();
    private final ErrorHandler errorHandler;
    private MemorySegment events;
    private int capacity;
    private int epfd;
    private boolean closed;

    /**
     * @param errorHandler receives failed control calls (they cannot be returned to anyone).
     * @throws PanamaxException when {@code epoll_create1} fails.
     */
    public EpollBackend(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        final int fd = Epoll.epollCreate1(callState, Epoll.EPOLL_CLOEXEC);
        if (fd < 0)
        {
            arena.close();
            PanamaxException.check(fd, "epoll_create1", "EPOLL_CLOEXEC");
        }
        epfd = fd;
        capacity = INITIAL_EVENTS;
        events = arena.allocate(EpollEventDescriptor.LENGTH * capacity, 8);
    }

    /** {@inheritDoc} */
    @Override
    public String method()
    {
        return "epoll";
    }

    /** {@inheritDoc} */
    @Override
    public int features()
    {
        return EventBaseConfig.FEATURE_ET | EventBaseConfig.FEATURE_O1 | EventBaseConfig.FEATURE_EARLY_CLOSE;
    }

    /**
     * {@inheritDoc} Yes for epoll: the walk reads its own result array, changes are applied only before the next
     * {@code epoll_wait}, and a {@link #flush} is an {@code epoll_ctl} that leaves the array alone.
     */
    @Override
    public boolean callbacksDuringWalk()
    {
        return true;
    }

    /** {@inheritDoc} */
    @Override
    public void changeInterest(final int fd, final int oldInterest, final int newInterest)
    {
        changes.record(fd, oldInterest, newInterest);
    }

    /** {@inheritDoc} */
    @Override
    public void flush(final int fd)
    {
        final int index = changes.indexOf(fd);
        if (index >= 0)
        {
            apply(fd, changes.oldInterest(index), changes.newInterest(index), changes.removed(index));
            changes.take(index);
        }
    }

    /** {@inheritDoc} */
    @Override
    public int dispatch(final long timeoutNs, final boolean roundDown, final ReadyHandler handler)
    {
        applyChanges();
        final int n = Epoll.epollWait(callState, epfd, events, capacity, Backend.toMillis(timeoutNs, roundDown));
        if (n <= 0)
        {
            return -Errno.EINTR == n ? 0 : n;
        }
        final MemorySegment events = this.events;
        for (int i = 0; i < n; i++)
        {
            final int what = events.get(JAVA_INT_UNALIGNED, EpollEventDescriptor.eventsOffset(i));
            final int fd = (int)events.get(JAVA_LONG_UNALIGNED, EpollEventDescriptor.dataOffset(i));
            handler.onReady(fd, decode(what));
        }
        if (n == capacity && capacity < MAX_EVENTS)
        {
            capacity <<= 1;
            this.events = arena.allocate(EpollEventDescriptor.LENGTH * capacity, 8);
        }
        return n;
    }

    /** {@inheritDoc} */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        final int fd = epfd;
        epfd = -1;
        Backends.closeKernelFd(arena, callState, fd, "epoll fd", errorHandler);
    }

    /**
     * Translate epoll's result bits as libevent does: ERR, or HUP without RDHUP, mean READ|WRITE.
     *
     * @param epollEvents the kernel's bits.
     * @return {@code Ev} bits, always with {@link Ev#ET} (the loop keeps it only for ET events).
     */
    public static int decode(final int epollEvents)
    {
        int what;
        if (0 != (epollEvents & Epoll.EPOLLERR) ||
            (0 != (epollEvents & Epoll.EPOLLHUP) && 0 == (epollEvents & Epoll.EPOLLRDHUP)))
        {
            what = Ev.READ | Ev.WRITE;
        }
        else
        {
            what = 0;
            if (0 != (epollEvents & Epoll.EPOLLIN))
            {
                what |= Ev.READ;
            }
            if (0 != (epollEvents & Epoll.EPOLLOUT))
            {
                what |= Ev.WRITE;
            }
            if (0 != (epollEvents & Epoll.EPOLLRDHUP))
            {
                what |= Ev.CLOSED;
            }
        }
        return what | Ev.ET;
    }

    /**
     * @param interest {@code Ev} interest bits.
     * @return the epoll event mask, 0 when nothing is wanted.
     */
    public static int encode(final int interest)
    {
        if (0 == (interest & (Ev.READ | Ev.WRITE | Ev.CLOSED)))
        {
            return 0;
        }
        int events = 0;
        if (0 != (interest & Ev.READ))
        {
            events |= Epoll.EPOLLIN;
        }
        if (0 != (interest & Ev.WRITE))
        {
            events |= Epoll.EPOLLOUT;
        }
        if (0 != (interest & Ev.CLOSED))
        {
            events |= Epoll.EPOLLRDHUP;
        }
        if (0 != (interest & Ev.ET))
        {
            events |= Epoll.EPOLLET;
        }
        return events;
    }

    private void applyChanges()
    {
        final ChangeList changes = this.changes;
        for (int i = 0, size = changes.size(); i < size; i++)
        {
            final int fd = changes.fd(i);
            if (fd >= 0)
            {
                apply(fd, changes.oldInterest(i), changes.newInterest(i), changes.removed(i));
            }
        }
        changes.clear();
    }

    private void apply(final int fd, final int oldInterest, final int newInterest, final boolean removed)
    {
        final int oldEvents = encode(oldInterest);
        final int newEvents = encode(newInterest);
        if (oldEvents == newEvents && (!removed || 0 == newEvents))
        {
            return;
        }
        if (0 == newEvents)
        {
            final int rc = Epoll.epollCtl(callState, epfd, Epoll.EPOLL_CTL_DEL, fd, ctlEvent);
            if (rc < 0 && -Errno.ENOENT != rc && -Errno.EBADF != rc && -Errno.EPERM != rc)
            {
                report("EPOLL_CTL_DEL", fd, rc);
            }
            return;
        }
        ctlEvent.set(JAVA_INT_UNALIGNED, EpollEventDescriptor.EVENTS_OFFSET, newEvents);
        ctlEvent.set(JAVA_LONG_UNALIGNED, EpollEventDescriptor.DATA_OFFSET, fd);
        if (0 == oldEvents)
        {
            int rc = Epoll.epollCtl(callState, epfd, Epoll.EPOLL_CTL_ADD, fd, ctlEvent);
            if (-Errno.EEXIST == rc)
            {
                rc = Epoll.epollCtl(callState, epfd, Epoll.EPOLL_CTL_MOD, fd, ctlEvent);
            }
            if (rc < 0)
            {
                report("EPOLL_CTL_ADD", fd, rc);
            }
        }
        else
        {
            int rc = Epoll.epollCtl(callState, epfd, Epoll.EPOLL_CTL_MOD, fd, ctlEvent);
            if (-Errno.ENOENT == rc)
            {
                rc = Epoll.epollCtl(callState, epfd, Epoll.EPOLL_CTL_ADD, fd, ctlEvent);
            }
            if (rc < 0)
            {
                report("EPOLL_CTL_MOD", fd, rc);
            }
        }
    }

    private void report(final String op, final int fd, final int rc)
    {
        errorHandler.onError(new PanamaxException("epoll_ctl(" + op + ", fd " + fd + "): " +
            Errno.describe(-rc), -rc));
    }
}
