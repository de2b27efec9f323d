package io.panamax.internal.loop;

import io.panamax.ErrorHandler;
import io.panamax.Ev;
import io.panamax.EventBaseConfig;
import io.panamax.PanamaxException;
import io.panamax.ffm.Errno;
import io.panamax.ffm.IovecDescriptor;
import io.panamax.internal.backend.Backend;
import io.panamax.internal.backend.Backends;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The state under a {@link Loop}, its first layer: the backend, wake-up and inbox it owns ({@link #execute}),
 * ownership and the running/closed state, the error handler, scratch segments, the time cache, priorities and event
 * counters. The layers ({@code LoopCore} &lt; {@link LoopEvents} &lt; {@link LoopReady} &lt; {@link Loop}) only
 * split one class's code by concern; only {@link Loop} is ever instantiated.
 * <p>
 * <b>Thread-safety:</b> as {@link Loop}: owned by one thread; {@link #execute}, {@link #isOwnerThread()} and
 * {@link #isClosed()} from any thread.
 */
abstract sealed class LoopCore permits LoopEvents
{
    static final int IDLE = 0;
    static final int RUNNING = 1;
    static final int CLOSED = 2;
    static final VarHandle STATE;

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(LoopCore.class, "state", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    final Backend backend;
    final ErrorHandler errorHandler;
    final boolean precise;
    final LoopClock clock;
    final LiveEvents live = new LiveEvents();
    final LoopTimers timers = new LoopTimers(live, this::expire);
    final long maxDispatchIntervalNs;
    final int maxDispatchCallbacks;
    final int limitMinPriority;
    final long busyPollNs;
    final Wakeup wakeup;
    final TaskInbox inbox;
    final IoMap io = new IoMap();
    final IoMap signals = new IoMap();
    final DeferredQueue deferred = new DeferredQueue();
    final ActiveQueues active = new ActiveQueues();

    final Arena scratchArena = Arena.ofShared();
    final MemorySegment callState = Errno.allocateCallState(scratchArena);
    MemorySegment iovecs = MemorySegment.NULL;
    volatile Thread owner;
    @SuppressWarnings("unused") // accessed through STATE
    volatile int state = IDLE;
    boolean closeRequested;

    int runningPriority = -1;
    EvCore runningEvent;
    boolean gotExit;
    boolean gotBreak;
    boolean continueRequested;
    long errorCount;
    /** Links of events into the fd map so far: {@link EvCore#insertSeq} numbers them. */
    long insertions;

    /**
     * @param config the configuration (the backend is chosen from it).
     * @throws PanamaxException when no backend fits, a system call fails, or the JVM lacks Agrona's flag.
     */
    LoopCore(final EventBaseConfig config)
    {
        AgronaCheck.verify();
        final ErrorHandler handler = config.errorHandler();
        this.errorHandler = null != handler ? handler : LoopCore::logError;
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

    /**
     * A timer of {@code top} expired (it was taken off the heap or its queue): {@link LoopEvents} activates it.
     *
     * @param top the event.
     */
    abstract void expire(EvCore top);

    private static void logError(final Throwable error)
    {
        System.getLogger("io.panamax.EventBase").log(System.Logger.Level.WARNING, "callback failed", error);
    }

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
     * The checks of every operation on an event: owner thread, open base, open event of this base.
     *
     * @param ev the event.
     */
    final void checkUsable(final EvCore ev)
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
     * @param n 1 ≤ n &lt; {@link Loop#MAX_PRIORITIES}.
     */
    public void priorityInit(final int n)
    {
        checkOwner();
        if (n < 1 || n >= Loop.MAX_PRIORITIES)
        {
            throw new IllegalArgumentException("priorities must be in [1, " + (Loop.MAX_PRIORITIES - 1) + "]: " + n);
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
     * @return wake-up writes so far (for tests).
     */
    public long wakeupsSent()
    {
        return inbox.wakeupsSent();
    }

    /** Run the cross-thread tasks queued so far (at most 65536, so producers cannot hold the loop). */
    final void runTasks()
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
}
