package io.panamax.internal.loop;

/**
 * A loop's notion of time (libevent's {@code tv_cache} and {@code tv_clock_diff}): the monotonic time cached at
 * the last wake-up unless {@code FLAG_NO_CACHE_TIME}, and the offset that turns it into wall-clock time,
 * re-calibrated at most once a second.
 * <p>
 * <b>Thread-safety:</b> NOT thread safe; confined to the loop thread.
 */
final class LoopClock
{
    private static final long CALIBRATION_INTERVAL_NS = 1_000_000_000L;

    private final boolean cacheTime;
    private boolean cached;
    private long cachedNs;
    private long wallOffsetNs;
    private long wallCalibratedNs;

    /**
     * @param cacheTime cache the time at each wake-up (false under {@code FLAG_NO_CACHE_TIME}).
     */
    LoopClock(final boolean cacheTime)
    {
        this.cacheTime = cacheTime;
        calibrate(System.nanoTime());
    }

    /**
     * @return the cached monotonic time, or the clock when nothing is cached.
     */
    long now()
    {
        return cached ? cachedNs : System.nanoTime();
    }

    /**
     * @param monotonicNs a {@link System#nanoTime()} value.
     * @return the same instant as wall-clock nanoseconds since the epoch.
     */
    long toWall(final long monotonicNs)
    {
        return monotonicNs + wallOffsetNs;
    }

    /**
     * Re-read the clock into the cache if one is held (libevent's {@code event_base_update_cache_time}).
     */
    void update()
    {
        if (cached)
        {
            cachedNs = System.nanoTime();
        }
    }

    /**
     * After a wait: cache the clock (when caching) and re-calibrate the wall offset when it is old.
     */
    void refresh()
    {
        final long nowNs = System.nanoTime();
        if (cacheTime)
        {
            cachedNs = nowNs;
            cached = true;
        }
        if (nowNs - wallCalibratedNs > CALIBRATION_INTERVAL_NS)
        {
            calibrate(nowNs);
        }
    }

    /**
     * Drop the cache (before a wait, and when the loop returns).
     */
    void invalidate()
    {
        cached = false;
    }

    /**
     * @return true while a time is cached.
     */
    boolean isCached()
    {
        return cached;
    }

    private void calibrate(final long nowNs)
    {
        wallOffsetNs = System.currentTimeMillis() * 1_000_000L - nowNs;
        wallCalibratedNs = nowNs;
    }
}
