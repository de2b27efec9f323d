package io.panamax;

import io.panamax.ffm.Errno;
import io.panamax.internal.loop.DeferredCallback;

/**
 * The write side of {@link SocketBufferEvent} (libevent's {@code bufferevent_writecb}): finish a connect, write
 * at most {@code maxSingleWrite} (and at most what a rate limit allows) with one gathering send, run the write
 * callback by libevent's rule, report errors and timeouts. Beyond libevent, output added while the loop works for
 * this bufferevent (or added on the loop thread outside it) is written in the same loop iteration instead of
 * waiting a turn for writability; this class is also the deferred callback that does the latter.
 * <p>
 * The loop-work flags live in the bufferevent, and the methods of the echo path ({@link #outputAdded},
 * {@link #writeNowOrArm}) take the bufferevent as an argument and read no field of this object: an echoed read then
 * touches one per-connection object fewer (after the kernel's work for the read, each one is a cache miss; the
 * first read of this object's flag was one of the echo path's most sampled lines).
 * <p>
 * <b>Thread-safety:</b> loop thread, with the bufferevent's lock held.
 */
final class SocketBevWriter extends DeferredCallback
{
    private static final long WOULD_BLOCK = -1;
    private static final long FAILED = -2;

    private final SocketBufferEvent bev;

    SocketBevWriter(final SocketBufferEvent bev)
    {
        super(bev.loop);
        this.bev = bev;
    }

    /** Writable (or write timeout). */
    void handleWrite(final int eventFd, final int what)
    {
        final SocketBufferEvent bev = this.bev;
        if (Ev.TIMEOUT == what)
        {
            writeError(BevEvent.WRITING | BevEvent.TIMEOUT);
            return;
        }
        boolean connectedNow = false;
        if (bev.connecting)
        {
            final int c = bev.connector.finishedConnecting(eventFd);
            if (0 == c)
            {
                return;
            }
            bev.connecting = false;
            if (c < 0)
            {
                bev.loop.del(bev.writeEv);
                bev.loop.del(bev.readEv);
                bev.runEventCb(BevEvent.ERROR, 0);
                return;
            }
            connectedNow = true;
            bev.runEventCb(BevEvent.CONNECTED, 0);
            if (bev.isClosed() && !bev.closeWhenFlushed)
            {
                return;
            }
            if (0 == (bev.enabled & Ev.WRITE) || 0 != bev.writeSuspended)
            {
                bev.loop.del(bev.writeEv);
                return;
            }
        }
        if (0 != bev.writeSuspended)
        {
            return;
        }
        final EvBuffer output = bev.output;
        long res = 0;
        if (output.lengthHeld() > 0)
        {
            res = writeOnce(bev, eventFd);
            if (res < 0)
            {
                if (WOULD_BLOCK == res && 0 == output.lengthHeld())
                {
                    bev.loop.del(bev.writeEv);
                }
                return;
            }
        }
        final long left = output.lengthHeld();
        if (0 == left)
        {
            bev.loop.del(bev.writeEv);
            if (bev.closeWhenFlushed)
            {
                bev.close();
                return;
            }
        }
        // libevent's rule: (res || !connected) && length <= low.
        if ((res > 0 || !connectedNow) && left <= bev.wmWriteLow)
        {
            bev.runWriteCb(0);
        }
    }

    /**
     * One gathering write of at most {@code maxSingleWrite} bytes of the output; errors are reported.
     *
     * @return bytes written (&gt; 0), {@link #WOULD_BLOCK} (EAGAIN, EINTR) or {@link #FAILED} (reported).
     */
    private long writeOnce(final SocketBufferEvent bev, final int eventFd)
    {
        final EvBuffer output = bev.output;
        final BevRateLimit rateLimit = bev.rateLimit;
        final long atmost = null == rateLimit ? bev.maxSingleWrite : rateLimit.writeBudget(bev.maxSingleWrite);
        if (atmost <= 0)
        {
            return WOULD_BLOCK;
        }
        output.freezeStart = false;
        final long res = output.writeAtmost(eventFd, atmost);
        output.freezeStart = true;
        if (res > 0)
        {
            if (null != rateLimit)
            {
                rateLimit.writeDone(res);
            }
            return res;
        }
        if (0 == res)
        {
            writeError(BevEvent.WRITING | BevEvent.EOF);
            return FAILED;
        }
        final int err = output.lastErrno();
        if (Errno.EAGAIN == err || Errno.EWOULDBLOCK == err || Errno.EINTR == err)
        {
            return WOULD_BLOCK;
        }
        bev.socketError = err;
        writeError(BevEvent.WRITING | BevEvent.ERROR);
        return FAILED;
    }

    private void writeError(final int what)
    {
        final SocketBufferEvent bev = this.bev;
        bev.enabled &= ~Ev.WRITE;
        bev.disableImpl(Ev.WRITE);
        bev.runEventCb(what, 0);
        if (bev.closeWhenFlushed)
        {
            bev.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Writing in the same iteration (beyond libevent, which always waits a loop turn for writability)

    /**
     * Output arrived on the loop thread ({@link SocketBufferEvent#outputAdded}).
     *
     * @param bev this writer's bufferevent (passed so that the echo path reads no field of this object).
     */
    void outputAdded(final SocketBufferEvent bev)
    {
        if (bev.inLoopWork && bev.fd() >= 0)
        {
            // writeNowOrArm at the end of the loop work checks for a pending write event.
            bev.writeSoon = true;
        }
        else if (!bev.writePending())
        {
            writeSoon();
        }
    }

    /**
     * Output arrived on the loop thread while no write event is pending: write it within this loop iteration,
     * when the loop work running for this bufferevent ends, or else from a deferred callback after the
     * iteration's active events (never inside the user's add call).
     */
    void writeSoon()
    {
        if (bev.fd() < 0)
        {
            bev.addWrite();
        }
        else if (bev.inLoopWork)
        {
            bev.writeSoon = true;
        }
        else
        {
            schedule(1);
        }
    }

    /**
     * Write the output now if it may be written; arm the write event only for what the socket did not take. The
     * write callback follows the rule of a writable event: after a write that moved bytes, at or below the low
     * watermark.
     *
     * @param bev this writer's bufferevent (passed so that the echo path reads no field of this object).
     */
    void writeNowOrArm(final SocketBufferEvent bev)
    {
        final EvBuffer output = bev.output;
        if (bev.isClosed() || 0 == (bev.enabled & Ev.WRITE) || 0 != bev.writeSuspended ||
            0 == output.lengthHeld() || bev.writeArmed())
        {
            return;
        }
        final int fd = bev.fd();
        if (fd < 0 || bev.connecting)
        {
            bev.addWrite();
            return;
        }
        final long res = writeOnce(bev, fd);
        if (FAILED == res)
        {
            return;
        }
        final long left = output.lengthHeld();
        if (left > 0)
        {
            if (0 == bev.writeSuspended)
            {
                bev.addWrite();
            }
        }
        else if (bev.closeWhenFlushed)
        {
            bev.close();
            return;
        }
        if (res > 0 && left <= bev.wmWriteLow)
        {
            bev.runWriteCb(0);
        }
    }

    /** The deferred write for output added outside the loop work of this bufferevent. */
    @Override
    protected void run(final int ignored)
    {
        final SocketBufferEvent bev = this.bev;
        bev.lockIf();
        try
        {
            if (!bev.isClosed())
            {
                bev.incref();
                try
                {
                    writeNowOrArm(bev);
                }
                finally
                {
                    bev.decref();
                }
            }
        }
        finally
        {
            bev.unlockIf();
        }
    }
}
