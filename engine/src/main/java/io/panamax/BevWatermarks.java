package io.panamax;

/**
 * A {@link BufferEvent}'s read high watermark at work (libevent's {@code bufferevent_setwatermark} and
 * {@code bufferevent_inbuf_wm_cb}): while one is set, a callback on the input suspends reading at the high
 * watermark and resumes it when the user drains below, delivering the bytes left once more when reading had been
 * suspended (libevent #891: a callback that drains nothing is not re-run in a loop, and nothing is stranded).
 * <p>
 * <b>Thread-safety:</b> called with the bufferevent's lock held; the input's callback runs where the input
 * changes.
 */
final class BevWatermarks implements EvBufferCallback
{
    private final BufferEvent bev;
    private EvBufferCbEntry inputEntry;

    BevWatermarks(final BufferEvent bev)
    {
        this.bev = bev;
    }

    /** @see BufferEvent#setWatermark */
    void set(final int events, final long low, final long high)
    {
        final BufferEvent bev = this.bev;
        if (0 != (events & Ev.WRITE))
        {
            bev.wmWriteLow = low;
            bev.wmWriteHigh = high;
        }
        if (0 == (events & Ev.READ))
        {
            return;
        }
        bev.wmReadLow = low;
        bev.wmReadHigh = high;
        if (0 != high)
        {
            if (null == inputEntry)
            {
                inputEntry = bev.input.addCb(this);
            }
            if (bev.input.length() >= high)
            {
                bev.suspendRead(BufferEvent.SUSPEND_WM);
            }
            else
            {
                bev.unsuspendRead(BufferEvent.SUSPEND_WM);
            }
        }
        else
        {
            if (null != inputEntry)
            {
                bev.input.removeCbEntry(inputEntry);
                inputEntry = null;
            }
            bev.unsuspendRead(BufferEvent.SUSPEND_WM);
        }
    }

    /** The input's change callback while a read high watermark is set. */
    @Override
    public void onChange(final EvBuffer buffer, final EvBufferCbInfo info)
    {
        final BufferEvent bev = this.bev;
        final long size = buffer.length();
        if (size >= bev.wmReadHigh)
        {
            bev.suspendRead(BufferEvent.SUSPEND_WM);
            return;
        }
        final boolean wasSuspended = 0 != (bev.readSuspended & BufferEvent.SUSPEND_WM);
        bev.unsuspendRead(BufferEvent.SUSPEND_WM);
        if (wasSuspended && size > 0 && size >= bev.wmReadLow && null != bev.readCb && !bev.closing)
        {
            // The user drained below the high watermark but left a full read's worth: deliver it again, once,
            // from the loop (bytes in memory are never stranded, and a callback that drains nothing never spins).
            bev.callbacks.deferRead();
        }
    }
}
