package io.panamax;

import io.panamax.internal.loop.EvCore;
import io.panamax.internal.loop.Loop;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The rate limit of one {@link BufferEvent} (libevent's {@code bufferevent_ratelim.c}, per-bufferevent part): its
 * token bucket, the refill timer, and the budget the socket read and write paths ask for.
 * <p>
 * The bucket is refilled lazily: whenever it is looked at, the ticks elapsed on the loop's clock since the last
 * look are added. A read or a write is capped by the bucket's level and takes its bytes from it; when the level
 * reaches zero or below, that direction is suspended ({@link BufferEvent#SUSPEND_BW}, apart from "enabled") and
 * one refill timer is armed for the start of the next tick, which resumes the direction once its level is
 * positive again. A zero budget never turns into a zero-sized read or write (libevent #1440/#1439). Nothing is
 * allocated per read, write or tick.
 * <p>
 * <b>Thread-safety:</b> guarded by the bufferevent's lock ({@link BevOpt#THREADSAFE}); timer work is handed to
 * the loop thread.
 */
final class BevRateLimit
{
    private final BufferEvent bev;
    private final Loop loop;
    private final EvCore refill;
    private final Runnable armOnLoop = this::armOnLoop;
    private final AtomicBoolean armQueued = new AtomicBoolean();
    private final EvTokenBucket bucket = new EvTokenBucket();
    private EvTokenBucketCfg cfg;
    BevRateLimitGroup group;

    BevRateLimit(final BufferEvent bev)
    {
        this.bev = bev;
        this.loop = bev.loop;
        this.refill = new EvCore(loop, -1, 0, this::onRefill, null);
    }

    EvTokenBucketCfg cfg()
    {
        return cfg;
    }

    private long nowNs()
    {
        return loop.isOwnerThread() ? loop.now() : System.nanoTime();
    }

    /** libevent's {@code bufferevent_set_rate_limit}, with the lock held. */
    void setCfg(final EvTokenBucketCfg newCfg)
    {
        if (null == newCfg)
        {
            cfg = null;
            bev.unsuspendRead(BufferEvent.SUSPEND_BW);
            bev.unsuspendWrite(BufferEvent.SUSPEND_BW);
            disarm();
            return;
        }
        if (newCfg == cfg)
        {
            return;
        }
        final long tick = newCfg.tick(nowNs());
        if (null == cfg)
        {
            bucket.init(newCfg, tick);
        }
        else
        {
            bucket.update(cfg, cfg.tick(nowNs()));
            bucket.reinit(newCfg, tick);
        }
        cfg = newCfg;
        disarm();
        boolean suspended = false;
        if (bucket.readLevel > 0)
        {
            bev.unsuspendRead(BufferEvent.SUSPEND_BW);
        }
        else
        {
            bev.suspendRead(BufferEvent.SUSPEND_BW);
            suspended = true;
        }
        if (bucket.writeLevel > 0)
        {
            bev.unsuspendWrite(BufferEvent.SUSPEND_BW);
        }
        else
        {
            bev.suspendWrite(BufferEvent.SUSPEND_BW);
            suspended = true;
        }
        if (suspended)
        {
            arm();
        }
    }

    private void updateBucket()
    {
        final EvTokenBucketCfg cfg = this.cfg;
        bucket.update(cfg, cfg.tick(nowNs()));
    }

    /** @return the read bucket's level (libevent's {@code bufferevent_get_read_limit}); no limit: Long.MAX_VALUE. */
    long readLimit()
    {
        if (null == cfg)
        {
            return Long.MAX_VALUE;
        }
        updateBucket();
        return bucket.readLevel;
    }

    /** @return the write bucket's level; no limit: Long.MAX_VALUE. */
    long writeLimit()
    {
        if (null == cfg)
        {
            return Long.MAX_VALUE;
        }
        updateBucket();
        return bucket.writeLevel;
    }

    /**
     * libevent's {@code bufferevent_get_rlim_max_}: {@code cap} clamped by the bucket and the group share.
     *
     * @return the bytes that may be read now, never negative.
     */
    long readMax(final long cap)
    {
        long max = cap;
        if (null != cfg)
        {
            updateBucket();
            max = Math.min(max, bucket.readLevel);
        }
        final BevRateLimitGroup group = this.group;
        if (null != group)
        {
            max = Math.min(max, group.readShare());
        }
        return Math.max(max, 0);
    }

    /** @return the bytes that may be written now, never negative. */
    long writeMax(final long cap)
    {
        long max = cap;
        if (null != cfg)
        {
            updateBucket();
            max = Math.min(max, bucket.writeLevel);
        }
        final BevRateLimitGroup group = this.group;
        if (null != group)
        {
            max = Math.min(max, group.writeShare());
        }
        return Math.max(max, 0);
    }

    /**
     * The read path's budget: {@code cap} clamped by the limit; a spent budget suspends reading until a refill.
     *
     * @return bytes to read, or 0 when reading is now suspended (never read 0 bytes).
     */
    long readBudget(final long cap)
    {
        final long max = readMax(cap);
        if (max <= 0)
        {
            waitForRefill(true);
        }
        return max;
    }

    /**
     * The write path's budget: as {@link #readBudget}.
     *
     * @return bytes to write, or 0 when writing is now suspended.
     */
    long writeBudget(final long cap)
    {
        final long max = writeMax(cap);
        if (max <= 0)
        {
            waitForRefill(false);
        }
        return max;
    }

    private void waitForRefill(final boolean read)
    {
        if (null != cfg && (read ? bucket.readLevel : bucket.writeLevel) <= 0)
        {
            bev.suspend(read, BufferEvent.SUSPEND_BW);
            arm();
        }
        final BevRateLimitGroup group = this.group;
        if (null != group)
        {
            group.waitForRefill(bev, read);
        }
    }

    /** libevent's {@code bufferevent_decrement_read_buckets_}: {@code n} bytes were read. */
    void readDone(final long n)
    {
        if (null != cfg)
        {
            bucket.readLevel -= n;
            if (bucket.readLevel <= 0)
            {
                bev.suspendRead(BufferEvent.SUSPEND_BW);
                arm();
            }
        }
        final BevRateLimitGroup group = this.group;
        if (null != group)
        {
            group.readDone(n);
        }
    }

    /** libevent's {@code bufferevent_decrement_write_buckets_}: {@code n} bytes were written. */
    void writeDone(final long n)
    {
        if (null != cfg)
        {
            bucket.writeLevel -= n;
            if (bucket.writeLevel <= 0)
            {
                bev.suspendWrite(BufferEvent.SUSPEND_BW);
                arm();
            }
        }
        final BevRateLimitGroup group = this.group;
        if (null != group)
        {
            group.writeDone(n);
        }
    }

    /**
     * libevent's {@code bufferevent_decrement_read_limit} and {@code _write_limit}: take {@code n} from a bucket (a
     * negative value refills it); crossing zero downwards suspends that direction and arms the refill timer,
     * upwards resumes it (and drops the timer when the other direction does not wait for it). As in libevent, the
     * level is not refilled for elapsed ticks first (the refill timer or the next look does that).
     */
    void decrement(final boolean read, final long n)
    {
        checkCfg();
        final long old = bucket.take(read, n);
        final long level = bucket.level(read);
        if (old > 0 && level <= 0)
        {
            bev.suspend(read, BufferEvent.SUSPEND_BW);
            arm();
        }
        else if (old <= 0 && level > 0)
        {
            if (0 == ((read ? bev.writeSuspended : bev.readSuspended) & BufferEvent.SUSPEND_BW))
            {
                disarm();
            }
            bev.unsuspend(read, BufferEvent.SUSPEND_BW);
        }
    }

    private void checkCfg()
    {
        if (null == cfg)
        {
            throw new IllegalStateException("no rate limit set on this BufferEvent");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The refill timer: one event, armed for the start of the next tick

    private void arm()
    {
        if (loop.isOwnerThread())
        {
            armNow();
        }
        else if (armQueued.compareAndSet(false, true))
        {
            try
            {
                loop.execute(armOnLoop);
            }
            catch (final IllegalStateException ex)
            {
                armQueued.set(false);
            }
        }
    }

    private void armNow()
    {
        final EvTokenBucketCfg cfg = this.cfg;
        if (null == cfg || refill.isClosed() || 0 != loop.pending(refill, Ev.TIMEOUT))
        {
            return;
        }
        final long tickNs = cfg.tickNs();
        loop.add(refill, tickNs - Math.floorMod(loop.now(), tickNs));
    }

    private void armOnLoop()
    {
        armQueued.set(false);
        bev.lockIf();
        try
        {
            if (!bev.isClosed() &&
                0 != ((bev.readSuspended | bev.writeSuspended) & BufferEvent.SUSPEND_BW))
            {
                armNow();
            }
        }
        finally
        {
            bev.unlockIf();
        }
    }

    private void disarm()
    {
        if (loop.isOwnerThread() && !refill.isClosed())
        {
            loop.del(refill);
        }
    }

    /** libevent's {@code bev_refill_callback_}. */
    private void onRefill(final int ignoredFd, final int ignoredWhat)
    {
        bev.increfAndLock();
        try
        {
            if (bev.isClosed() || null == cfg)
            {
                return;
            }
            updateBucket();
            boolean again = false;
            if (0 != (bev.readSuspended & BufferEvent.SUSPEND_BW))
            {
                if (bucket.readLevel > 0)
                {
                    bev.unsuspendRead(BufferEvent.SUSPEND_BW);
                }
                else
                {
                    again = true;
                }
            }
            if (0 != (bev.writeSuspended & BufferEvent.SUSPEND_BW))
            {
                if (bucket.writeLevel > 0)
                {
                    bev.unsuspendWrite(BufferEvent.SUSPEND_BW);
                }
                else
                {
                    again = true;
                }
            }
            if (again)
            {
                armNow();
            }
        }
        finally
        {
            bev.decrefAndUnlock();
        }
    }

    /** @return whether the refill timer is armed (tests). */
    boolean refillArmed()
    {
        return !refill.isClosed() && 0 != loop.pending(refill, Ev.TIMEOUT);
    }

    /** Leave the group and close the refill timer (the bufferevent is being destroyed, on the loop thread). */
    void close()
    {
        final BevRateLimitGroup group = this.group;
        if (null != group)
        {
            group.remove(bev, false);
        }
        cfg = null;
        if (loop.isClosed() || loop.isOwnerThread())
        {
            loop.close(refill);
        }
    }
}
