package io.panamax;

/**
 * libevent's {@code ev_token_bucket}: the read and write levels of one bucket (a bufferevent's or a group's) and the
 * tick it was last refilled in. Levels are signed: I/O may overdraw them ("deficit spending"), and a level at or
 * below zero means that direction waits for a refill.
 * <p>
 * <b>Thread-safety:</b> none; guarded by the owner's lock (the bufferevent's or the group's).
 */
final class EvTokenBucket
{
    long readLevel;
    long writeLevel;
    long lastTick;

    /**
     * A new bucket: one tick's worth in each direction (libevent's {@code ev_token_bucket_init_}: the levels start
     * at the rate, not the burst).
     */
    void init(final EvTokenBucketCfg cfg, final long tick)
    {
        readLevel = cfg.readRate();
        writeLevel = cfg.writeRate();
        lastTick = tick;
    }

    /**
     * A new configuration for a bucket in use: the levels are only clipped down to the new bursts, since this
     * tick's bytes are spent already; the tick count restarts in the new configuration's ticks.
     */
    void reinit(final EvTokenBucketCfg cfg, final long tick)
    {
        readLevel = Math.min(readLevel, cfg.readBurst());
        writeLevel = Math.min(writeLevel, cfg.writeBurst());
        lastTick = tick;
    }

    /**
     * libevent's {@code ev_token_bucket_update_}: add {@code rate} per tick elapsed since the last update, capped at
     * the burst (a level above the burst, after a hand refill, drops to the burst).
     *
     * @return true when at least one tick elapsed.
     */
    boolean update(final EvTokenBucketCfg cfg, final long tick)
    {
        final long ticks = tick - lastTick;
        if (ticks <= 0)
        {
            return false;
        }
        readLevel = refill(readLevel, cfg.readRate(), cfg.readBurst(), ticks);
        writeLevel = refill(writeLevel, cfg.writeRate(), cfg.writeBurst(), ticks);
        lastTick = tick;
        return true;
    }

    /**
     * Take {@code n} bytes from one direction by hand (negative: add them), saturating at the long range.
     *
     * @return the level before.
     */
    long take(final boolean read, final long n)
    {
        final long old = read ? readLevel : writeLevel;
        final long level = minus(old, n);
        if (read)
        {
            readLevel = level;
        }
        else
        {
            writeLevel = level;
        }
        return old;
    }

    /** @return the level of one direction. */
    long level(final boolean read)
    {
        return read ? readLevel : writeLevel;
    }

    /** level + ticks × rate, capped at burst, without overflow. */
    static long refill(final long level, final long rate, final long burst, final long ticks)
    {
        final long added = ticks > Long.MAX_VALUE / rate ? Long.MAX_VALUE : ticks * rate;
        return level >= burst - added ? burst : level + added;
    }

    /** level − n, saturating at the long range (a hand decrement may be any value). */
    static long minus(final long level, final long n)
    {
        final long r = level - n;
        if (((level ^ n) & (level ^ r)) < 0)
        {
            return level < 0 ? Long.MIN_VALUE + 1 : Long.MAX_VALUE;
        }
        return r;
    }
}
