package io.panamax.internal.loop;

import io.panamax.Ev;
import io.panamax.internal.backend.Backend;

import java.util.Arrays;

/**
 * fd → events (libevent's {@code evmap}): arrays indexed by fd, no boxing, any number of events per fd. It keeps
 * the union of interest per fd and tells the {@link Backend} only when that union changes. All events on one fd
 * are edge-triggered or none; a partial delete keeps ET on the rest (libevent #636).
 * <p>
 * The same structure, without a backend, indexes signal events by signal number.
 * <p>
 * <b>Thread-safety:</b> NOT thread safe; confined to the loop thread.
 */
final class IoMap
{
    /** Largest fd accepted (fds are small integers; this rejects garbage like INT_MAX cleanly). */
    static final int MAX_FD = (1 << 24) - 1;

    private EvCore[] heads = new EvCore[64];
    private int[] reads = new int[64];
    private int[] writes = new int[64];
    private int[] closes = new int[64];
    private boolean[] edge = new boolean[64];

    /**
     * @param fd an fd.
     * @return the interest bits of the fd (0 when none).
     */
    int interest(final int fd)
    {
        if (fd >= heads.length || null == heads[fd])
        {
            return 0;
        }
        int interest = 0;
        if (reads[fd] > 0)
        {
            interest |= Ev.READ;
        }
        if (writes[fd] > 0)
        {
            interest |= Ev.WRITE;
        }
        if (closes[fd] > 0)
        {
            interest |= Ev.CLOSED;
        }
        if (0 != interest && edge[fd])
        {
            interest |= Ev.ET;
        }
        return interest;
    }

    /**
     * @param fd an fd.
     * @return the first event of the fd, or null.
     */
    EvCore head(final int fd)
    {
        return fd < heads.length ? heads[fd] : null;
    }

    /**
     * Link an event; tell the backend if the fd's interest changed.
     *
     * @param ev      the event (its fd is checked by the caller).
     * @param backend the backend, or null for the signal map.
     * @throws IllegalArgumentException when ET and non-ET events would mix on the fd.
     */
    void add(final EvCore ev, final Backend backend)
    {
        final int fd = ev.fd;
        ensure(fd);
        final boolean et = 0 != (ev.events & Ev.ET);
        final EvCore head = heads[fd];
        if (null != head && edge[fd] != et)
        {
            throw new IllegalArgumentException("fd " + fd + ": all events on one fd must be edge-triggered (Ev.ET) " +
                "or none");
        }
        final int old = interest(fd);
        edge[fd] = et;
        ev.fdPrev = null;
        ev.fdNext = head;
        if (null != head)
        {
            head.fdPrev = ev;
        }
        heads[fd] = ev;
        count(ev, 1);
        if (null != backend)
        {
            final int now = interest(fd);
            if (now != old)
            {
                backend.changeInterest(fd, old, now);
            }
        }
    }

    /**
     * Unlink an event; tell the backend if the fd's interest changed.
     *
     * @param ev      a linked event.
     * @param backend the backend, or null for the signal map.
     */
    void remove(final EvCore ev, final Backend backend)
    {
        final int fd = ev.fd;
        final int old = interest(fd);
        if (null != ev.fdPrev)
        {
            ev.fdPrev.fdNext = ev.fdNext;
        }
        else
        {
            heads[fd] = ev.fdNext;
        }
        if (null != ev.fdNext)
        {
            ev.fdNext.fdPrev = ev.fdPrev;
        }
        ev.fdPrev = null;
        ev.fdNext = null;
        count(ev, -1);
        if (null != backend)
        {
            final int now = interest(fd);
            if (now != old)
            {
                backend.changeInterest(fd, old, now);
            }
        }
    }

    private void count(final EvCore ev, final int delta)
    {
        final int fd = ev.fd;
        if (0 != (ev.events & Ev.READ))
        {
            reads[fd] += delta;
        }
        if (0 != (ev.events & Ev.WRITE))
        {
            writes[fd] += delta;
        }
        if (0 != (ev.events & Ev.CLOSED))
        {
            closes[fd] += delta;
        }
    }

    private void ensure(final int fd)
    {
        if (fd >= heads.length)
        {
            final int length = Math.max(fd + 1, heads.length << 1);
            heads = Arrays.copyOf(heads, length);
            reads = Arrays.copyOf(reads, length);
            writes = Arrays.copyOf(writes, length);
            closes = Arrays.copyOf(closes, length);
            edge = Arrays.copyOf(edge, length);
        }
    }
}
