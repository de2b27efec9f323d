package io.panamax;

import io.panamax.internal.backend.Backends;
import io.panamax.internal.loop.EvCore;
import io.panamax.internal.loop.Loop;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An event loop (libevent's {@code event_base}): a backend (epoll, poll; kqueue on macOS), the events added to it,
 * timers, signals and deferred callbacks, run by {@link #dispatch()} / {@link #loop(int)} in libevent's order.
 * <p>
 * Timers are precise by default: deadlines use {@link System#nanoTime()}, and because {@code epoll_wait} and
 * {@code poll} take milliseconds the wait is rounded <em>down</em> and the sub-millisecond rest is finished with
 * non-blocking polls (a spin of under a millisecond per timer expiry). With
 * {@link EventBaseConfig#preciseTimer(boolean) preciseTimer(false)} waits round up instead, as libevent does.
 * The time is cached per iteration unless {@link EventBaseConfig#FLAG_NO_CACHE_TIME}.
 * <p>
 * Interest changes are collapsed per fd and applied right before each wait (libevent's changelist, always on):
 * any sequence of add/del on one fd between two waits costs at most one {@code epoll_ctl}. As in libevent, a
 * user who closes an fd that has a {@code dup} while an event on it is pending must delete the event first.
 * <p>
 * <b>Thread-safety:</b> a base belongs to one thread: the thread that created it, then the thread that last ran
 * its loop. Its events are used on that thread, which is checked (wrong thread → {@link IllegalStateException}),
 * except {@link #execute(Runnable)}, {@link #loopBreak()}, {@link #loopExit()} and its variants,
 * {@link Event#active(int)}, {@link Event#add()} / {@link Event#add(long, TimeUnit)} and {@link Event#del()},
 * which any thread may call: they reach the loop through a lock-free queue and wake it only when it may be asleep.
 * {@link #close()} may be called from any thread when the loop is not running.
 */
public final class EventBase implements AutoCloseable
{
    /** libevent's {@code EVLOOP_ONCE}: block until something is active, run until nothing is, return. */
    public static final int LOOP_ONCE = Loop.LOOP_ONCE;
    /** libevent's {@code EVLOOP_NONBLOCK}: poll once without blocking. */
    public static final int LOOP_NONBLOCK = Loop.LOOP_NONBLOCK;
    /** libevent's {@code EVLOOP_NO_EXIT_ON_EMPTY}: keep running with no events. */
    public static final int LOOP_NO_EXIT_ON_EMPTY = Loop.LOOP_NO_EXIT_ON_EMPTY;
    /** libevent's {@code EVENT_BASE_COUNT_ACTIVE}. */
    public static final int COUNT_ACTIVE = 1;
    /** libevent's {@code EVENT_BASE_COUNT_VIRTUAL} (always 0 in Panamax). */
    public static final int COUNT_VIRTUAL = 2;
    /** libevent's {@code EVENT_BASE_COUNT_ADDED}: each event counts once per list it is on. */
    public static final int COUNT_ADDED = 4;
    /** libevent's {@code EVENT_MAX_PRIORITIES}. */
    public static final int MAX_PRIORITIES = Loop.MAX_PRIORITIES;

    private final Loop loop;
    private final Runnable exitNow;

    private EventBase(final Loop loop)
    {
        this.loop = loop;
        this.exitNow = () -> loop.loopExit(-1);
    }

    /**
     * libevent's {@code event_base_new}.
     *
     * @return a base on the platform's best backend.
     * @throws PanamaxException when a system call fails or the JVM lacks Agrona's {@code --add-exports} flag.
     */
    public static EventBase create()
    {
        return create(EventBaseConfig.create());
    }

    /**
     * libevent's {@code event_base_new_with_config}.
     *
     * @param config the configuration.
     * @return a base.
     * @throws PanamaxException when no backend fits, a system call fails, or the JVM lacks Agrona's flag.
     */
    public static EventBase create(final EventBaseConfig config)
    {
        return new EventBase(new Loop(config));
    }

    /**
     * @return libevent's {@code event_get_supported_methods}: backend names usable here, best first.
     */
    public static List<String> supportedMethods()
    {
        return Backends.supportedMethods();
    }

    Loop loop()
    {
        return loop;
    }

    /**
     * @return the backend's name ({@code "epoll"}, {@code "poll"}, {@code "kqueue"}).
     */
    public String method()
    {
        return loop.backend().method();
    }

    /**
     * @return {@code EventBaseConfig.FEATURE_*} bits of the backend.
     */
    public int features()
    {
        return loop.backend().features();
    }

    /**
     * libevent's {@code event_base_dispatch}: {@code loop(0)}.
     *
     * @return as {@link #loop(int)}.
     */
    public int dispatch()
    {
        return loop.loop(0);
    }

    /**
     * libevent's {@code event_base_loop}. The calling thread becomes the base's owner.
     *
     * @param flags {@link #LOOP_ONCE}, {@link #LOOP_NONBLOCK}, {@link #LOOP_NO_EXIT_ON_EMPTY}.
     * @return 0 after an exit, a break or a finished ONCE/NONBLOCK run; 1 when no events were pending or active;
     *         -1 on error, including a re-entrant call from a callback or a call while another thread runs it.
     * @throws IllegalStateException when closed.
     */
    public int loop(final int flags)
    {
        return loop.loop(flags);
    }

    /**
     * libevent's {@code event_base_loopexit(base, NULL)}: exit after the active callbacks of this iteration.
     * Any thread.
     */
    public void loopExit()
    {
        if (loop.isOwnerThread())
        {
            loop.loopExit(-1);
        }
        else
        {
            loop.execute(exitNow);
        }
    }

    /**
     * libevent's {@code event_base_loopexit}: exit after a delay; when called several times, the earliest wins.
     * Any thread.
     *
     * @param timeout the delay.
     * @param unit    its unit.
     */
    public void loopExit(final long timeout, final TimeUnit unit)
    {
        final long ns = unit.toNanos(timeout);
        if (loop.isOwnerThread())
        {
            loop.loopExit(Math.max(0, ns));
        }
        else
        {
            loop.execute(() -> loop.loopExit(Math.max(0, ns)));
        }
    }

    /**
     * {@link #loopExit(long, TimeUnit)} with a {@link Duration}.
     *
     * @param timeout the delay.
     */
    public void loopExit(final Duration timeout)
    {
        loopExit(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * libevent's {@code event_base_loopbreak}: stop right after the running callback. Any thread.
     */
    public void loopBreak()
    {
        loop.loopBreakFromAnyThread();
    }

    /**
     * libevent's {@code event_base_loopcontinue}: poll again right after the running callback.
     */
    public void loopContinue()
    {
        loop.loopContinue();
    }

    /**
     * @return libevent's {@code event_base_got_exit}: true from a {@code loopExit} until the loop is entered again.
     */
    public boolean gotExit()
    {
        return loop.gotExit();
    }

    /**
     * @return libevent's {@code event_base_got_break}.
     */
    public boolean gotBreak()
    {
        return loop.gotBreak();
    }

    /**
     * libevent's {@code event_base_priority_init}. New events get priority {@code n / 2}.
     *
     * @param n 1 ≤ n &lt; {@link #MAX_PRIORITIES}.
     * @throws IllegalStateException when events are active.
     */
    public void priorityInit(final int n)
    {
        loop.priorityInit(n);
    }

    /**
     * @return libevent's {@code event_base_get_npriorities}.
     */
    public int npriorities()
    {
        return loop.priorities();
    }

    /**
     * libevent's {@code event_base_once}: a one-shot event without an {@link Event} object. A pure
     * {@link Ev#TIMEOUT} with a zero timeout runs in the next iteration without touching the timer heap.
     *
     * @param fd       an fd, or -1.
     * @param events   {@link Ev#TIMEOUT}, {@link Ev#READ}, {@link Ev#WRITE}, {@link Ev#CLOSED}.
     * @param timeout  the timeout, or a negative value for none.
     * @param unit     its unit.
     * @param callback run once.
     * @throws IllegalArgumentException for SIGNAL or PERSIST, or no usable event bit.
     */
    public void once(final int fd, final int events, final long timeout, final TimeUnit unit,
        final EventCallback callback)
    {
        loop.once(fd, events, timeout < 0 ? -1 : unit.toNanos(timeout), callback);
    }

    /**
     * libevent's {@code event_base_init_common_timeout}: the common timeout of this duration (the same queue for
     * the same duration), at most 256 per base.
     *
     * @param duration the duration.
     * @param unit     its unit.
     * @return the handle to pass to {@link Event#add(CommonTimeout)}.
     * @throws IllegalStateException beyond 256 durations.
     */
    public CommonTimeout initCommonTimeout(final long duration, final TimeUnit unit)
    {
        return new CommonTimeout(this, loop.initCommonTimeout(unit.toNanos(duration)));
    }

    /**
     * libevent's {@code event_base_gettimeofday_cached}: wall-clock time cached for the iteration.
     *
     * @return nanoseconds since the epoch.
     */
    public long gettimeofdayCachedNs()
    {
        loop.checkOwner();
        return loop.wallNow();
    }

    /**
     * libevent's {@code event_gettime_monotonic}: the base's monotonic time (cached in the loop).
     *
     * @return {@link System#nanoTime()}-scale nanoseconds.
     */
    public long gettimeMonotonicNs()
    {
        loop.checkOwner();
        return loop.now();
    }

    /**
     * libevent's {@code event_base_update_cache_time}: refresh the cache inside a long callback.
     */
    public void updateCacheTime()
    {
        loop.updateCacheTime();
    }

    /**
     * libevent's {@code event_base_get_num_events}.
     *
     * @param which {@link #COUNT_ACTIVE}, {@link #COUNT_VIRTUAL}, {@link #COUNT_ADDED}, OR-ed (counts add up).
     * @return the count.
     */
    public int numEvents(final int which)
    {
        return loop.numEvents(which);
    }

    /**
     * libevent's {@code event_base_get_max_events}.
     *
     * @param which COUNT_* bits (maxima add up).
     * @param clear reset the maxima to the current counts.
     * @return the maximum.
     */
    public int maxEvents(final int which, final boolean clear)
    {
        return loop.maxEvents(which, clear);
    }

    /**
     * libevent's {@code event_base_foreach_event}: visit each added or active event once.
     *
     * @param visitor returns non-zero to stop.
     * @return the visitor's first non-zero result, or 0.
     */
    public int foreachEvent(final EventVisitor visitor)
    {
        return loop.foreachHandle(handle -> visitor.visit((Event)handle));
    }

    /**
     * @return libevent's {@code event_base_get_running_event}, or null.
     */
    public Event runningEvent()
    {
        loop.checkOwner();
        final EvCore ev = loop.runningEvent();
        return null == ev ? null : (Event)ev.handle();
    }

    /**
     * libevent's {@code event_base_active_by_fd}.
     *
     * @param fd     the fd; unknown ones are ignored.
     * @param events {@link Ev#READ}, {@link Ev#WRITE}, {@link Ev#CLOSED}, {@link Ev#TIMEOUT}.
     */
    public void activeByFd(final int fd, final int events)
    {
        loop.activeByFd(fd, events);
    }

    /**
     * libevent's {@code event_base_active_by_signal}.
     *
     * @param signum the signal; unknown ones are ignored.
     */
    public void activeBySignal(final int signum)
    {
        loop.activeBySignal(signum);
    }

    /**
     * Run a task on the loop thread in the next iteration (beyond libevent; its {@code event_base_once} from
     * another thread). Any thread; spins while the inbox is full.
     *
     * @param task the task.
     * @throws IllegalStateException when closed.
     */
    public void execute(final Runnable task)
    {
        loop.execute(task);
    }

    /**
     * @return callback exceptions reported to the error handler so far.
     */
    public long errorCount()
    {
        return loop.errorCount();
    }

    /**
     * @return true after {@link #close()} completed.
     */
    public boolean isClosed()
    {
        return loop.isClosed();
    }

    /**
     * libevent's {@code event_base_free}: drop every event, restore signal handlers, close the backend and the
     * wake-up fd, release every off-heap byte. Does not close user fds. Idempotent. From a callback, or from another
     * thread while the loop runs, the base closes when the loop returns.
     */
    @Override
    public void close()
    {
        loop.close();
    }
}
