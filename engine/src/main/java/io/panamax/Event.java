package io.panamax;

import io.panamax.internal.loop.EvCore;
import io.panamax.internal.loop.Loop;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An event (libevent's {@code struct event}): an fd to watch for {@link Ev#READ}/{@link Ev#WRITE}/
 * {@link Ev#CLOSED}, a signal ({@link Ev#SIGNAL}), or nothing (a timer), with an optional timeout, and a
 * callback. Allocate events at setup and re-arm them with {@link #add()}: adding, deleting and firing allocate
 * nothing.
 * <p>
 * A non-persistent event is deleted right before its callback runs; a {@link Ev#PERSIST} one stays pending and its
 * timeout is re-armed at the previous deadline + the interval after a timeout, or now + the interval after any
 * other activation (missed periods are never replayed). All events on one fd are edge-triggered ({@link Ev#ET})
 * or none.
 * <p>
 * <b>Thread-safety:</b> used on its base's owner thread (checked: {@link IllegalStateException}), except
 * {@link #active(int)}, {@link #add()}, {@link #add(long, TimeUnit)} and {@link #del()}, which other threads may
 * call: the change is applied by the loop thread in its next iteration (a cross-thread {@code del} of the last
 * event makes {@code dispatch} return).
 */
public final class Event implements AutoCloseable
{
    private final EventBase base;
    private final EvCore core;

    private Event(final EventBase base, final int fd, final int events, final EventCallback callback)
    {
        if (null == callback)
        {
            throw new NullPointerException("callback");
        }
        Loop.checkFd(fd, events);
        this.base = base;
        this.core = new EvCore(base.loop(), fd, events, callback, this);
    }

    /**
     * libevent's {@code event_new}.
     *
     * @param base     the base.
     * @param fd       the fd (-1 for none), or the signal number with {@link Ev#SIGNAL}.
     * @param events   {@link Ev#READ}, {@link Ev#WRITE}, {@link Ev#CLOSED}, {@link Ev#SIGNAL}, {@link Ev#PERSIST},
     *                 {@link Ev#ET}, {@link Ev#TIMEOUT} (ignored).
     * @param callback what to run.
     * @return the event, neither pending nor active.
     * @throws IllegalArgumentException for SIGNAL with READ/WRITE/CLOSED, or an invalid fd or signal.
     */
    public static Event create(final EventBase base, final int fd, final int events, final EventCallback callback)
    {
        base.loop().checkOwner();
        return new Event(base, fd, events, callback);
    }

    /**
     * libevent's {@code evtimer_new}: a timer (fd -1, no events).
     *
     * @param base     the base.
     * @param callback what to run.
     * @return the event.
     */
    public static Event timer(final EventBase base, final EventCallback callback)
    {
        return create(base, -1, 0, callback);
    }

    /**
     * libevent's {@code evsignal_new}: a persistent signal event.
     *
     * @param base     the base.
     * @param signum   the signal number.
     * @param callback what to run, on the loop thread.
     * @return the event.
     */
    public static Event signal(final EventBase base, final int signum, final EventCallback callback)
    {
        return create(base, signum, Ev.SIGNAL | Ev.PERSIST, callback);
    }

    /**
     * {@link #signal(EventBase, int, EventCallback)} by name (beyond libevent; signal numbers differ per OS).
     *
     * @param base     the base.
     * @param name     {@code "HUP"}, {@code "SIGUSR2"}, ...
     * @param callback what to run, on the loop thread.
     * @return the event.
     */
    public static Event signal(final EventBase base, final String name, final EventCallback callback)
    {
        return signal(base, Loop.signalNumber(name), callback);
    }

    /**
     * @param name a signal name, {@code "HUP"} or {@code "SIGHUP"}.
     * @return its number on this OS.
     * @throws IllegalArgumentException when unknown.
     */
    public static int signalNumber(final String name)
    {
        return Loop.signalNumber(name);
    }

    EvCore core()
    {
        return core;
    }

    /**
     * libevent's {@code event_add(ev, NULL)}: make the event pending; an existing timeout stays. Any thread.
     *
     * @throws IllegalArgumentException when ET and non-ET events would mix on the fd, or the signal cannot be
     *                                  handled by Java.
     */
    public void add()
    {
        final Loop loop = core.loop();
        if (loop.isOwnerThread())
        {
            loop.add(core, -1);
        }
        else
        {
            loop.execute(() -> loop.add(core, -1));
        }
    }

    /**
     * libevent's {@code event_add(ev, tv)}: make the event pending with a timeout that replaces any existing one.
     * Any thread.
     *
     * @param timeout the timeout (0 = the next iteration).
     * @param unit    its unit.
     */
    public void add(final long timeout, final TimeUnit unit)
    {
        final long ns = Math.max(0, unit.toNanos(timeout));
        final Loop loop = core.loop();
        if (loop.isOwnerThread())
        {
            loop.add(core, ns);
        }
        else
        {
            loop.execute(() -> loop.add(core, ns));
        }
    }

    /**
     * {@link #add(long, TimeUnit)} with a {@link Duration}.
     *
     * @param timeout the timeout.
     */
    public void add(final Duration timeout)
    {
        add(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * libevent's {@code event_add} with a common timeout: O(1), FIFO among the events of that duration.
     *
     * @param timeout a common timeout of this event's base.
     * @throws IllegalArgumentException when it belongs to another base.
     */
    public void add(final CommonTimeout timeout)
    {
        core.loop().add(core, timeout.queue());
    }

    /**
     * libevent's {@code event_del}: neither pending nor active afterwards. Any thread.
     */
    public void del()
    {
        final Loop loop = core.loop();
        if (loop.isOwnerThread())
        {
            loop.del(core);
        }
        else
        {
            loop.execute(() -> loop.del(core));
        }
    }

    /**
     * libevent's {@code event_remove_timer}: drop the timeout, keep the fd/signal part pending.
     */
    public void removeTimer()
    {
        core.loop().removeTimer(core);
    }

    /**
     * libevent's {@code event_active}: make the event active, pending or not; bits OR together until the callback
     * runs. Any thread (no allocation either way).
     *
     * @param res the bits the callback gets.
     */
    public void active(final int res)
    {
        final Loop loop = core.loop();
        if (loop.isOwnerThread())
        {
            loop.active(core, res, 1);
        }
        else
        {
            core.activeFromAnyThread(res);
        }
    }

    /**
     * libevent's {@code event_pending}.
     *
     * @param what {@link Ev#READ}, {@link Ev#WRITE}, {@link Ev#CLOSED}, {@link Ev#SIGNAL}, {@link Ev#TIMEOUT}.
     * @return the subset of {@code what} that is pending or active.
     */
    public int pending(final int what)
    {
        return core.loop().pending(core, what);
    }

    /**
     * The {@code tv} of libevent's {@code event_pending}: when the pending timeout expires.
     *
     * @return wall-clock nanoseconds since the epoch, or -1 when no timeout is pending.
     */
    public long pendingExpiryNs()
    {
        final Loop loop = core.loop();
        final long deadlineNs = loop.timeoutDeadlineNs(core);
        return -1 == deadlineNs ? -1 : loop.toWall(deadlineNs);
    }

    /**
     * libevent's {@code event_priority_set}.
     *
     * @param priority 0 (most urgent) ≤ priority &lt; {@link EventBase#npriorities()}.
     * @throws IllegalStateException when the event is active.
     */
    public void priority(final int priority)
    {
        core.loop().priority(core, priority);
    }

    /**
     * @return libevent's {@code event_get_priority}.
     */
    public int priority()
    {
        return core.priority();
    }

    /**
     * @return libevent's {@code event_get_fd}: the fd, the signal number, or -1.
     */
    public int fd()
    {
        return core.fd();
    }

    /**
     * @return libevent's {@code event_get_events}.
     */
    public int events()
    {
        return core.events();
    }

    /**
     * @return libevent's {@code event_get_callback}.
     */
    public EventCallback callback()
    {
        return core.callback();
    }

    /**
     * @return libevent's {@code event_get_base}.
     */
    public EventBase base()
    {
        return base;
    }

    /**
     * @return true after {@link #close()}.
     */
    public boolean isClosed()
    {
        return core.isClosed();
    }

    /**
     * libevent's {@code event_free}: delete the event and refuse further use. Safe from the event's own callback.
     * Idempotent; after the base closed it only marks the event closed.
     */
    @Override
    public void close()
    {
        core.loop().close(core);
    }
}
