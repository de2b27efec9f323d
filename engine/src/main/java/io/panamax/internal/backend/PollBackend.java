package io.panamax.internal.backend;

import io.panamax.Ev;
import io.panamax.EventBaseConfig;
import io.panamax.ffm.Errno;
import io.panamax.ffm.Libc;
import io.panamax.ffm.PollfdDescriptor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * poll {@link Backend}: portable, O(n) per wait, so the loop's logic can be tested on any OS. Interest changes
 * edit the {@code pollfd} array directly (no system call, so nothing to collapse). HUP, ERR and NVAL are reported
 * as READ|WRITE, as libevent's {@code poll.c} does, so an fd closed under a pending event wakes it with READ.
 * No ET and no early close.
 * <p>
 * <b>Thread-safety:</b> confined to the loop thread of its base, {@link #close()} included.
 */
public final class PollBackend implements Backend
{
    private final Arena arena = Arena.ofShared();
    private final MemorySegment callState = Errno.allocateCallState(arena);
    private MemorySegment pollfds;
    private int[] slotByFd = new int[64];
    private int[] fdBySlot = new int[16];
    private int size;
    private boolean closed;

    /**
     * Create an empty poll set.
     */
    public PollBackend()
    {
        pollfds = arena.allocate(PollfdDescriptor.LENGTH * fdBySlot.length, 8);
    }

    /** {@inheritDoc} */
    @Override
    public String method()
    {
        return "poll";
    }

    /** {@inheritDoc} */
    @Override
    public int features()
    {
        return EventBaseConfig.FEATURE_FDS;
    }

    /** {@inheritDoc} */
    @Override
    public void changeInterest(final int fd, final int oldInterest, final int newInterest)
    {
        if (fd >= slotByFd.length)
        {
            slotByFd = Arrays.copyOf(slotByFd, Math.max(fd + 1, slotByFd.length << 1));
        }
        final short events = encode(newInterest);
        final int slot = slotByFd[fd] - 1;
        if (0 == events)
        {
            if (slot >= 0)
            {
                removeSlot(fd, slot);
            }
            return;
        }
        if (slot >= 0)
        {
            pollfds.set(JAVA_SHORT, slot * PollfdDescriptor.LENGTH + PollfdDescriptor.EVENTS_OFFSET, events);
            return;
        }
        if (size == fdBySlot.length)
        {
            grow();
        }
        final long base = size * PollfdDescriptor.LENGTH;
        pollfds.set(JAVA_INT, base + PollfdDescriptor.FD_OFFSET, fd);
        pollfds.set(JAVA_SHORT, base + PollfdDescriptor.EVENTS_OFFSET, events);
        pollfds.set(JAVA_SHORT, base + PollfdDescriptor.REVENTS_OFFSET, (short)0);
        fdBySlot[size] = fd;
        slotByFd[fd] = ++size;
    }

    /** {@inheritDoc} */
    @Override
    public void flush(final int fd)
    {
        // Nothing is deferred.
    }

    /** {@inheritDoc} */
    @Override
    public int dispatch(final long timeoutNs, final boolean roundDown, final ReadyHandler handler)
    {
        final int n = size;
        final int rc = Libc.poll(callState, pollfds, n, Backend.toMillis(timeoutNs, roundDown));
        if (rc <= 0)
        {
            return -Errno.EINTR == rc ? 0 : rc;
        }
        final MemorySegment pollfds = this.pollfds;
        int found = 0;
        for (int i = 0; i < n && found < rc; i++)
        {
            final long base = i * PollfdDescriptor.LENGTH;
            final int revents = pollfds.get(JAVA_SHORT, base + PollfdDescriptor.REVENTS_OFFSET);
            if (0 != revents)
            {
                found++;
                handler.onReady(fdBySlot[i], decode(revents));
            }
        }
        return found;
    }

    /** {@inheritDoc} */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            arena.close();
        }
    }

    /**
     * @param revents poll's result bits.
     * @return {@code Ev} bits: HUP/ERR/NVAL count as READ|WRITE.
     */
    public static int decode(final int revents)
    {
        int what = 0;
        if (0 != (revents & (PollfdDescriptor.POLLHUP | PollfdDescriptor.POLLERR | PollfdDescriptor.POLLNVAL)))
        {
            what = Ev.READ | Ev.WRITE;
        }
        if (0 != (revents & PollfdDescriptor.POLLIN))
        {
            what |= Ev.READ;
        }
        if (0 != (revents & PollfdDescriptor.POLLOUT))
        {
            what |= Ev.WRITE;
        }
        return what;
    }

    private static short encode(final int interest)
    {
        int events = 0;
        if (0 != (interest & Ev.READ))
        {
            events |= PollfdDescriptor.POLLIN;
        }
        if (0 != (interest & Ev.WRITE))
        {
            events |= PollfdDescriptor.POLLOUT;
        }
        return (short)events;
    }

    private void removeSlot(final int fd, final int slot)
    {
        final int last = --size;
        slotByFd[fd] = 0;
        if (slot != last)
        {
            final int movedFd = fdBySlot[last];
            MemorySegment.copy(pollfds, last * PollfdDescriptor.LENGTH, pollfds, slot * PollfdDescriptor.LENGTH,
                PollfdDescriptor.LENGTH);
            fdBySlot[slot] = movedFd;
            slotByFd[movedFd] = slot + 1;
        }
    }

    private void grow()
    {
        final int capacity = fdBySlot.length << 1;
        final MemorySegment bigger = arena.allocate(PollfdDescriptor.LENGTH * capacity, 8);
        MemorySegment.copy(pollfds, 0, bigger, 0, size * PollfdDescriptor.LENGTH);
        pollfds = bigger;
        fdBySlot = Arrays.copyOf(fdBySlot, capacity);
    }
}
