package io.panamax.internal.loop;

import io.panamax.Ev;
import io.panamax.EventBaseConfig;
import io.panamax.EventCallback;

/**
 * The second layer of a {@link Loop} (see {@link LoopCore}): libevent's event operations and their bookkeeping,
 * {@code event_add}, {@code event_del}, {@code event_active}, {@code event_pending}, {@code event_base_once},
 * {@code active_by_fd}/{@code _by_signal}, and how an event moves between the fd and signal maps, the timer heap and
 * queues, and the active queues.
 * <p>
 * <b>Thread-safety:</b> as {@link Loop}: every operation on the owner thread.
 */
abstract sealed class LoopEvents extends LoopCore permits LoopReady
{
    /**
     * @param config the configuration.
     */
    LoopEvents(final EventBaseConfig config)
    {
        super(config);
    }

    /**
     * libevent's {@code event_add}: make the event pending; a timeout replaces any existing one.
     *
     * @param ev        the event.
     * @param timeoutNs relative timeout, or -1 to leave the timeout as it is.
     * @throws IllegalArgumentException when ET and non-ET events would mix on one fd, or the signal cannot be
     *                                  handled.
     */
    public void add(final EvCore ev, final long timeoutNs)
    {
        checkUsable(ev);
        final int events = ev.events;
        if (0 != (events & (Ev.READ | Ev.WRITE | Ev.CLOSED | Ev.SIGNAL)) && 0 == (ev.flags & EvCore.INSERTED))
        {
            if (0 != (events & Ev.SIGNAL))
            {
                if (null == signals.head(ev.fd))
                {
                    SignalHub.register(ev.fd, (Loop)this);
                }
                signals.add(ev, null);
            }
            else if (ev.fd >= 0)
            {
                io.add(ev, backend);
                ev.insertSeq = ++insertions;
            }
            live.setFlag(ev, EvCore.INSERTED);
        }
        if (timeoutNs >= 0)
        {
            final long timeout = Math.min(timeoutNs, Long.MAX_VALUE >> 2);
            if (0 != (events & Ev.PERSIST))
            {
                ev.intervalNs = timeout;
                ev.intervalQueue = null;
            }
            if (0 != (ev.flags & EvCore.ACTIVE) && 0 != (ev.res & Ev.TIMEOUT))
            {
                unlinkActive(ev);
            }
            timers.schedule(ev, now() + timeout);
        }
    }

    /**
     * libevent's {@code event_base_init_common_timeout}: the queue for this duration, created on first use.
     *
     * @param durationNs the duration.
     * @return the queue (the same object for the same duration).
     * @throws IllegalStateException beyond 256 queues.
     */
    public CommonTimeoutQueue initCommonTimeout(final long durationNs)
    {
        checkOwner();
        if (durationNs < 0)
        {
            throw new IllegalArgumentException("negative duration: " + durationNs);
        }
        return timers.commonTimeout(durationNs, Loop.MAX_COMMON_TIMEOUTS);
    }

    /**
     * {@link #add(EvCore, long)} with a common timeout: O(1), FIFO among events of that duration.
     *
     * @param ev    the event.
     * @param queue a queue from {@link #initCommonTimeout(long)} of this loop.
     */
    public void add(final EvCore ev, final CommonTimeoutQueue queue)
    {
        if (!timers.owns(queue))
        {
            throw new IllegalArgumentException("common timeout of another base");
        }
        add(ev, -1);
        if (0 != (ev.events & Ev.PERSIST))
        {
            ev.intervalNs = queue.durationNs;
            ev.intervalQueue = queue;
        }
        if (0 != (ev.flags & EvCore.ACTIVE) && 0 != (ev.res & Ev.TIMEOUT))
        {
            unlinkActive(ev);
        }
        timers.scheduleCommon(ev, queue, now() + queue.durationNs);
    }

    /**
     * @param ev an event.
     * @return the monotonic deadline of its pending timeout, or -1 when none.
     */
    public long timeoutDeadlineNs(final EvCore ev)
    {
        checkUsable(ev);
        return timers.deadlineOf(ev);
    }

    /**
     * libevent's {@code event_del}: neither pending nor active afterwards.
     *
     * @param ev the event.
     */
    public void del(final EvCore ev)
    {
        checkUsable(ev);
        delete(ev);
        ev.intervalNs = -1;
        ev.intervalQueue = null;
    }

    /**
     * libevent's {@code event_remove_timer}: drop the timeout only.
     *
     * @param ev the event.
     */
    public void removeTimer(final EvCore ev)
    {
        checkUsable(ev);
        timers.unschedule(ev);
        ev.intervalNs = -1;
        ev.intervalQueue = null;
    }

    /**
     * libevent's {@code event_active}: make the event active; bits OR together while it waits to run.
     *
     * @param ev     the event.
     * @param res    {@code Ev} bits its callback gets.
     * @param ncalls for signal events, how many times to call it.
     */
    public void active(final EvCore ev, final int res, final int ncalls)
    {
        checkUsable(ev);
        activate(ev, res, ncalls);
    }

    /**
     * libevent's {@code event_pending}.
     *
     * @param ev   the event.
     * @param what the bits asked about.
     * @return the subset of {@code what} that is pending or active.
     */
    public int pending(final EvCore ev, final int what)
    {
        checkUsable(ev);
        return ev.pendingHere(what);
    }

    /**
     * Close an event: delete it and refuse further use.
     *
     * @param ev the event.
     */
    public void close(final EvCore ev)
    {
        if (ev.isClosed())
        {
            return;
        }
        if (!isClosed())
        {
            checkOwner();
            delete(ev);
        }
        ev.flags |= EvCore.CLOSED;
    }

    /**
     * @return the event whose callback is running, or null.
     */
    public EvCore runningEvent()
    {
        return runningEvent;
    }

    /**
     * libevent's {@code event_base_once}.
     *
     * @param fd        an fd or -1.
     * @param events    TIMEOUT, READ, WRITE, CLOSED (no SIGNAL, no PERSIST).
     * @param timeoutNs relative timeout, or -1 for none.
     * @param callback  run once.
     */
    public void once(final int fd, final int events, final long timeoutNs, final EventCallback callback)
    {
        checkOwner();
        if (0 != (events & (Ev.SIGNAL | Ev.PERSIST)))
        {
            throw new IllegalArgumentException("once: SIGNAL and PERSIST are not allowed");
        }
        if (0 == (events & (Ev.TIMEOUT | Ev.READ | Ev.WRITE | Ev.CLOSED)))
        {
            throw new IllegalArgumentException("once: events must include TIMEOUT, READ, WRITE or CLOSED");
        }
        if (null == callback)
        {
            throw new NullPointerException("callback");
        }
        checkFd(fd, events);
        final EvCore ev = new EvCore((Loop)this, fd, events, callback, null);
        if (0 == (events & (Ev.READ | Ev.WRITE | Ev.CLOSED)) && timeoutNs <= 0)
        {
            activate(ev, Ev.TIMEOUT, 1);
            return;
        }
        add(ev, timeoutNs);
    }

    /**
     * Validate an fd for {@code events} (at event creation).
     *
     * @param fd     the fd or signal number.
     * @param events the event bits.
     */
    public static void checkFd(final int fd, final int events)
    {
        if (0 != (events & Ev.SIGNAL))
        {
            if (0 != (events & (Ev.READ | Ev.WRITE | Ev.CLOSED)))
            {
                throw new IllegalArgumentException("Ev.SIGNAL cannot be combined with READ, WRITE or CLOSED");
            }
            if (null == SignalHub.name(fd))
            {
                throw new IllegalArgumentException("invalid signal number: " + fd);
            }
            return;
        }
        if (fd < -1 || fd > IoMap.MAX_FD)
        {
            throw new IllegalArgumentException("invalid fd: " + fd);
        }
    }

    /**
     * @param name a signal name ({@code "HUP"} or {@code "SIGHUP"}).
     * @return its number on this OS.
     */
    public static int signalNumber(final String name)
    {
        return SignalHub.number(name);
    }

    /**
     * libevent's {@code event_base_active_by_fd}: activate the pending events on the fd that want these bits.
     *
     * @param fd     the fd.
     * @param events READ, WRITE, CLOSED and/or TIMEOUT.
     */
    public void activeByFd(final int fd, final int events)
    {
        checkOwner();
        if (fd < 0)
        {
            return;
        }
        for (EvCore ev = io.head(fd); null != ev; ev = ev.fdNext)
        {
            int bits = ev.events & events & (Ev.READ | Ev.WRITE | Ev.CLOSED);
            if (0 != (events & Ev.TIMEOUT) && ev.hasTimeout())
            {
                bits |= Ev.TIMEOUT;
            }
            if (0 != bits)
            {
                activate(ev, bits, 1);
            }
        }
    }

    /**
     * libevent's {@code event_base_active_by_signal}.
     *
     * @param signum the signal; unknown ones are ignored.
     */
    public void activeBySignal(final int signum)
    {
        checkOwner();
        if (null != SignalHub.name(signum))
        {
            deliverSignal(signum);
        }
    }

    final void delete(final EvCore ev)
    {
        timers.unschedule(ev);
        if (0 != (ev.flags & EvCore.ACTIVE))
        {
            unlinkActive(ev);
        }
        if (0 != (ev.flags & EvCore.INSERTED))
        {
            unlinkInserted(ev, true);
        }
    }

    final void unlinkInserted(final EvCore ev, final boolean tellKernel)
    {
        if (0 != (ev.events & Ev.SIGNAL))
        {
            signals.remove(ev, null);
            if (null == signals.head(ev.fd))
            {
                SignalHub.unregister(ev.fd, (Loop)this);
            }
        }
        else if (ev.fd >= 0)
        {
            io.remove(ev, tellKernel ? backend : null);
        }
        live.clearFlag(ev, EvCore.INSERTED);
    }

    final void activate(final EvCore ev, final int res, final int ncalls)
    {
        if (0 != (ev.flags & EvCore.ACTIVE))
        {
            ev.res |= res;
            return;
        }
        ev.res = res;
        ev.ncalls = ncalls;
        final int p = active.append(ev);
        live.setFlag(ev, EvCore.ACTIVE);
        if (runningPriority >= 0 && p < runningPriority)
        {
            continueRequested = true;
        }
    }

    final void unlinkActive(final EvCore ev)
    {
        active.unlink(ev);
        live.clearFlag(ev, EvCore.ACTIVE);
    }

    final void deliverSignal(final int signum)
    {
        for (EvCore ev = signals.head(signum); null != ev; ev = ev.fdNext)
        {
            if (0 != (ev.flags & EvCore.ACTIVE))
            {
                ev.res |= Ev.SIGNAL;
                ev.ncalls++;
            }
            else
            {
                activate(ev, Ev.SIGNAL, 1);
            }
        }
    }

    @Override
    final void expire(final EvCore top)
    {
        live.clearFlag(top, EvCore.TIMEOUT);
        if (0 == (top.events & Ev.PERSIST) && 0 == (top.flags & EvCore.ACTIVE) &&
            0 != (top.flags & EvCore.INSERTED))
        {
            unlinkInserted(top, true);
        }
        activate(top, Ev.TIMEOUT, 1);
    }

    /**
     * What libevent does to an event just before its callback runs: a persistent event stays added (its timeout
     * restarts, {@link #persist}), any other is deleted. Shared by the queue ({@link Loop}) and the direct dispatch
     * from the wait ({@link LoopReady}); each keeps its own callback call site, so their type profiles stay apart.
     *
     * @param ev  the event about to run.
     * @param res the bits it runs with.
     */
    final void beforeRun(final EvCore ev, final int res)
    {
        if (0 != (ev.events & Ev.PERSIST))
        {
            persist(ev, res);
        }
        else
        {
            delete(ev);
        }
    }

    final void persist(final EvCore ev, final int res)
    {
        final long interval = ev.intervalNs;
        if (interval < 0)
        {
            return;
        }
        final long nowNs = now();
        final CommonTimeoutQueue queue = ev.intervalQueue;
        final long last = null != queue ? ev.commonDeadlineNs : ev.deadlineNs();
        long runAt = 0 != (res & Ev.TIMEOUT) ? last + interval : nowNs + interval;
        if (runAt - nowNs < 0)
        {
            runAt = nowNs + interval;
        }
        if (null != queue)
        {
            timers.scheduleCommon(ev, queue, runAt);
        }
        else
        {
            timers.schedule(ev, runAt);
        }
    }
}
