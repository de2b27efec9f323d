package io.panamax.internal.loop;

import io.panamax.Ev;
import io.panamax.EventBaseConfig;
import io.panamax.EventCallback;
import io.panamax.PanamaxException;
import io.panamax.ffm.Errno;

import java.lang.foreign.MemorySegment;

/**
 * The engine of an {@code EventBase} (libevent's {@code event_base} and {@code event.c}): event bookkeeping,
 * priority queues, timers, the iteration, cross-thread inbox and deferred callbacks. Its code is in four layers by
 * concern: {@link LoopCore} (state, ownership, time, priorities, counters), {@link LoopEvents} (event operations),
 * {@link LoopReady} (what a wait found ready, and running it straight from the wait) and this class (cross-thread
 * entry points, the iteration, close).
 * <p>
 * One iteration, in libevent's order: leave on exit/break; compute the wait (0 when anything is active); leave
 * when nothing is pending; run prepare watchers; apply changes and wait (backend); refresh the time cache; run
 * check watchers; run cross-thread tasks; move expired timers to the active queues; run the single most urgent
 * non-empty priority queue; run up to 32 deferred callbacks. When {@link LoopReady} may run the wait's callbacks
 * straight from the backend's walk, the refresh, the inbox and the callbacks happen in the walk and no timer is due.
 * <p>
 * <b>Thread-safety:</b> owned by one thread (the creator, then whichever thread runs the loop); {@link #execute},
 * {@link #loopBreakFromAnyThread()}, {@link #signalRaised} and {@link EvCore#activeFromAnyThread} from any thread.
 */
public final class Loop extends LoopReady
{
    /** libevent's {@code EVLOOP_ONCE}. */
    public static final int LOOP_ONCE = 0x01;
    /** libevent's {@code EVLOOP_NONBLOCK}. */
    public static final int LOOP_NONBLOCK = 0x02;
    /** libevent's {@code EVLOOP_NO_EXIT_ON_EMPTY}. */
    public static final int LOOP_NO_EXIT_ON_EMPTY = 0x04;
    /** {@link #iterateOnce}'s "go on" (any value {@link #loop(int)} never returns). */
    private static final int AGAIN = Integer.MIN_VALUE;
    /** Iterations per call of {@link #iterateSome}: few enough that the method is compiled after ~2000. */
    private static final int ITERATIONS_PER_CALL = 16;
    /** libevent's {@code EVENT_MAX_PRIORITIES}. */
    public static final int MAX_PRIORITIES = 256;
    /** libevent's {@code MAX_COMMON_TIMEOUTS}. */
    public static final int MAX_COMMON_TIMEOUTS = 256;

    final Watchers watchers = new Watchers(this);
    private final Runnable[] signalTasks = new Runnable[SignalHub.MAX_SIGNAL + 1];
    private final Runnable breakTask = this::loopBreak;
    private final EventCallback exitCallback = (fd, what) -> gotExit = true;

    /**
     * @param config the configuration (the backend is chosen from it).
     * @throws io.panamax.PanamaxException when no backend fits, a system call fails, or the JVM lacks Agrona's flag.
     */
    public Loop(final EventBaseConfig config)
    {
        super(config);
    }

    /**
     * {@code loopBreak} from any thread.
     */
    public void loopBreakFromAnyThread()
    {
        if (isOwnerThread())
        {
            loopBreak();
        }
        else
        {
            execute(breakTask);
        }
    }

    /**
     * Called by the signal hub on the JVM's signal thread.
     *
     * @param signum the signal.
     */
    void signalRaised(final int signum)
    {
        Runnable task = signalTasks[signum];
        if (null == task)
        {
            task = () -> deliverSignal(signum);
            signalTasks[signum] = task;
        }
        if (CLOSED != state)
        {
            inbox.offer(task);
        }
    }

    /**
     * @return the prepare/check watchers.
     */
    public Watchers watchers()
    {
        return watchers;
    }

    /**
     * libevent's {@code event_base_loop}.
     *
     * @param flags {@link #LOOP_ONCE}, {@link #LOOP_NONBLOCK}, {@link #LOOP_NO_EXIT_ON_EMPTY}.
     * @return 0 after exit/break or a finished ONCE/NONBLOCK run, 1 when nothing was pending, -1 on error (a
     *         re-entrant call, or a call while another thread runs the loop).
     * @throws IllegalStateException when closed.
     */
    public int loop(final int flags)
    {
        final Thread me = Thread.currentThread();
        if (!STATE.compareAndSet(this, IDLE, RUNNING))
        {
            if (CLOSED == state)
            {
                throw new IllegalStateException("EventBase is closed");
            }
            return -1;
        }
        owner = me;
        gotExit = false;
        gotBreak = false;
        int result = 0;
        try
        {
            result = iterate(flags);
        }
        finally
        {
            clock.invalidate();
            runningEvent = null;
            runningPriority = -1;
            if (closeRequested)
            {
                state = CLOSED;
                release();
            }
            else
            {
                state = IDLE;
            }
        }
        return result;
    }

    /**
     * The loop itself: only a call per batch of iterations, so that the iteration's work is an ordinary method that
     * the JIT compiles after a few thousand iterations. A long-running loop method is compiled only by on-stack
     * replacement, after 60000 back edges (so a server that sees one message per iteration ran this interpreted
     * for its first 60000 messages and then stalled while C2 compiled the whole loop). This method stays interpreted
     * for a long time, so it runs once per {@link #ITERATIONS_PER_CALL} iterations, not once per iteration (an
     * interpreted call per iteration was 2 % of the echo server's user time).
     */
    private int iterate(final int flags)
    {
        int result;
        do
        {
            result = iterateSome(flags);
        }
        while (AGAIN == result);
        return result;
    }

    /**
     * Up to {@link #ITERATIONS_PER_CALL} iterations: called often enough to be compiled as an ordinary method early
     * (it calls {@link #iterateOnce}, too large to be inlined into it).
     *
     * @return {@link #AGAIN} to go on, else what {@link #loop(int)} returns.
     */
    private int iterateSome(final int flags)
    {
        for (int i = 0; i < ITERATIONS_PER_CALL; i++)
        {
            final int result = iterateOnce(flags);
            if (AGAIN != result)
            {
                return result;
            }
        }
        return AGAIN;
    }

    /**
     * One iteration: tasks, wait, timers, active events, deferred callbacks.
     * <p>
     * The wait is written out here, not called, and this method must stay larger than HotSpot's
     * {@code FreqInlineSize} (325 bytecodes): then the JIT never inlines it into its caller and always compiles it as
     * a root of its own, so the chain from here down to the backend's {@code epoll_wait}/{@code poll} downcall and
     * the JDK's per-call slice of the call-state segment inside it ({@code SharedUtils.checkCaptureSegment}) stays
     * well under {@code MaxInlineLevel} (15). That slice is freed by escape analysis only when the whole chain is
     * inlined: were this method inlined into {@code loop} and a caller's frames (as it was when C2 compiled the
     * caller before this method), the chain reached the limit and each wait allocated the slice (80 B per echoed
     * message in BufferEventEchoBenchmark). One call level less below here is also one level more of margin.
     *
     * @return {@link #AGAIN} to go on, else what {@link #loop(int)} returns.
     */
    private int iterateOnce(final int flags)
    {
        if (!inbox.isEmpty())
        {
            runTasks();
        }
        if (gotExit || gotBreak)
        {
            return 0;
        }
        final boolean busy = live.activeCount() > 0 || deferred.size() > 0;
        if (0 == (flags & LOOP_NO_EXIT_ON_EMPTY) && !busy && 0 == live.addedCount())
        {
            return 1;
        }
        // The wait is measured from nowNs, so nowNs + timeoutNs is the earliest timer's deadline itself.
        final long nowNs = busy || 0 != (flags & LOOP_NONBLOCK) ? 0 : now();
        final long timeoutNs = busy || 0 != (flags & LOOP_NONBLOCK) ? 0 : timers.timeoutNs(nowNs);
        watchers.runPrepare(timeoutNs);
        clock.invalidate();
        beginWait(!watchers.hasCheck());
        long timeout = timeoutNs;
        int rc = 0;
        boolean spunReady = false;
        if (0 != timeout && busyPollNs > 0)
        {
            final long start = System.nanoTime();
            final long spin = timeout < 0 ? busyPollNs : Math.min(busyPollNs, timeout);
            while (true)
            {
                rc = backend.dispatch(0, true, this);
                if (0 != rc || !inbox.isEmpty())
                {
                    spunReady = true;
                    break;
                }
                final long elapsed = System.nanoTime() - start;
                if (elapsed >= spin)
                {
                    timeout = timeout < 0 ? timeout : Math.max(0, timeout - elapsed);
                    break;
                }
                Thread.onSpinWait();
            }
        }
        if (!spunReady)
        {
            if (0 != timeout && !inbox.prepareToSleep())
            {
                timeout = 0;
            }
            rc = backend.dispatch(timeout, precise, this);
            if (precise && 0 == rc && timeout > 0)
            {
                // epoll_wait/poll take milliseconds, rounded down: finish the rest up to the deadline with
                // non-blocking polls (no clock read before the wait: the deadline is known).
                final long end = nowNs + timeoutNs;
                while (0 == rc && end - System.nanoTime() > 0 && inbox.isEmpty())
                {
                    Thread.onSpinWait();
                    rc = backend.dispatch(0, true, this);
                }
            }
            inbox.awake();
        }
        final int waited = endWait();
        if (WAIT_QUEUED == waited)
        {
            clock.refresh();
        }
        if (rc < 0)
        {
            reportError(new PanamaxException(backend.method() + " wait failed: " +
                Errno.describe(-rc), -rc));
            return -1;
        }
        watchers.runCheck();
        if (!inbox.isEmpty())
        {
            runTasks();
        }
        if (WAIT_QUEUED == waited)
        {
            timers.expire(now());
        }
        else if (gotBreak)
        {
            return AGAIN;
        }
        final int direct = takeDirectRuns();
        if (live.activeCount() > 0 || deferred.size() > 0)
        {
            final int n = WAIT_STOPPED == waited ? 0 : processActive();
            if (n < 0)
            {
                return AGAIN;
            }
            final int ran = direct + n + deferred.drain(this);
            if (0 != (flags & LOOP_ONCE) && 0 == live.activeCount() && 0 == deferred.size() && 0 != ran)
            {
                return 0;
            }
        }
        else if (0 != direct)
        {
            return 0 != (flags & LOOP_ONCE) ? 0 : AGAIN;
        }
        else if (0 != (flags & LOOP_NONBLOCK))
        {
            return 0;
        }
        return AGAIN;
    }

    private int processActive()
    {
        final int p = active.firstNonEmpty();
        return p < 0 ? 0 : processQueue(p);
    }

    private int processQueue(final int p)
    {
        runningPriority = p;
        continueRequested = false;
        final boolean limited = p >= limitMinPriority;
        final long startNs = limited && maxDispatchIntervalNs >= 0 ? System.nanoTime() : 0;
        int count = 0;
        EvCore ev;
        while (null != (ev = active.head(p)))
        {
            unlinkActive(ev);
            final int res = ev.res;
            int ncalls = ev.ncalls;
            beforeRun(ev, res);
            count++;
            runningEvent = ev;
            do
            {
                try
                {
                    ev.callback.onEvent(ev.fd, res);
                }
                catch (final Throwable ex)
                {
                    reportError(ex);
                }
            }
            while (--ncalls > 0 && !gotBreak && 0 == (ev.flags & EvCore.CLOSED) &&
                0 != (ev.flags & EvCore.INSERTED) && 0 != (ev.events & Ev.SIGNAL));
            runningEvent = null;
            if (gotBreak)
            {
                runningPriority = -1;
                return -1;
            }
            if (continueRequested)
            {
                break;
            }
            if (limited && ((maxDispatchCallbacks >= 0 && count >= maxDispatchCallbacks) ||
                (maxDispatchIntervalNs >= 0 && System.nanoTime() - startNs >= maxDispatchIntervalNs)))
            {
                clock.update();
                break;
            }
        }
        runningPriority = -1;
        return count;
    }

    /**
     * libevent's {@code event_base_loopbreak} on the owner thread.
     */
    public void loopBreak()
    {
        gotBreak = true;
    }

    /**
     * libevent's {@code event_base_loopcontinue}.
     */
    public void loopContinue()
    {
        checkOwner();
        continueRequested = true;
    }

    /**
     * libevent's {@code event_base_loopexit}.
     *
     * @param timeoutNs delay, or -1 to exit after the current active callbacks.
     */
    public void loopExit(final long timeoutNs)
    {
        once(-1, Ev.TIMEOUT, timeoutNs, exitCallback);
    }

    /**
     * @return libevent's {@code event_base_got_exit}.
     */
    public boolean gotExit()
    {
        return gotExit;
    }

    /**
     * @return libevent's {@code event_base_got_break}.
     */
    public boolean gotBreak()
    {
        return gotBreak;
    }

    /**
     * Close the loop: every event is dropped, internal fds and off-heap memory released, signal handlers
     * restored. From a callback (or another thread while the loop runs) the close happens when the loop returns.
     */
    public void close()
    {
        while (true)
        {
            final int s = state;
            if (CLOSED == s)
            {
                return;
            }
            if (RUNNING == s)
            {
                if (isOwnerThread())
                {
                    closeRequested = true;
                    gotBreak = true;
                }
                else
                {
                    execute(() ->
                    {
                        closeRequested = true;
                        gotBreak = true;
                    });
                }
                return;
            }
            if (STATE.compareAndSet(this, IDLE, CLOSED))
            {
                owner = Thread.currentThread();
                release();
                return;
            }
        }
    }

    private void release()
    {
        for (EvCore ev = live.head(); null != ev; )
        {
            final EvCore next = ev.liveNext;
            if (0 != (ev.flags & EvCore.INSERTED))
            {
                unlinkInserted(ev, false);
            }
            timers.forget(ev);
            ev.flags &= EvCore.INTERNAL | EvCore.CLOSED;
            ev.activePrev = null;
            ev.activeNext = null;
            ev.livePrev = null;
            ev.liveNext = null;
            ev = next;
        }
        live.clear();
        active.clear();
        timers.clear();
        deferred.clear();
        try
        {
            backend.close();
        }
        finally
        {
            iovecs = MemorySegment.NULL;
            scratchArena.close();
            final int rc = wakeup.close();
            if (rc < 0)
            {
                reportError(new PanamaxException("close(wakeup fd): " + Errno.describe(-rc), -rc));
            }
        }
    }
}
