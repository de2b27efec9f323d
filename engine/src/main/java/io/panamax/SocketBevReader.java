package io.panamax;

import io.panamax.ffm.Errno;
import io.panamax.internal.loop.EvCore;

/**
 * The read side of {@link SocketBufferEvent} (libevent's {@code bufferevent_readcb}): size the read by the high
 * watermark and {@code maxSingleRead}, read with one readv, and report EOF, errors and timeouts; a spent buffer
 * pool suspends reading and retries.
 * <p>
 * <b>Thread-safety:</b> loop thread, with the bufferevent's lock held.
 */
final class SocketBevReader
{
    /** How long reading waits after the buffer pool refused memory before it tries again. */
    static final long MEMORY_RETRY_NS = 10_000_000L;

    private final SocketBufferEvent bev;
    private EvCore memoryRetry;

    SocketBevReader(final SocketBufferEvent bev)
    {
        this.bev = bev;
    }

    /** Readable (or read timeout): one read. */
    void handleRead(final int eventFd, final int what)
    {
        final SocketBufferEvent bev = this.bev;
        if (Ev.TIMEOUT == what)
        {
            readError(BevEvent.READING | BevEvent.TIMEOUT);
            return;
        }
        final EvBuffer input = bev.input;
        long howmuch = -1;
        if (0 != bev.wmReadHigh)
        {
            howmuch = bev.wmReadHigh - input.length();
            if (howmuch <= 0)
            {
                bev.suspendRead(BufferEvent.SUSPEND_WM);
                return;
            }
        }
        if (howmuch < 0 || howmuch > bev.maxSingleRead)
        {
            howmuch = bev.maxSingleRead;
        }
        if (0 != bev.readSuspended)
        {
            return;
        }
        input.unfreeze(false);
        final long res = input.read(eventFd, howmuch);
        input.freeze(false);
        if (res > 0)
        {
            bev.triggerLocked(Ev.READ, 0);
            return;
        }
        if (0 == res)
        {
            readError(BevEvent.READING | BevEvent.EOF);
            return;
        }
        final int err = input.lastErrno();
        if (Errno.EAGAIN == err || Errno.EWOULDBLOCK == err || Errno.EINTR == err)
        {
            return;
        }
        if (Errno.ECONNREFUSED == err)
        {
            bev.connectionRefused = true;
            return;
        }
        if (Errno.ENOMEM == err)
        {
            waitForMemory();
            return;
        }
        bev.socketError = err;
        readError(BevEvent.READING | BevEvent.ERROR);
    }

    /**
     * The buffer pool refused memory (its budget is spent): suspend reading, not an error, and try again after
     * {@link #MEMORY_RETRY_NS} (the peer is held back by the kernel's socket buffer meanwhile).
     */
    private void waitForMemory()
    {
        bev.suspendRead(BufferEvent.SUSPEND_MEMORY);
        if (null == memoryRetry)
        {
            memoryRetry = new EvCore(bev.loop, -1, 0, this::onMemoryRetry, null);
        }
        bev.loop.add(memoryRetry, MEMORY_RETRY_NS);
    }

    private void onMemoryRetry(final int ignoredFd, final int ignoredWhat)
    {
        bev.increfAndLock();
        try
        {
            if (!bev.isClosed())
            {
                bev.unsuspendRead(BufferEvent.SUSPEND_MEMORY);
            }
        }
        finally
        {
            bev.decrefAndUnlock();
        }
    }

    private void readError(final int what)
    {
        bev.enabled &= ~Ev.READ;
        bev.disableImpl(Ev.READ);
        bev.runEventCb(what, 0);
    }

    /** Close the memory retry timer (destruct). */
    void close()
    {
        if (null != memoryRetry)
        {
            bev.loop.close(memoryRetry);
        }
    }
}
