package io.panamax;

/**
 * How a {@link BufferEvent} ends (libevent's {@code bufferevent_free} and its finalizers): {@link #close} stops
 * all I/O and callbacks at once, {@link #closeAfterFlush} first lets the output drain (beyond libevent), and the
 * memory and fd are released by {@link #finish} when the last reference goes, on the loop thread.
 * <p>
 * <b>Thread-safety:</b> as {@link BufferEvent#close()}: any thread for a THREADSAFE bufferevent; the release
 * runs on the loop thread (or at once when the loop is closed).
 */
final class BevClosing
{
    private final BufferEvent bev;
    private final Runnable releaseTask = this::release;

    BevClosing(final BufferEvent bev)
    {
        this.bev = bev;
    }

    /** @see BufferEvent#close() */
    void close()
    {
        final BufferEvent bev = this.bev;
        bev.lockIf();
        if (bev.closing && !bev.closeWhenFlushed || bev.released)
        {
            bev.unlockIf();
            return;
        }
        bev.closeWhenFlushed = false;
        bev.closing = true;
        bev.readCb = null;
        bev.writeCb = null;
        bev.eventCb = null;
        if (bev.loop.isOwnerThread() && !bev.loop.isClosed())
        {
            bev.disableImpl(Ev.READ | Ev.WRITE);
        }
        bev.decrefAndUnlock();
        if (!bev.released && bev.loop.isClosed())
        {
            release();
        }
    }

    /** @see BufferEvent#closeAfterFlush() */
    void closeAfterFlush()
    {
        final BufferEvent bev = this.bev;
        bev.lockIf();
        try
        {
            if (bev.closing || bev.released)
            {
                return;
            }
            if (0 == bev.output.length())
            {
                close();
                return;
            }
            bev.closing = true;
            bev.closeWhenFlushed = true;
            bev.readCb = null;
            bev.writeCb = null;
            bev.enabled &= ~Ev.READ;
            bev.disableImpl(Ev.READ);
            bev.enabled |= Ev.WRITE;
            if (0 == bev.writeSuspended)
            {
                bev.enableImpl(Ev.WRITE);
            }
        }
        finally
        {
            bev.unlockIf();
        }
    }

    /** The last reference is gone: release on the loop thread (at once when on it, or when the loop is closed). */
    void finish()
    {
        final BufferEvent bev = this.bev;
        if (bev.loop.isClosed() || bev.loop.isOwnerThread())
        {
            release();
            return;
        }
        try
        {
            bev.loop.execute(releaseTask);
        }
        catch (final IllegalStateException ex)
        {
            release();
        }
    }

    private void release()
    {
        final BufferEvent bev = this.bev;
        bev.lockIf();
        try
        {
            if (bev.released)
            {
                return;
            }
            bev.released = true;
            bev.closing = true;
            bev.destruct();
        }
        finally
        {
            bev.unlockIf();
            bev.input.close();
            bev.output.close();
        }
    }
}
