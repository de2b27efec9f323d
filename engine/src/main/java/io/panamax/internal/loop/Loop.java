package io.panamax.internal.loop;

import io.panamax.ErrorHandler;
import io.panamax.Ev;
import io.panamax.EventBaseConfig;
import io.panamax.EventCallback;
import io.panamax.PanamaxException;
import io.panamax.ffm.Errno;
import io.panamax.internal.backend.Backend;
import io.panamax.internal.backend.Backends;
import io.panamax.internal.backend.ReadyHandler;

import io.panamax.ffm.IovecDescriptor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The engine of an {@code EventBase} (libevent's {@code event_base} and {@code event.c}): event bookkeeping,
 * priority queues, timers, the iteration, cross-thread inbox and deferred callbacks.
 * <p>
 * One iteration, in libevent's order: leave on exit/break; compute the wait (0 when anything is active); leave
 * when nothing is pending; run prepare watchers; apply changes and wait (backend); refresh the time cache; run
 * check watchers; run cross-thread tasks; move expired timers to the active queues; run the single most urgent
 * non-empty priority queue; run up to 32 deferred callbacks.
 * <p>
 * <b>Thread-safety:</b> owned by one thread (the creator, then whichever thread runs the loop); {@link #execute},
 * {@link #loopBreakFromAnyThread()}, {@link #signalRaised} and {@link EvCore#activeFromAnyThread} from any thread.
 */
public final class Loop implements ReadyHandler
{
    /** libevent's {@code EVLOOP_ONCE}. */
    public static final int LOOP_ONCE = 0x01;
    /** libevent's {@code EVLOOP_NONBLOCK}. */
    public static final int LOOP_NONBLOCK = 0x02;
    /** libevent's {@code EVLOOP_NO_EXIT_ON_EMPTY}. */
    public static final int LOOP_NO_EXIT_ON_EMPTY = 0x04;
    /** {@link #iterateOnce}'s "go on" (any value {@link #loop(int)} never returns). */
    private static final int AGAIN = Integer.MIN_VALUE;
    /** libevent's {@code EVENT_MAX_PRIORITIES}. */
    public static final int MAX_PRIORITIES = 256;
    /** libevent's {@code MAX_COMMON_TIMEOUTS}. */
    public static final int MAX_COMMON_TIMEOUTS = 256;

    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int CLOSED = 2;
    private static final VarHandle STATE;

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(Loop.class, "state", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    final Backend backend;
    private final ErrorHandler errorHandler;
    private final boolean precise;
    private final LoopClock clock;
    private final LiveEvents live = new LiveEvents();
    private final LoopTimers timers = new LoopTimers(live, this::expire);
    private final long maxDispatchIntervalNs;
    private final int maxDispatchCallbacks;
    private final int limitMinPriority;
    private final long busyPollNs;
    private final Wakeup wakeup;
    private final TaskInbox inbox;
    private final IoMap io = new IoMap();
    private final IoMap signals = new IoMap();
    private final DeferredQueue deferred = new DeferredQueue();
    private final Runnable[] signalTasks = new Runnable[SignalHub.MAX_SIGNAL + 1];
    private final Runnable breakTask = this::loopBreak;
    private final EventCallback exitCallback = (fd, what) -> gotExit = true;
    final Watchers watchers = new Watchers(this);

    private final Arena scratchArena = Arena.ofShared();
    private final MemorySegment callState = Errno.allocateCallState(scratchArena);
    private MemorySegment iovecs = MemorySegment.NULL;
    private volatile Thread owner;
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state = IDLE;
    private boolean closeRequested;

    private final ActiveQueues active = new ActiveQueues();
    private int runningPriority = -1;
    private EvCore runningEvent;
    private boolean gotExit;
    private boolean gotBreak;
    private boolean continueRequested;


    private long errorCount;

    /**
     * @param config the configuration (the backend is chosen from it).
     * @throws PanamaxException when no backend fits, a system call fails, or the JVM lacks Agrona's flag.
     */
    public Loop(final EventBaseConfig config)
    {
        AgronaCheck.verify();
        final ErrorHandler handler = config.errorHandler();
        this.errorHandler = null != handler ? handler : Loop::logError;
        this.precise = 0 != (config.flags() & EventBaseConfig.FLAG_PRECISE_TIMER);
        this.clock = new LoopClock(0 == (config.flags() & EventBaseConfig.FLAG_NO_CACHE_TIME));
        this.maxDispatchIntervalNs = config.maxDispatchIntervalNs();
        this.maxDispatchCallbacks = config.maxDispatchCallbacks();
        this.limitMinPriority = config.minPriority();
        this.busyPollNs = config.busyPollNs();
        this.owner = Thread.currentThread();
        this.backend = Backends.create(Backends.choose(config), this::reportError);
        try
        {
            this.wakeup = backend.hasUserWakeup() ? new Wakeup(backend::wake) : new Wakeup();
        }
        catch (final RuntimeException ex)
        {
            backend.close();
            throw ex;
        }
        try
        {
            this.inbox = new TaskInbox(config.inboxCapacity(), wakeup);
        }
        catch (final LinkageError ex)
        {
            wakeup.close();
            backend.close();
            throw AgronaCheck.failure(ex);
        }
        if (wakeup.fd() >= 0)
        {
            backend.changeInterest(wakeup.fd(), 0, Ev.READ);
        }
    }

    private static void logError(final Throwable error)
    {
        System.getLogger("io.panamax.EventBase").log(System.Logger.Level.WARNING, "callback failed", error);
    }

    // ---------------------------------------------------------------- ownership and state

    /**
     * The owner-thread check every owner-only operation starts with (one volatile read and a compare).
     *
     * @throws IllegalStateException on another thread, or after close.
     */
    public void checkOwner()
    {
        if (Thread.currentThread() != owner)
        {
            throw new IllegalStateException("EventBase used from " + Thread.currentThread().getName() +
                " but owned by " + owner.getName() + " (use execute(Runnable) from other threads)");
        }
        if (CLOSED == state)
        {
            throw new IllegalStateException("EventBase is closed");
        }
    }

    /**
     * @return true when the calling thread owns the loop.
     */
    public boolean isOwnerThread()
    {
        return Thread.currentThread() == owner;
    }

    /**
     * @return true after {@link #close()}.
     */
    public boolean isClosed()
    {
        return CLOSED == state;
    }

    /**
     * The loop's call-state segment, for bindings called on the loop thread (evbuffer reads and writes,
     * bufferevent sockets): never from another thread. Valid until the base closes.
     *
     * @return the segment.
     */
    public MemorySegment callState()
    {
        return callState;
    }

    /**
     * A reusable off-heap {@code struct iovec[]} of at least {@code count} entries for {@code readv}/{@code writev} on
     * the loop thread (libevent keeps these on the stack). The same segment is returned until a larger one is asked
     * for; contents are not preserved across calls. Freed when the base closes.
     *
     * @param count entries needed, 1 ≤ count ≤ {@link IovecDescriptor#IOV_MAX}.
     * @return the segment.
     */
    public MemorySegment iovecScratch(final int count)
    {
        if (count < 1 || count > IovecDescriptor.IOV_MAX)
        {
            throw new IllegalArgumentException("iovec count must be in [1, " + IovecDescriptor.IOV_MAX + "]: " + count);
        }
        final long bytes = count * IovecDescriptor.LENGTH;
        if (iovecs.byteSize() < bytes)
        {
            iovecs = scratchArena.allocate(Math.max(bytes, 64 * IovecDescriptor.LENGTH), 8);
        }
        return iovecs;
    }

    /**
     * @return the prepare/check watchers.
     */
    public Watchers watchers()
    {
        return watchers;
    }

    /**
     * @return the deferred-callback queue.
     */
    public DeferredQueue deferred()
    {
        return deferred;
    }

    /**
     * @return the backend (for fd flushes before a close).
     */
    public Backend backend()
    {
        return backend;
    }

    /**
     * Report an exception from a callback (counted, then given to the error handler).
     *
     * @param error what was thrown.
     */
    public void reportError(final Throwable error)
    {
        errorCount++;
        try
        {
            errorHandler.onError(error);
        }
        catch (final Throwable ignore)
        {
            // An error handler must not throw; what it throws is dropped.
        }
    }

    /**
     * @return errors reported so far.
     */
    public long errorCount()
    {
        return errorCount;
    }

    // ---------------------------------------------------------------- cross-thread

    /**
     * Run a task on the loop thread, in the next iteration (from any thread, the owner included). Spins while the
     * inbox is full.
     *
     * @param task the task.
     * @throws IllegalStateException when closed.
     */
    public void execute(final Runnable task)
    {
        do
        {
            if (CLOSED == state)
            {
                throw new IllegalStateException("EventBase is closed");
            }
        }
        while (!offerOrYield(task));
    }

    private boolean offerOrYield(final Runnable task)
    {
        if (inbox.offer(task))
        {
            return true;
        }
        Thread.yield();
        return false;
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
     * @return wake-up writes so far (for tests).
     */
    public long wakeupsSent()
    {
        return inbox.wakeupsSent();
    }

    private void runTasks()
    {
        Runnable task;
        int budget = 1 << 16;
        while (budget-- > 0 && null != (task = inbox.poll()))
        {
            try
            {
                task.run();
            }
            catch (final Throwable ex)
            {
                reportError(ex);
            }
        }
    }

    private void deliverSignal(final int signum)
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

    // ---------------------------------------------------------------- priorities

    /**
     * @return the priority new events get: {@code priorities / 2}.
     */
    public int defaultPriority()
    {
        return active.priorities() >> 1;
    }

    /**
     * @return the number of priority queues.
     */
    public int priorities()
    {
        return active.priorities();
    }

    /**
     * libevent's {@code event_base_priority_init}.
     *
     * @param n 1 ≤ n &lt; {@link #MAX_PRIORITIES}.
     */
    public void priorityInit(final int n)
    {
        checkOwner();
        if (n < 1 || n >= MAX_PRIORITIES)
        {
            throw new IllegalArgumentException("priorities must be in [1, " + (MAX_PRIORITIES - 1) + "]: " + n);
        }
        if (live.activeCount() > 0)
        {
            throw new IllegalStateException("priorityInit with active events");
        }
        active.init(n);
    }

    /**
     * libevent's {@code event_priority_set}.
     *
     * @param ev       the event.
     * @param priority 0 (most urgent) ≤ priority &lt; {@link #priorities()}.
     */
    public void priority(final EvCore ev, final int priority)
    {
        checkUsable(ev);
        final int priorities = active.priorities();
        if (priority < 0 || priority >= priorities)
        {
            throw new IllegalArgumentException("priority must be in [0, " + priorities + "): " + priority);
        }
        if (0 != (ev.flags & EvCore.ACTIVE))
        {
            throw new IllegalStateException("cannot change the priority of an active event");
        }
        ev.priority = priority;
    }

    // ---------------------------------------------------------------- time

    /**
     * @return the cached monotonic time in the loop, or the clock when nothing is cached.
     */
    public long now()
    {
        return clock.now();
    }

    /**
     * @return wall-clock nanoseconds since the epoch, from the cached monotonic time.
     */
    public long wallNow()
    {
        return clock.toWall(clock.now());
    }

    /**
     * @param monotonicNs a {@link System#nanoTime()} value.
     * @return the same instant as wall-clock nanoseconds since the epoch.
     */
    public long toWall(final long monotonicNs)
    {
        return clock.toWall(monotonicNs);
    }

    /**
     * libevent's {@code event_base_update_cache_time}: no-op outside the loop.
     */
    public void updateCacheTime()
    {
        checkOwner();
        if (RUNNING == state)
        {
            clock.update();
        }
    }

    // ---------------------------------------------------------------- event operations

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
                    SignalHub.register(ev.fd, this);
                }
                signals.add(ev, null);
            }
            else if (ev.fd >= 0)
            {
                io.add(ev, backend);
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
        return timers.commonTimeout(durationNs, MAX_COMMON_TIMEOUTS);
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
        int flags = 0;
        if (0 != (ev.flags & EvCore.INSERTED))
        {
            flags |= ev.events & (Ev.READ | Ev.WRITE | Ev.CLOSED | Ev.SIGNAL);
        }
        if (0 != (ev.flags & EvCore.ACTIVE))
        {
            flags |= ev.res;
        }
        if (ev.hasTimeout())
        {
            flags |= Ev.TIMEOUT;
        }
        return flags & what & (Ev.READ | Ev.WRITE | Ev.CLOSED | Ev.SIGNAL | Ev.TIMEOUT);
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
        final EvCore ev = new EvCore(this, fd, events, callback, null);
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

    // ---------------------------------------------------------------- bookkeeping

    private void checkUsable(final EvCore ev)
    {
        checkOwner();
        if (0 != (ev.flags & EvCore.CLOSED))
        {
            throw new IllegalStateException("event is closed");
        }
        if (ev.loop != this)
        {
            throw new IllegalArgumentException("event belongs to another base");
        }
    }

    private void delete(final EvCore ev)
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

    private void unlinkInserted(final EvCore ev, final boolean tellKernel)
    {
        if (0 != (ev.events & Ev.SIGNAL))
        {
            signals.remove(ev, null);
            if (null == signals.head(ev.fd))
            {
                SignalHub.unregister(ev.fd, this);
            }
        }
        else if (ev.fd >= 0)
        {
            io.remove(ev, tellKernel ? backend : null);
        }
        live.clearFlag(ev, EvCore.INSERTED);
    }

    private void activate(final EvCore ev, final int res, final int ncalls)
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

    private void unlinkActive(final EvCore ev)
    {
        active.unlink(ev);
        live.clearFlag(ev, EvCore.ACTIVE);
    }

    // ---------------------------------------------------------------- counters and walks

    /**
     * libevent's {@code event_base_get_num_events}.
     *
     * @param which COUNT_ACTIVE (1), COUNT_VIRTUAL (2), COUNT_ADDED (4), OR-ed: the counts are summed.
     * @return the sum.
     */
    public int numEvents(final int which)
    {
        checkOwner();
        return live.numEvents(which);
    }

    /**
     * libevent's {@code event_base_get_max_events}.
     *
     * @param which COUNT_* bits, summed.
     * @param clear reset the maxima to the current counts after reading.
     * @return the sum of the maxima.
     */
    public int maxEvents(final int which, final boolean clear)
    {
        checkOwner();
        return live.maxEvents(which, clear);
    }

    /**
     * Visit the public handles of every added or active event (internal ones are skipped).
     *
     * @param visitor returns non-zero to stop.
     * @return the first non-zero result, or 0.
     */
    public int foreachHandle(final java.util.function.ToIntFunction<Object> visitor)
    {
        checkOwner();
        return live.foreachHandle(visitor);
    }

    // ---------------------------------------------------------------- the loop

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
     * The loop itself: only a call per iteration, so that the iteration's work is an ordinary method that the JIT
     * compiles after a few thousand iterations. A long-running loop method is compiled only by on-stack
     * replacement, after 60000 back edges (so a server that sees one message per iteration ran this interpreted
     * for its first 60000 messages and then stalled while C2 compiled the whole loop).
     */
    private int iterate(final int flags)
    {
        int result;
        do
        {
            result = iterateOnce(flags);
        }
        while (AGAIN == result);
        return result;
    }

    /**
     * One iteration: tasks, wait, timers, active events, deferred callbacks.
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
        final long timeoutNs = busy || 0 != (flags & LOOP_NONBLOCK) ? 0 : timers.timeoutNs(now());
        watchers.runPrepare(timeoutNs);
        clock.invalidate();
        final int rc = waitForEvents(timeoutNs);
        clock.refresh();
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
        timers.expire(now());
        if (live.activeCount() > 0 || deferred.size() > 0)
        {
            final int n = processActive();
            if (n < 0)
            {
                return AGAIN;
            }
            final int ran = n + deferred.drain(this);
            if (0 != (flags & LOOP_ONCE) && 0 == live.activeCount() && 0 == deferred.size() && 0 != ran)
            {
                return 0;
            }
        }
        else if (0 != (flags & LOOP_NONBLOCK))
        {
            return 0;
        }
        return AGAIN;
    }

    private int waitForEvents(final long timeoutNs)
    {
        long timeout = timeoutNs;
        if (0 != timeout && busyPollNs > 0)
        {
            final long start = System.nanoTime();
            final long spin = timeout < 0 ? busyPollNs : Math.min(busyPollNs, timeout);
            while (true)
            {
                final int n = backend.dispatch(0, true, this);
                if (0 != n || !inbox.isEmpty())
                {
                    return n;
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
        if (0 != timeout && !inbox.prepareToSleep())
        {
            timeout = 0;
        }
        final long start = precise && timeout > 0 ? System.nanoTime() : 0;
        int n = backend.dispatch(timeout, precise, this);
        if (precise && 0 == n && timeout > 0)
        {
            // epoll_wait/poll take milliseconds, rounded down: finish the rest with non-blocking polls.
            final long end = start + timeout;
            while (0 == n && end - System.nanoTime() > 0 && inbox.isEmpty())
            {
                Thread.onSpinWait();
                n = backend.dispatch(0, true, this);
            }
        }
        inbox.awake();
        return n;
    }

    /**
     * Backend readiness: activate the fd's events that want these bits. Not for users.
     *
     * @param fd   the fd.
     * @param what {@code Ev} bits.
     */
    @Override
    public void onReady(final int fd, final int what)
    {
        if (fd == wakeup.fd())
        {
            wakeup.drain();
            return;
        }
        for (EvCore ev = io.head(fd); null != ev; ev = ev.fdNext)
        {
            final int events = ev.events;
            int bits = events & what & (Ev.READ | Ev.WRITE | Ev.CLOSED);
            if (0 != bits)
            {
                bits |= events & what & Ev.ET;
                activate(ev, bits, 1);
            }
        }
    }

    private void expire(final EvCore top)
    {
        live.clearFlag(top, EvCore.TIMEOUT);
        if (0 == (top.events & Ev.PERSIST) && 0 == (top.flags & EvCore.ACTIVE) &&
            0 != (top.flags & EvCore.INSERTED))
        {
            unlinkInserted(top, true);
        }
        activate(top, Ev.TIMEOUT, 1);
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
            if (0 != (ev.events & Ev.PERSIST))
            {
                persist(ev, res);
            }
            else
            {
                delete(ev);
            }
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

    private void persist(final EvCore ev, final int res)
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

    // ---------------------------------------------------------------- close

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
