package io.panamax.internal.loop;

import io.panamax.Ev;
import io.panamax.EventBaseConfig;
import io.panamax.internal.backend.ReadyHandler;

/**
 * The third layer of a {@link Loop} (see {@link LoopCore}): what a wait found ready, and the fast path that runs a
 * ready fd's callback straight from the backend's walk instead of queueing it.
 * <p>
 * libevent activates every ready event first and then runs the active queue. Running a callback as soon as the walk
 * reaches its fd gives the same callbacks, with the same bits, in the same order, whenever the wait is
 * <i>direct</i>: the backend allows callbacks during its walk, the base has one priority and no dispatch limits,
 * no check watchers, nothing active, no cross-thread task waiting and no timer due when the walk starts. Then:
 * <ul>
 * <li>ready events run in walk order, as the queue would have run them, and before every event a callback
 * activates (those are queued, and run after the wait's events, as in libevent);</li>
 * <li>an event a callback deleted is no longer in the fd map, so the walk skips it (libevent unlinks it from the
 * active queue); an event (re)added by a callback during the walk has a newer {@link EvCore#insertSeq} and is
 * skipped too (in libevent it was not there when the wait's events were activated, so a stale readiness of a closed
 * and reused fd reaches no new event);</li>
 * <li>an event a callback activated before the walk reaches its fd runs at its walk place with both bits OR-ed
 * (libevent's second activation ORs into the first);</li>
 * <li>no timer was due when the walk started, so the only timers due after it are ones the callbacks added with no
 * delay; libevent runs those in the next iteration, so a direct wait expires no timer;</li>
 * <li>when a callback breaks or continues the loop or sets up priorities, or an fd has more than one ready event,
 * the rest of the walk is queued (in walk order, ahead of what callbacks activated) and left to the usual
 * processing.</li>
 * </ul>
 * What differs is only what a callback can see of events later in the same walk: they are not active yet (so
 * {@code pending} does not report their bits), and {@code maxEvents} counts the wait's events as if all were active
 * at once.
 * <p>
 * <b>Thread-safety:</b> as {@link Loop}: every operation on the owner thread.
 */
abstract sealed class LoopReady extends LoopEvents implements ReadyHandler permits Loop
{
    /** {@link #endWait()}: readiness was queued, libevent's way; the loop refreshes the clock and expires timers. */
    static final int WAIT_QUEUED = 0;
    /** {@link #endWait()}: a direct wait; the clock is fresh and no timer is due. */
    static final int WAIT_DIRECT = 1;
    /** {@link #endWait()}: a direct wait in which a callback broke or continued the loop. */
    static final int WAIT_STOPPED = 2;

    private static final int WALK_QUEUE = 0;
    private static final int WALK_UNDECIDED = 1;
    private static final int WALK_DIRECT = 2;
    private static final int WALK_QUEUE_AT_MARK = 3;
    private static final int WALK_ACTIVATE = 4;

    /** Backend and configuration allow direct waits (priorities and watchers are checked per wait). */
    private final boolean directAllowed;
    private int walk;
    private boolean stopped;
    private long walkSeq;
    private int walkQueues;
    private EvCore walkMark;
    private int walked;
    private int addedBefore;
    private int directRuns;

    /**
     * @param config the configuration.
     */
    LoopReady(final EventBaseConfig config)
    {
        super(config);
        directAllowed = backend.callbacksDuringWalk() && maxDispatchCallbacks < 0 && maxDispatchIntervalNs < 0;
    }

    /**
     * Before a wait: whether its ready fds may run their callbacks straight away (decided at the first one).
     *
     * @param noCheckWatchers true when no check watcher would have to run between the wait and the callbacks.
     */
    final void beginWait(final boolean noCheckWatchers)
    {
        walk = directAllowed && noCheckWatchers && 1 == active.priorities() ? WALK_UNDECIDED : WALK_QUEUE;
    }

    /**
     * After a wait.
     *
     * @return {@link #WAIT_QUEUED}, {@link #WAIT_DIRECT} or {@link #WAIT_STOPPED}.
     */
    final int endWait()
    {
        final int w = walk;
        walk = WALK_QUEUE;
        if (w < WALK_DIRECT)
        {
            return WAIT_QUEUED;
        }
        runningPriority = -1;
        walkMark = null;
        live.noteWalk(walked, addedBefore);
        final boolean wasStopped = stopped;
        stopped = false;
        return wasStopped ? WAIT_STOPPED : WAIT_DIRECT;
    }

    /**
     * @return callbacks run straight from the last wait (and forget them).
     */
    final int takeDirectRuns()
    {
        final int n = directRuns;
        directRuns = 0;
        return n;
    }

    /**
     * Backend readiness: run or activate the fd's events that want these bits. Not for users.
     *
     * @param fd   the fd.
     * @param what {@code Ev} bits.
     */
    @Override
    public final void onReady(final int fd, final int what)
    {
        if (fd == wakeup.fd())
        {
            wakeup.drain();
            return;
        }
        final int w = WALK_UNDECIDED == walk ? startWalk() : walk;
        if (WALK_DIRECT == w)
        {
            readyDirect(fd, what);
        }
        else if (WALK_QUEUE == w)
        {
            for (EvCore ev = io.head(fd); null != ev; ev = ev.fdNext)
            {
                final int events = ev.events;
                final int bits = events & what & (Ev.READ | Ev.WRITE | Ev.CLOSED);
                if (0 != bits)
                {
                    activate(ev, bits | (events & what & Ev.ET), 1);
                }
            }
        }
        else
        {
            queueAtMark(fd, what);
        }
    }

    /** The first ready fd of a wait that may be direct: the clock and inbox work of after the wait, then decide. */
    private int startWalk()
    {
        clock.refresh();
        inbox.awake();
        if (active.firstNonEmpty() < 0 && inbox.isEmpty() && !gotBreak && 0 != timers.timeoutNs(clock.now()))
        {
            walk = WALK_DIRECT;
            walkSeq = insertions;
            walkQueues = active.generation();
            walkMark = null;
            walked = 0;
            addedBefore = live.addedCount();
            stopped = false;
            continueRequested = false;
            runningPriority = 0;
        }
        else
        {
            walk = WALK_QUEUE;
        }
        return walk;
    }

    private void readyDirect(final int fd, final int what)
    {
        EvCore match = null;
        int matchBits = 0;
        for (EvCore ev = io.head(fd); null != ev; ev = ev.fdNext)
        {
            final int events = ev.events;
            final int bits = events & what & (Ev.READ | Ev.WRITE | Ev.CLOSED);
            if (0 != bits && ev.insertSeq <= walkSeq)
            {
                if (null != match)
                {
                    // Two events of one fd: a callback of the first may change the fd's list; queue the rest.
                    walk = WALK_QUEUE_AT_MARK;
                    queueAtMark(fd, what);
                    return;
                }
                match = ev;
                matchBits = bits | (events & what & Ev.ET);
            }
        }
        if (null != match)
        {
            runDirect(match, matchBits);
        }
    }

    private void runDirect(final EvCore ev, final int bits)
    {
        int res = bits;
        if (0 != (ev.flags & EvCore.ACTIVE))
        {
            // Activated by an earlier callback of this wait: it runs here, at its place in the wait's order.
            res |= ev.res;
            unlinkActive(ev);
        }
        if (0 == (ev.flags & EvCore.INTERNAL))
        {
            walked++;
        }
        beforeRun(ev, res);
        directRuns++;
        runningEvent = ev;
        try
        {
            ev.callback.onEvent(ev.fd, res);
        }
        catch (final Throwable ex)
        {
            reportError(ex);
        }
        runningEvent = null;
        if (gotBreak || continueRequested)
        {
            stopped = true;
            walk = WALK_QUEUE_AT_MARK;
        }
        if (walkQueues != active.generation())
        {
            // priorityInit from the callback: the rest of the walk is activated into the new queues.
            walk = WALK_ACTIVATE;
        }
    }

    /**
     * Queue the fd's ready events after the ones the walk queued before, ahead of what callbacks activated (or, once
     * a callback replaced the queues, activate them into the new ones).
     */
    private void queueAtMark(final int fd, final int what)
    {
        for (EvCore ev = io.head(fd); null != ev; ev = ev.fdNext)
        {
            final int events = ev.events;
            int bits = events & what & (Ev.READ | Ev.WRITE | Ev.CLOSED);
            if (0 != bits && ev.insertSeq <= walkSeq)
            {
                bits |= events & what & Ev.ET;
                int ncalls = 1;
                if (0 != (ev.flags & EvCore.ACTIVE))
                {
                    bits |= ev.res;
                    ncalls = ev.ncalls;
                    unlinkActive(ev);
                }
                if (0 == (ev.flags & EvCore.INTERNAL))
                {
                    walked++;
                }
                if (WALK_ACTIVATE == walk)
                {
                    activate(ev, bits, ncalls);
                    continue;
                }
                ev.res = bits;
                ev.ncalls = ncalls;
                active.insertAfter(walkMark, ev);
                live.setFlag(ev, EvCore.ACTIVE);
                walkMark = ev;
            }
        }
    }
}
