package io.panamax;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * How to build an {@link EventBase} (libevent's {@code event_config}): backend choice, required features, flags,
 * dispatch limits, busy-poll and the error handler. Setters return {@code this}.
 * <p>
 * <b>Thread-safety:</b> a plain mutable builder; use it from one thread. {@link EventBase#create(EventBaseConfig)}
 * copies what it needs, so later changes do not affect a created base.
 */
public final class EventBaseConfig
{
    /** Backend feature: edge-triggered events ({@link Ev#ET}). */
    public static final int FEATURE_ET = 0x01;
    /** Backend feature: O(1) add, delete and readiness. */
    public static final int FEATURE_O1 = 0x02;
    /** Backend feature: any kind of fd, not only sockets. */
    public static final int FEATURE_FDS = 0x04;
    /** Backend feature: {@link Ev#CLOSED} is reported without reading the pending data. */
    public static final int FEATURE_EARLY_CLOSE = 0x08;

    /** libevent's {@code EVENT_BASE_FLAG_NOLOCK}: accepted, no effect (a base has no lock to drop). */
    public static final int FLAG_NOLOCK = 0x01;
    /** Ignore the {@code EVENT_NO<METHOD>} environment variables. */
    public static final int FLAG_IGNORE_ENV = 0x02;
    /** Read the clock on every time query instead of caching it per iteration. */
    public static final int FLAG_NO_CACHE_TIME = 0x08;
    /**
     * libevent's opt-in for the epoll changelist: accepted, no effect, because Panamax always collapses changes
     * (see {@link EventBase} on dup'ed fds).
     */
    public static final int FLAG_EPOLL_USE_CHANGELIST = 0x10;
    /** Nanosecond timers: waits finish with a short spin instead of rounding up to the millisecond. Default on. */
    public static final int FLAG_PRECISE_TIMER = 0x20;

    private static final int KNOWN_FLAGS = FLAG_NOLOCK | FLAG_IGNORE_ENV | FLAG_NO_CACHE_TIME |
        FLAG_EPOLL_USE_CHANGELIST | FLAG_PRECISE_TIMER;

    private String method;
    private final Set<String> avoided = new LinkedHashSet<>();
    private int requiredFeatures;
    private int flags = FLAG_PRECISE_TIMER;
    private long maxDispatchIntervalNs = -1;
    private int maxDispatchCallbacks = -1;
    private int minPriority;
    private long busyPollNs;
    private int inboxCapacity = 4096;
    private ErrorHandler errorHandler;

    /**
     * @return a config with the defaults: best backend of the platform, precise timers, no limits.
     */
    public static EventBaseConfig create()
    {
        return new EventBaseConfig();
    }

    /**
     * Use exactly this backend (beyond libevent, which only lets one avoid methods).
     *
     * @param method {@code "epoll"}, {@code "kqueue"} or {@code "poll"}; null for the platform's best.
     * @return this.
     */
    public EventBaseConfig method(final String method)
    {
        this.method = method;
        return this;
    }

    /**
     * Exclude a backend by name (libevent's {@code event_config_avoid_method}).
     *
     * @param method a backend name.
     * @return this.
     */
    public EventBaseConfig avoidMethod(final String method)
    {
        avoided.add(Objects.requireNonNull(method, "method"));
        return this;
    }

    /**
     * Require backend features; each call replaces the previous value (libevent's
     * {@code event_config_require_features}).
     *
     * @param features {@link #FEATURE_ET}, {@link #FEATURE_O1}, {@link #FEATURE_FDS}, {@link #FEATURE_EARLY_CLOSE}.
     * @return this.
     */
    public EventBaseConfig requireFeatures(final int features)
    {
        if (0 != (features & ~0x0F))
        {
            throw new IllegalArgumentException("unknown feature bits: 0x" + Integer.toHexString(features));
        }
        this.requiredFeatures = features;
        return this;
    }

    /**
     * Set flags (libevent's {@code event_config_set_flag}; ORs into the current flags).
     *
     * @param flag one or more {@code FLAG_*} bits.
     * @return this.
     */
    public EventBaseConfig flag(final int flag)
    {
        if (0 != (flag & ~KNOWN_FLAGS))
        {
            throw new IllegalArgumentException("unknown flag bits: 0x" + Integer.toHexString(flag));
        }
        flags |= flag;
        return this;
    }

    /**
     * Precise timers (default) or libevent's millisecond rounding, which never spins.
     *
     * @param precise true for {@link #FLAG_PRECISE_TIMER}.
     * @return this.
     */
    public EventBaseConfig preciseTimer(final boolean precise)
    {
        flags = precise ? flags | FLAG_PRECISE_TIMER : flags & ~FLAG_PRECISE_TIMER;
        return this;
    }

    /**
     * Go back to polling after {@code maxCallbacks} callbacks or {@code maxIntervalNs} of callbacks, for queues of
     * priority ≥ {@code minPriority} (libevent's {@code event_config_set_max_dispatch_interval}).
     *
     * @param maxIntervalNs longest run of callbacks, or -1 for no limit.
     * @param maxCallbacks  most callbacks per iteration, or -1 for no limit.
     * @param minPriority   the limits apply to queues of this priority and less urgent ones.
     * @return this.
     */
    public EventBaseConfig maxDispatchInterval(final long maxIntervalNs, final int maxCallbacks, final int minPriority)
    {
        this.maxDispatchIntervalNs = maxIntervalNs < 0 ? -1 : maxIntervalNs;
        this.maxDispatchCallbacks = maxCallbacks < 0 ? -1 : maxCallbacks;
        this.minPriority = Math.max(0, minPriority);
        return this;
    }

    /**
     * Busy-poll (beyond libevent): before blocking, poll without waiting for up to this long.
     *
     * @param busyPoll how long to spin; zero turns it off.
     * @return this.
     */
    public EventBaseConfig busyPoll(final Duration busyPoll)
    {
        this.busyPollNs = Math.max(0, busyPoll.toNanos());
        return this;
    }

    /**
     * How many cross-thread tasks may wait for the loop before {@link EventBase#execute(Runnable)} spins.
     *
     * @param capacity a power of two ≥ 2 is used at least this large.
     * @return this.
     */
    public EventBaseConfig inboxCapacity(final int capacity)
    {
        if (capacity < 2)
        {
            throw new IllegalArgumentException("inbox capacity < 2: " + capacity);
        }
        this.inboxCapacity = capacity;
        return this;
    }

    /**
     * @param handler receives callback exceptions; null restores the default ({@link System.Logger}).
     * @return this.
     */
    public EventBaseConfig errorHandler(final ErrorHandler handler)
    {
        this.errorHandler = handler;
        return this;
    }

    /**
     * @return the forced backend name, or null.
     */
    public String method()
    {
        return method;
    }

    /**
     * @return the avoided backend names.
     */
    public Set<String> avoidedMethods()
    {
        return Set.copyOf(avoided);
    }

    /**
     * @return the required features.
     */
    public int requiredFeatures()
    {
        return requiredFeatures;
    }

    /**
     * @return the flags.
     */
    public int flags()
    {
        return flags;
    }

    /**
     * @return the dispatch-interval limit in nanoseconds, or -1.
     */
    public long maxDispatchIntervalNs()
    {
        return maxDispatchIntervalNs;
    }

    /**
     * @return the callbacks-per-iteration limit, or -1.
     */
    public int maxDispatchCallbacks()
    {
        return maxDispatchCallbacks;
    }

    /**
     * @return the most urgent priority the dispatch limits apply to.
     */
    public int minPriority()
    {
        return minPriority;
    }

    /**
     * @return the busy-poll time in nanoseconds (0 = off).
     */
    public long busyPollNs()
    {
        return busyPollNs;
    }

    /**
     * @return the cross-thread inbox capacity.
     */
    public int inboxCapacity()
    {
        return inboxCapacity;
    }

    /**
     * @return the error handler, or null for the default.
     */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }
}
