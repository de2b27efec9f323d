package io.panamax;

import io.panamax.ffm.Errno;
import io.panamax.ffm.Libc;
import io.panamax.ffm.SocketOptions;
import io.panamax.internal.loop.EvCore;
import io.panamax.internal.loop.Loop;
import io.panamax.internal.net.NetScratch;

import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The socket kind of {@link BufferEvent} (libevent's {@code bufferevent_sock.c}): a persistent read event and a
 * persistent write event on the fd, their registration, the fd, and the read path ({@code bufferevent_readcb});
 * the write path is {@link SocketBevWriter} ({@code bufferevent_writecb}), connecting {@link SocketBevConnector}.
 * <p>
 * <b>Thread-safety:</b> as {@link BufferEvent}; the event handlers run on the loop thread.
 */
final class SocketBufferEvent extends BufferEvent implements BevOps, EventCallback
{
    /** How long reading waits after the buffer pool refused memory before it tries again. */
    static final long MEMORY_RETRY_NS = 10_000_000L;

    private final EventCallback writeHandler = this::onWritable;
    private final Runnable resyncTask = this::resync;
    private final AtomicBoolean resyncQueued = new AtomicBoolean();
    final SocketBevWriter writer = new SocketBevWriter(this);
    final SocketBevConnector connector = new SocketBevConnector(this);
    EvCore readEv;
    EvCore writeEv;
    boolean ownsFd;
    boolean connecting;
    boolean connectionRefused;
    /** True while the loop works for this bufferevent (between {@link #opBeginLoopWork} and its end). */
    boolean inLoopWork;
    /** Output was added during the loop work: write it when the work ends ({@link SocketBevWriter}). */
    boolean writeSoon;
    /**
     * False only when {@link #writeEv} is surely neither pending nor active: set before each add or activation of the
     * write event, cleared by {@link #writeArmed} when the event's own bits say it is not pending. While it is false,
     * {@link #writeArmed} answers without loading the event (an echoed read that the socket takes whole never arms
     * it, and after the kernel's work between events the event object is a cache miss; its first field read was
     * one of the echo path's most sampled lines).
     */
    boolean writeMaybeArmed;
    private EvCore memoryRetry;
    private int fd;
    private int priority;

    SocketBufferEvent(final EventBase base, final int fd, final int options)
    {
        super(base, options);
        Loop.checkFd(fd, Ev.READ);
        this.priority = loop.defaultPriority();
        this.fd = fd;
        assign(fd);
        input.setMaxRead(maxSingleRead);
        output.setFlags(EvBuffer.FLAG_DRAINS_TO_FD);
        output.writesToSocket(true);
        output.outputOf = this;
        input.freeze(false);
        output.freeze(true);
        noSigPipe(fd);
    }

    private void assign(final int newFd)
    {
        readEv = new EvCore(loop, newFd, Ev.READ | Ev.PERSIST, this, null);
        writeEv = new EvCore(loop, newFd, Ev.WRITE | Ev.PERSIST, writeHandler, null);
        loop.priority(readEv, Math.min(priority, loop.priorities() - 1));
        loop.priority(writeEv, Math.min(priority, loop.priorities() - 1));
    }

    private static void noSigPipe(final int fd)
    {
        if (fd >= 0 && SocketOptions.HAS_SO_NOSIGPIPE)
        {
            final NetScratch s = NetScratch.get();
            SocketOptions.setsockoptInt(s.callState, fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_NOSIGPIPE, 1,
                s.option);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Event registration (loop thread; other threads hand a resync to the loop)

    void addRead()
    {
        if (fd < 0 && readTimeoutNs < 0)
        {
            return;
        }
        loop.add(readEv, readTimeoutNs);
        if (readTimeoutNs < 0 && readEv.inHeap())
        {
            loop.removeTimer(readEv);
        }
    }

    void addWrite()
    {
        if (fd < 0 && writeTimeoutNs < 0)
        {
            return;
        }
        writeMaybeArmed = true;
        loop.add(writeEv, writeTimeoutNs);
        if (writeTimeoutNs < 0 && writeEv.inHeap())
        {
            loop.removeTimer(writeEv);
        }
    }

    boolean writePending()
    {
        return 0 != loop.pending(writeEv, Ev.WRITE | Ev.TIMEOUT);
    }

    /**
     * {@link #writePending()} for the write path inside the running loop (loop work, deferred write, resync): the
     * owner thread of a running loop and an open bufferevent are given there, so the event's own bits are read
     * without the base's owner and closed checks (this runs once per echoed read), and not at all while
     * {@link #writeMaybeArmed} is false.
     */
    boolean writeArmed()
    {
        if (!writeMaybeArmed)
        {
            return false;
        }
        if (0 != writeEv.pendingHere(Ev.WRITE | Ev.TIMEOUT))
        {
            return true;
        }
        writeMaybeArmed = false;
        return false;
    }

    private void requestResync()
    {
        if (resyncQueued.compareAndSet(false, true))
        {
            try
            {
                loop.execute(resyncTask);
            }
            catch (final IllegalStateException ex)
            {
                resyncQueued.set(false);
            }
        }
    }

    /** On the loop: make the events match what another thread asked for. */
    private void resync()
    {
        resyncQueued.set(false);
        lockIf();
        try
        {
            if (isClosed() || readEv.isClosed())
            {
                return;
            }
            final boolean wantRead = 0 != (enabled & Ev.READ) && 0 == readSuspended;
            if (wantRead != (0 != loop.pending(readEv, Ev.READ | Ev.TIMEOUT)))
            {
                if (wantRead)
                {
                    addRead();
                }
                else
                {
                    loop.del(readEv);
                }
            }
            final boolean writeOn = 0 != (enabled & Ev.WRITE) && 0 == writeSuspended;
            if (writeOn && output.length() > 0 && !writePending())
            {
                writer.writeNowOrArm(this);
            }
            else if (!writeOn && !connecting)
            {
                loop.del(writeEv);
            }
        }
        finally
        {
            unlockIf();
        }
    }

    @Override
    public void opEnable(final int what)
    {
        if (!loop.isOwnerThread())
        {
            requestResync();
            return;
        }
        if (0 != (what & Ev.READ))
        {
            addRead();
        }
        if (0 != (what & Ev.WRITE))
        {
            addWrite();
        }
    }

    @Override
    public void opDisable(final int what)
    {
        if (!loop.isOwnerThread())
        {
            requestResync();
            return;
        }
        if (0 != (what & Ev.READ) && !readEv.isClosed())
        {
            loop.del(readEv);
        }
        if (0 != (what & Ev.WRITE) && !connecting && !writeEv.isClosed())
        {
            loop.del(writeEv);
        }
    }

    @Override
    public void opAdjustTimeouts()
    {
        if (0 != loop.pending(readEv, Ev.READ | Ev.TIMEOUT) ||
            fd < 0 && readTimeoutNs >= 0 && 0 != (enabled & Ev.READ) && 0 == readSuspended)
        {
            addRead();
        }
        if (0 != loop.pending(writeEv, Ev.WRITE | Ev.TIMEOUT) ||
            fd < 0 && writeTimeoutNs >= 0 && 0 != (enabled & Ev.WRITE) && 0 == writeSuspended &&
            output.length() > 0)
        {
            addWrite();
        }
    }

    @Override
    public void opDestruct()
    {
        closeEvents();
        if (fd >= 0 && (ownsFd || 0 != (options & BevOpt.CLOSE_ON_FREE)))
        {
            closeFd(fd);
        }
        fd = -1;
    }

    private void closeEvents()
    {
        if (loop.isClosed() || loop.isOwnerThread())
        {
            loop.close(readEv);
            loop.close(writeEv);
            if (null != memoryRetry)
            {
                loop.close(memoryRetry);
            }
        }
    }

    private void closeFd(final int oldFd)
    {
        if (!loop.isClosed() && loop.isOwnerThread())
        {
            loop.backend().flush(oldFd);
        }
        Libc.close(NetScratch.get().callState, oldFd);
    }

    @Override
    public BevOps ops()
    {
        return this;
    }

    @Override
    public int opFlush(final int iotype, final int mode)
    {
        return 0;
    }

    /**
     * Bytes were added to the output (libevent's {@code bufferevent_socket_outbuf_cb}, called by the output itself
     * before its change callbacks): start writing. Inside this bufferevent's loop work only a flag is set; the
     * write, and the check for a pending write event, come when that work ends.
     */
    void outputAdded()
    {
        if (0 != (enabled & Ev.WRITE) && 0 == writeSuspended && !isClosed())
        {
            // Loop work runs on the loop thread holding this bufferevent's lock (let go only around callbacks with
            // UNLOCK_CALLBACKS, taken back before the work ends); another thread's add needs that lock too, so an
            // add seen inside the work is written when it ends, whichever thread made it: no thread check.
            if (inLoopWork || loop.isOwnerThread())
            {
                writer.outputAdded(this);
            }
            else
            {
                requestResync();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // I/O handlers (loop thread)

    /**
     * Readable (or read timeout): one read (libevent's {@code bufferevent_readcb}). The read is written out here
     * rather than in a helper method to keep the call chain from the loop to readv short enough for the JIT to
     * inline whole (so the call-state slice of the downcall is never allocated).
     */
    private void onReadable(final int eventFd, final int what)
    {
        increfAndLock();
        final boolean outermost = opBeginLoopWork();
        try
        {
            if (isClosed())
            {
                return;
            }
            if (Ev.TIMEOUT == what)
            {
                readError(BevEvent.READING | BevEvent.TIMEOUT);
                return;
            }
            final EvBuffer input = this.input;
            long howmuch = -1;
            if (0 != wmReadHigh)
            {
                howmuch = wmReadHigh - input.length();
                if (howmuch <= 0)
                {
                    suspendRead(SUSPEND_WM);
                    return;
                }
            }
            if (howmuch < 0 || howmuch > maxSingleRead)
            {
                howmuch = maxSingleRead;
            }
            final BevRateLimit rateLimit = this.rateLimit;
            if (null != rateLimit)
            {
                howmuch = rateLimit.readBudget(howmuch);
            }
            if (0 != readSuspended || howmuch <= 0)
            {
                return;
            }
            // The end's freeze is this bufferevent's own (held under its lock): lift it for the read without the
            // buffer's public freeze calls, as libevent's unfreeze/read/freeze.
            input.freezeEnd = false;
            final long res = input.read(eventFd, howmuch);
            input.freezeEnd = true;
            if (res > 0)
            {
                if (null != rateLimit)
                {
                    rateLimit.readDone(res);
                }
                triggerLocked(Ev.READ, 0);
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
                connectionRefused = true;
                return;
            }
            if (Errno.ENOMEM == err)
            {
                waitForMemory();
                return;
            }
            socketError = err;
            readError(BevEvent.READING | BevEvent.ERROR);
        }
        finally
        {
            try
            {
                opEndLoopWork(outermost);
            }
            finally
            {
                decrefAndUnlock();
            }
        }
    }

    /**
     * The read event's callback: the bufferevent itself rather than a lambda holding it, so that dispatching a
     * readable socket loads no object besides the event and the bufferevent (after the kernel's work for the
     * previous reads each per-connection object is a cache miss, and the lambda's was one of the echo path's most
     * sampled lines). Only this bufferevent's read event may call it: a caller that cast the bufferevent gets an
     * exception.
     *
     * @param eventFd the fd.
     * @param what    the bits that fired.
     * @throws IllegalStateException when not called by the loop for this bufferevent's read event.
     */
    @Override
    public void onEvent(final int eventFd, final int what)
    {
        if (loop.runningEvent() != readEv)
        {
            throw new IllegalStateException("onEvent is the loop's call for this bufferevent's read event");
        }
        onReadable(eventFd, what);
    }

    /**
     * The buffer pool refused memory (its budget is spent): suspend reading, not an error, and try again after
     * {@link #MEMORY_RETRY_NS} (the peer is held back by the kernel's socket buffer meanwhile).
     */
    private void waitForMemory()
    {
        suspendRead(SUSPEND_MEMORY);
        if (null == memoryRetry)
        {
            memoryRetry = new EvCore(loop, -1, 0, this::onMemoryRetry, null);
        }
        loop.add(memoryRetry, MEMORY_RETRY_NS);
    }

    private void onMemoryRetry(final int ignoredFd, final int ignoredWhat)
    {
        increfAndLock();
        try
        {
            if (!isClosed())
            {
                unsuspendRead(SUSPEND_MEMORY);
            }
        }
        finally
        {
            decrefAndUnlock();
        }
    }

    private void readError(final int what)
    {
        enabled &= ~Ev.READ;
        disableImpl(Ev.READ);
        runEventCb(what, 0);
    }

    private void onWritable(final int eventFd, final int what)
    {
        increfAndLock();
        final boolean outermost = opBeginLoopWork();
        try
        {
            if (!isClosed() || closeWhenFlushed)
            {
                writer.handleWrite(eventFd, what);
            }
        }
        finally
        {
            try
            {
                opEndLoopWork(outermost);
            }
            finally
            {
                decrefAndUnlock();
            }
        }
    }

    @Override
    public boolean opBeginLoopWork()
    {
        if (inLoopWork)
        {
            return false;
        }
        inLoopWork = true;
        return true;
    }

    @Override
    public void opEndLoopWork(final boolean outermost)
    {
        if (outermost)
        {
            inLoopWork = false;
            if (writeSoon)
            {
                writeSoon = false;
                writer.writeNowOrArm(this);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // fd and connect

    @Override
    public int fd()
    {
        return fd;
    }

    @Override
    public void setFd(final int newFd)
    {
        loop.checkOwner();
        Loop.checkFd(newFd, Ev.READ);
        increfAndLock();
        try
        {
            checkOpen();
            setFdLocked(newFd);
            ownsFd = false;
        }
        finally
        {
            decrefAndUnlock();
        }
    }

    void setFdLocked(final int newFd)
    {
        loop.close(readEv);
        loop.close(writeEv);
        connecting = false;
        connectionRefused = false;
        fd = newFd;
        assign(newFd);
        noSigPipe(newFd);
        if (newFd >= 0)
        {
            int impl = enabled;
            if (0 != readSuspended)
            {
                impl &= ~Ev.READ;
            }
            if (0 != writeSuspended)
            {
                impl &= ~Ev.WRITE;
            }
            enableImpl(impl);
        }
    }

    @Override
    public void replaceFd(final int newFd)
    {
        loop.checkOwner();
        final int old = fd;
        setFd(newFd);
        if (old >= 0 && old != newFd)
        {
            closeFd(old);
        }
    }

    @Override
    public int connect(final SocketAddress address)
    {
        return connector.connect(address);
    }

    @Override
    public int connectHostname(final String host, final int port, final ProtocolFamily family)
    {
        return connector.connectHostname(host, port, family);
    }

    @Override
    public int dnsError()
    {
        return connector.dnsError();
    }

    @Override
    public void priority(final int newPriority)
    {
        loop.checkOwner();
        loop.priority(readEv, newPriority);
        loop.priority(writeEv, newPriority);
        priority = newPriority;
    }

    @Override
    public int priority()
    {
        return priority;
    }
}
