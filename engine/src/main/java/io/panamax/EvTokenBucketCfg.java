package io.panamax;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * libevent's {@code ev_token_bucket_cfg}: a token-bucket rate limit for {@link BufferEvent#setRateLimit} and
 * {@link BevRateLimitGroup}. Each direction gets {@code rate} bytes per tick, and its bucket holds at most
 * {@code burst} bytes. Ticks are counted in whole milliseconds of the loop's monotonic clock (libevent's
 * millisecond granularity; fractions of a millisecond in the tick are dropped).
 * <p>
 * {@link #create} rejects exactly what libevent's {@code ev_token_bucket_cfg_new} rejects, where libevent returns
 * NULL: a rate above its burst, a rate below 1, a value above {@link #RATE_LIMIT_MAX}, a tick shorter than one
 * millisecond (tick 0: libevent's {@code bufferevent_ratelimit_div_by_zero}), a negative tick, or a tick of more
 * than {@code INT_MAX/1000} seconds (libevent's {@code bufferevent_ratelimit_overflow}).
 * <p>
 * <b>Thread-safety:</b> immutable; one configuration may be shared by any number of bufferevents and threads.
 */
public final class EvTokenBucketCfg
{
    /**
     * libevent's {@code EV_RATE_LIMIT_MAX} ({@code EV_SSIZE_MAX} on a 64-bit platform): the largest rate or burst.
     * A C caller reaches larger values as {@code size_t}; in Java those are the negative longs, which are rejected.
     */
    public static final long RATE_LIMIT_MAX = Long.MAX_VALUE;

    /** The largest tick in seconds libevent accepts: {@code INT_MAX/1000}. */
    public static final long MAX_TICK_SECONDS = Integer.MAX_VALUE / 1000;

    private final long readRate;
    private final long readBurst;
    private final long writeRate;
    private final long writeBurst;
    private final long tickMs;

    private EvTokenBucketCfg(
        final long readRate, final long readBurst, final long writeRate, final long writeBurst, final long tickMs)
    {
        this.readRate = readRate;
        this.readBurst = readBurst;
        this.writeRate = writeRate;
        this.writeBurst = writeBurst;
        this.tickMs = tickMs;
    }

    /**
     * libevent's {@code ev_token_bucket_cfg_new} with a NULL tick: one tick per second.
     *
     * @param readRate   bytes read per tick on average (at least 1).
     * @param readBurst  bytes read at most in one tick: the read bucket's size (at least {@code readRate}).
     * @param writeRate  bytes written per tick on average (at least 1).
     * @param writeBurst bytes written at most in one tick (at least {@code writeRate}).
     * @return the configuration.
     * @throws IllegalArgumentException where libevent returns NULL (see the class comment).
     */
    public static EvTokenBucketCfg create(
        final long readRate, final long readBurst, final long writeRate, final long writeBurst)
    {
        return create(readRate, readBurst, writeRate, writeBurst, 1, TimeUnit.SECONDS);
    }

    /**
     * libevent's {@code ev_token_bucket_cfg_new}.
     *
     * @param readRate   bytes read per tick on average (at least 1).
     * @param readBurst  bytes read at most in one tick: the read bucket's size (at least {@code readRate}).
     * @param writeRate  bytes written per tick on average (at least 1).
     * @param writeBurst bytes written at most in one tick (at least {@code writeRate}).
     * @param tick       the tick length, at least one millisecond and at most {@link #MAX_TICK_SECONDS} seconds.
     * @param unit       the unit of {@code tick}.
     * @return the configuration.
     * @throws IllegalArgumentException where libevent returns NULL (see the class comment).
     */
    public static EvTokenBucketCfg create(
        final long readRate,
        final long readBurst,
        final long writeRate,
        final long writeBurst,
        final long tick,
        final TimeUnit unit)
    {
        Objects.requireNonNull(unit, "unit");
        if (tick < 0 || unit.toSeconds(tick) > MAX_TICK_SECONDS)
        {
            throw new IllegalArgumentException(
                "tick out of range (0 to INT_MAX/1000 seconds): " + tick + " " + unit);
        }
        final long tickMs = unit.toMillis(tick);
        if (0 == tickMs)
        {
            throw new IllegalArgumentException("tick shorter than one millisecond: " + tick + " " + unit);
        }
        checkDirection("read", readRate, readBurst);
        checkDirection("write", writeRate, writeBurst);
        return new EvTokenBucketCfg(readRate, readBurst, writeRate, writeBurst, tickMs);
    }

    private static void checkDirection(final String direction, final long rate, final long burst)
    {
        if (rate < 1)
        {
            throw new IllegalArgumentException(direction + " rate below 1 (or above RATE_LIMIT_MAX): " + rate);
        }
        if (rate > burst)
        {
            throw new IllegalArgumentException(
                direction + " rate " + rate + " above its burst " + Long.toUnsignedString(burst));
        }
    }

    /**
     * @return bytes read per tick.
     */
    public long readRate()
    {
        return readRate;
    }

    /**
     * @return the read bucket's size (libevent's {@code read_maximum}).
     */
    public long readBurst()
    {
        return readBurst;
    }

    /**
     * @return bytes written per tick.
     */
    public long writeRate()
    {
        return writeRate;
    }

    /**
     * @return the write bucket's size (libevent's {@code write_maximum}).
     */
    public long writeBurst()
    {
        return writeBurst;
    }

    /**
     * @return the tick length in milliseconds (libevent's {@code msec_per_tick}).
     */
    public long tickMs()
    {
        return tickMs;
    }

    /**
     * @return the tick length in nanoseconds.
     */
    long tickNs()
    {
        return tickMs * 1_000_000L;
    }

    /**
     * @param nowNs a monotonic time in nanoseconds (the loop's clock).
     * @return the number of the tick {@code nowNs} falls in (libevent's {@code ev_token_bucket_get_tick_}).
     */
    long tick(final long nowNs)
    {
        return Math.floorDiv(nowNs, tickNs());
    }

    @Override
    public String toString()
    {
        return "EvTokenBucketCfg[read=" + readRate + "/" + readBurst + ", write=" + writeRate + "/" + writeBurst +
            ", tickMs=" + tickMs + "]";
    }
}
