package io.panamax;

import io.panamax.internal.loop.DeferredCallback;

/**
 * Running a {@link BufferEvent}'s callbacks, at once or deferred (libevent's {@code bufferevent_run_readcb_} and
 * friends, and {@code bufferevent_run_deferred_callbacks_(un)locked}); also the bufferevent's record in the base's
 * deferred queue. Deferred callbacks run in libevent's order: CONNECTED, read, write, then the other event bits
 * OR-ed together with the errno of the last; a callback set to null before delivery does not run, and a pending
 * read notice is dropped by {@code disable(READ)} (libevent #1809) and queued again by the next
 * {@code enable(READ)} when the input still holds a read's worth.
 * <p>
 * <b>Thread-safety:</b> called with the bufferevent's lock held; scheduling from another thread is handed to the
 * loop; the deferred run is on the loop thread.
 */
final class BevCallbacks extends DeferredCallback
{
    private static final int READ_PENDING = 0x1;
    private static final int WRITE_PENDING = 0x2;
    private static final int EVENT_PENDING = 0x4;

    private final BufferEvent bev;
    private final Runnable deferKick = this::scheduleOnLoop;
    private int bits;
    private int eventPending;
    private int errnoPending;
    private boolean readNoticeDropped;

    BevCallbacks(final BufferEvent bev)
    {
        super(bev.loop);
        this.bev = bev;
    }

    /**
     * The read callback, now or deferred. Static, as {@link #runWrite}: a callback run at once reads only the
     * bufferevent, not this object (one per-connection object fewer on the echo path).
     */
    static void runRead(final BufferEvent bev, final int opts)
    {
        final BevDataCallback cb = bev.readCb;
        if (null == cb)
        {
            return;
        }
        if (0 != ((bev.options | opts) & BevOpt.DEFER_CALLBACKS))
        {
            bev.callbacks.scheduleDeferred(READ_PENDING);
        }
        else
        {
            callData(bev, cb, false);
        }
    }

    /** The write callback, now or deferred. */
    static void runWrite(final BufferEvent bev, final int opts)
    {
        final BevDataCallback cb = bev.writeCb;
        if (null == cb)
        {
            return;
        }
        if (0 != ((bev.options | opts) & BevOpt.DEFER_CALLBACKS))
        {
            bev.callbacks.scheduleDeferred(WRITE_PENDING);
        }
        else
        {
            callData(bev, cb, false);
        }
    }

    void runEvent(final int what, final int opts)
    {
        if (null == bev.eventCb)
        {
            return;
        }
        if (0 != ((bev.options | opts) & BevOpt.DEFER_CALLBACKS))
        {
            eventPending |= what;
            errnoPending = bev.socketError;
            scheduleDeferred(EVENT_PENDING);
        }
        else
        {
            callEvent(what, false);
        }
    }

    /** Queue the read callback from the loop (the input drained below the high watermark, libevent #891). */
    void deferRead()
    {
        scheduleDeferred(READ_PENDING);
    }

    /** disable(READ): drop a read notice not yet delivered, and remember it for the next enable(READ). */
    void dropReadNotice()
    {
        if (0 != (bits & READ_PENDING))
        {
            bits &= ~READ_PENDING;
            readNoticeDropped = true;
        }
    }

    /** enable(READ) after {@link #dropReadNotice} dropped one: queue it again if still due. */
    void renotifyRead()
    {
        if (!readNoticeDropped)
        {
            return;
        }
        readNoticeDropped = false;
        final long length = bev.input.length();
        if (length > 0 && length >= bev.wmReadLow && null != bev.readCb && !bev.closing)
        {
            scheduleDeferred(READ_PENDING);
        }
    }

    private static void callData(final BufferEvent bev, final BevDataCallback cb, final boolean unlocked)
    {
        if (null == cb || bev.closing && !bev.closeWhenFlushed)
        {
            return;
        }
        if (unlocked)
        {
            bev.unlockIf();
        }
        try
        {
            cb.onData(bev);
        }
        catch (final Throwable ex)
        {
            bev.loop.reportError(ex);
        }
        finally
        {
            if (unlocked)
            {
                bev.lockIf();
            }
        }
    }

    private void callEvent(final int what, final boolean unlocked)
    {
        final BufferEvent bev = this.bev;
        final BevEventCallback cb = bev.eventCb;
        if (null == cb || bev.closing && !bev.closeWhenFlushed)
        {
            return;
        }
        if (unlocked)
        {
            bev.unlockIf();
        }
        try
        {
            cb.onEvent(bev, what);
        }
        catch (final Throwable ex)
        {
            bev.loop.reportError(ex);
        }
        finally
        {
            if (unlocked)
            {
                bev.lockIf();
            }
        }
    }

    private void scheduleDeferred(final int pending)
    {
        bits |= pending;
        if (bev.loop.isOwnerThread())
        {
            scheduleOnLoop();
        }
        else
        {
            bev.loop.execute(deferKick);
        }
    }

    private void scheduleOnLoop()
    {
        final BufferEvent bev = this.bev;
        bev.lockIf();
        try
        {
            if (0 != bits && !bev.released && schedule(1))
            {
                bev.refcnt++;
            }
        }
        finally
        {
            bev.unlockIf();
        }
    }

    /** libevent's bufferevent_run_deferred_callbacks_(un)locked: CONNECTED, read, write, other events. */
    @Override
    protected void run(final int ignored)
    {
        final BufferEvent bev = this.bev;
        bev.lockIf();
        final boolean outermost = bev.ops().opBeginLoopWork();
        try
        {
            final boolean unlocked = 0 != (bev.options & BevOpt.UNLOCK_CALLBACKS);
            int taken = bits;
            // READ_PENDING stays visible until delivery, so a disable(READ) before then drops it (libevent #1809).
            bits = taken & READ_PENDING;
            if (0 != (taken & EVENT_PENDING) && 0 != (eventPending & BevEvent.CONNECTED))
            {
                eventPending &= ~BevEvent.CONNECTED;
                callEvent(BevEvent.CONNECTED, unlocked);
            }
            if (0 != (bits & READ_PENDING))
            {
                bits &= ~READ_PENDING;
                callData(bev, bev.readCb, unlocked);
            }
            if (0 != (taken & WRITE_PENDING))
            {
                callData(bev, bev.writeCb, unlocked);
            }
            taken |= bits & EVENT_PENDING;
            bits &= ~EVENT_PENDING;
            if (0 != (taken & EVENT_PENDING) && 0 != eventPending)
            {
                final int what = eventPending;
                eventPending = 0;
                bev.socketError = errnoPending;
                errnoPending = 0;
                callEvent(what, unlocked);
            }
        }
        finally
        {
            try
            {
                bev.ops().opEndLoopWork(outermost);
            }
            finally
            {
                bev.decrefAndUnlock();
            }
        }
    }
}
