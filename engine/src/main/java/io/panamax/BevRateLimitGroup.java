package io.panamax;

import io.panamax.internal.loop.EvCore;
import io.panamax.internal.loop.Loop;

import java.util.ArrayList;
import java.util.Objects;

/**
 * libevent's {@code bufferevent_rate_limit_group}: one token bucket shared by several bufferevents of a base. A
 * member reads or writes at most its share, {@code groupLevel / members} but at least {@link #minShare()} (so
 * at least one member can move bytes each tick), and every byte it moves is taken from the group's bucket (and
 * from its own bucket, if it also has one). When the group's level for a direction falls to zero or below, every
 * member is suspended in that direction ({@link BufferEvent#SUSPEND_BW_GROUP}) until a refill, run by the group's
 * own timer once per tick, brings the level back to at least the minimum share. Members are resumed in
 * round-robin order starting one further each time (libevent starts at a random member).
 * <p>
 * Join with {@link BufferEvent#addToRateLimitGroup}, leave with {@link BufferEvent#removeFromRateLimitGroup}
 * (closing a bufferevent also leaves its group). {@link #close()} needs an empty group.
 * <p>
 * <b>Thread-safety:</b> confined to the loop thread of its base (checked), like the I/O it limits; members that
 * are {@link BevOpt#THREADSAFE} are suspended and resumed under their own lock (tried, never waited for: a member
 * whose lock is busy notices the suspension on its next read or write, and is resumed at the next tick).
 */
public final class BevRateLimitGroup implements AutoCloseable
{
    /** libevent's default minimum share, in bytes. */
    public static final long DEFAULT_MIN_SHARE = 64;

    private final Loop loop;
    private final EvCore refill;
    private final EvTokenBucket bucket = new EvTokenBucket();
    private final ArrayList<BufferEvent> members = new ArrayList<>();
    private EvTokenBucketCfg cfg;
    private long configuredMinShare;
    private long minShare;
    private long totalRead;
    private long totalWritten;
    private boolean readSuspended;
    private boolean writeSuspended;
    private boolean pendingUnsuspendRead;
    private boolean pendingUnsuspendWrite;
    private int nextFirst;
    private boolean closed;

    private BevRateLimitGroup(final EventBase base, final EvTokenBucketCfg cfg)
    {
        this.loop = base.loop();
        this.cfg = cfg;
        bucket.init(cfg, cfg.tick(loop.now()));
        refill = new EvCore(loop, -1, Ev.PERSIST, this::onRefill, null);
        loop.add(refill, cfg.tickNs());
        minShare(DEFAULT_MIN_SHARE);
    }

    /**
     * libevent's {@code bufferevent_rate_limit_group_new}.
     *
     * @param base the base whose bufferevents will join (on its owner thread).
     * @param cfg  the group's token bucket; its levels start at one tick's worth (the rates).
     * @return the group, with its refill timer running.
     */
    public static BevRateLimitGroup create(final EventBase base, final EvTokenBucketCfg cfg)
    {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cfg, "cfg");
        base.loop().checkOwner();
        return new BevRateLimitGroup(base, cfg);
    }

    private void checkUsable()
    {
        loop.checkOwner();
        if (closed)
        {
            throw new IllegalStateException("BevRateLimitGroup is closed");
        }
    }

    /**
     * libevent's {@code bufferevent_rate_limit_group_set_cfg}: a new configuration; the levels are clipped down to
     * the new bursts, and a new tick length restarts the refill timer.
     *
     * @param newCfg the configuration.
     * @return 0.
     */
    public int cfg(final EvTokenBucketCfg newCfg)
    {
        Objects.requireNonNull(newCfg, "cfg");
        checkUsable();
        final boolean sameTick = newCfg.tickMs() == cfg.tickMs();
        bucket.update(cfg, cfg.tick(loop.now()));
        bucket.reinit(newCfg, newCfg.tick(loop.now()));
        cfg = newCfg;
        if (!sameTick)
        {
            loop.add(refill, newCfg.tickNs());
        }
        minShare(configuredMinShare);
        return 0;
    }

    /**
     * @return the group's configuration.
     */
    public EvTokenBucketCfg cfg()
    {
        return cfg;
    }

    /**
     * libevent's {@code bufferevent_rate_limit_group_set_min_share}: the smallest share a member gets, whatever the
     * number of members (default {@link #DEFAULT_MIN_SHARE}); it is used capped at the rates, so that at steady
     * state at least one member can move bytes per tick.
     *
     * @param share bytes, 0 or more.
     * @return 0.
     * @throws IllegalArgumentException for a negative share (libevent returns -1 above {@code SSIZE_MAX}).
     */
    public int minShare(final long share)
    {
        if (share < 0)
        {
            throw new IllegalArgumentException("negative min share: " + share);
        }
        loop.checkOwner();
        configuredMinShare = share;
        minShare = Math.min(share, Math.min(cfg.readRate(), cfg.writeRate()));
        return 0;
    }

    /**
     * @return the minimum share in effect (the configured one, capped at the rates).
     */
    public long minShare()
    {
        return minShare;
    }

    /**
     * @return the number of member bufferevents.
     */
    public int members()
    {
        return members.size();
    }

    /**
     * @return libevent's {@code bufferevent_rate_limit_group_get_read_limit}: the group's read level (may be
     * negative).
     */
    public long readLimit()
    {
        loop.checkOwner();
        return bucket.readLevel;
    }

    /**
     * @return libevent's {@code bufferevent_rate_limit_group_get_write_limit}.
     */
    public long writeLimit()
    {
        loop.checkOwner();
        return bucket.writeLevel;
    }

    /**
     * @return libevent's {@code bufferevent_rate_limit_group_get_totals}: bytes read by members since creation
     * or {@link #resetTotals()}.
     */
    public long totalRead()
    {
        return totalRead;
    }

    /**
     * @return bytes written by members since creation or {@link #resetTotals()}.
     */
    public long totalWritten()
    {
        return totalWritten;
    }

    /**
     * libevent's {@code bufferevent_rate_limit_group_reset_totals}.
     */
    public void resetTotals()
    {
        loop.checkOwner();
        totalRead = 0;
        totalWritten = 0;
    }

    /**
     * libevent's {@code bufferevent_rate_limit_group_decrement_read}: take {@code n} bytes from the group's read
     * bucket (negative: add); crossing zero suspends or resumes every member's reading.
     *
     * @param n bytes.
     * @return 0.
     */
    public int decrementRead(final long n)
    {
        decrement(true, n);
        return 0;
    }

    /**
     * libevent's {@code bufferevent_rate_limit_group_decrement_write}: as {@link #decrementRead}.
     *
     * @param n bytes.
     * @return 0.
     */
    public int decrementWrite(final long n)
    {
        decrement(false, n);
        return 0;
    }

    private void decrement(final boolean read, final long n)
    {
        checkUsable();
        final long old = bucket.take(read, n);
        final long level = bucket.level(read);
        if (old > 0 && level <= 0)
        {
            suspendAll(read);
        }
        else if (old <= 0 && level > 0)
        {
            unsuspendAll(read);
        }
    }

    /**
     * libevent's {@code bufferevent_rate_limit_group_free}: stop the refill timer. Idempotent.
     *
     * @throws IllegalStateException while bufferevents are still members (libevent asserts).
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        if (!members.isEmpty())
        {
            throw new IllegalStateException("BevRateLimitGroup still has " + members.size() + " members");
        }
        closed = true;
        if (loop.isClosed() || loop.isOwnerThread())
        {
            loop.close(refill);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Membership and the I/O path (package-private; called with the member's lock held, on the loop thread)

    void add(final BufferEvent bev)
    {
        checkUsable();
        if (bev.loop != loop)
        {
            throw new IllegalArgumentException("BufferEvent belongs to another base");
        }
        members.add(bev);
        if (readSuspended)
        {
            bev.suspendRead(BufferEvent.SUSPEND_BW_GROUP);
        }
        if (writeSuspended)
        {
            bev.suspendWrite(BufferEvent.SUSPEND_BW_GROUP);
        }
    }

    void remove(final BufferEvent bev, final boolean unsuspend)
    {
        members.remove(bev);
        bev.rateLimit.group = null;
        if (unsuspend)
        {
            bev.unsuspendRead(BufferEvent.SUSPEND_BW_GROUP);
            bev.unsuspendWrite(BufferEvent.SUSPEND_BW_GROUP);
        }
    }

    long readShare()
    {
        return readSuspended ? 0 : Math.max(bucket.readLevel / members.size(), minShare);
    }

    long writeShare()
    {
        return writeSuspended ? 0 : Math.max(bucket.writeLevel / members.size(), minShare);
    }

    /** A member found no share: it waits for the group's next refill. */
    void waitForRefill(final BufferEvent bev, final boolean read)
    {
        if (read)
        {
            bev.suspendRead(BufferEvent.SUSPEND_BW_GROUP);
            pendingUnsuspendRead |= !readSuspended;
        }
        else
        {
            bev.suspendWrite(BufferEvent.SUSPEND_BW_GROUP);
            pendingUnsuspendWrite |= !writeSuspended;
        }
    }

    void readDone(final long n)
    {
        bucket.readLevel -= n;
        totalRead += n;
        if (bucket.readLevel <= 0)
        {
            if (!readSuspended)
            {
                suspendAll(true);
            }
        }
        else if (readSuspended)
        {
            unsuspendAll(true);
        }
    }

    void writeDone(final long n)
    {
        bucket.writeLevel -= n;
        totalWritten += n;
        if (bucket.writeLevel <= 0)
        {
            if (!writeSuspended)
            {
                suspendAll(false);
            }
        }
        else if (writeSuspended)
        {
            unsuspendAll(false);
        }
    }

    private void suspendAll(final boolean read)
    {
        if (read)
        {
            readSuspended = true;
            pendingUnsuspendRead = false;
        }
        else
        {
            writeSuspended = true;
            pendingUnsuspendWrite = false;
        }
        final ArrayList<BufferEvent> members = this.members;
        for (int i = 0, n = members.size(); i < n; i++)
        {
            final BufferEvent bev = members.get(i);
            if (bev.tryLockIf())
            {
                try
                {
                    bev.suspend(read, BufferEvent.SUSPEND_BW_GROUP);
                }
                finally
                {
                    bev.unlockIf();
                }
            }
        }
    }

    private void unsuspendAll(final boolean read)
    {
        boolean again = false;
        if (read)
        {
            readSuspended = false;
        }
        else
        {
            writeSuspended = false;
        }
        final ArrayList<BufferEvent> members = this.members;
        final int n = members.size();
        final int first = 0 == n ? 0 : nextFirst++ % n;
        for (int k = 0; k < n && k < members.size(); k++)
        {
            final BufferEvent bev = members.get((first + k) % members.size());
            if (bev.tryLockIf())
            {
                try
                {
                    bev.unsuspend(read, BufferEvent.SUSPEND_BW_GROUP);
                }
                finally
                {
                    bev.unlockIf();
                }
            }
            else
            {
                again = true;
            }
        }
        if (read)
        {
            pendingUnsuspendRead = again;
        }
        else
        {
            pendingUnsuspendWrite = again;
        }
    }

    /** libevent's {@code bev_group_refill_callback_}: once per tick. */
    private void onRefill(final int ignoredFd, final int ignoredWhat)
    {
        if (closed)
        {
            return;
        }
        bucket.update(cfg, cfg.tick(loop.now()));
        if (pendingUnsuspendRead || readSuspended && bucket.readLevel >= minShare)
        {
            unsuspendAll(true);
        }
        if (pendingUnsuspendWrite || writeSuspended && bucket.writeLevel >= minShare)
        {
            unsuspendAll(false);
        }
    }

    @Override
    public String toString()
    {
        return "BevRateLimitGroup[" + cfg + ", members=" + members.size() + ", read=" + bucket.readLevel +
            ", write=" + bucket.writeLevel + "]";
    }
}
