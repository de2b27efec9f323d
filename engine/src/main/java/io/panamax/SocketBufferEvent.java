package io.panamax;

import io.panamax.ffm.Errno;
import io.panamax.ffm.Libc;
import io.panamax.ffm.SocketAddresses;
import io.panamax.ffm.SocketOptions;
import io.panamax.ffm.Sockets;
import io.panamax.internal.loop.DeferredCallback;
import io.panamax.internal.loop.EvCore;
import io.panamax.internal.loop.Loop;
import io.panamax.internal.net.NetScratch;
import io.panamax.internal.net.Resolver;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The socket kind of {@link BufferEvent} (libevent's {@code bufferevent_sock.c}): a persistent read event and a
 * persistent write event on the fd, {@code bufferevent_readcb} and {@code bufferevent_writecb}, connect.
 * <p>
 * <b>Thread-safety:</b> as {@link BufferEvent}; the event handlers run on the loop thread.
 */
final class SocketBufferEvent extends BufferEvent implements BevOps
{
    /** How long reading waits after the buffer pool refused memory before it tries again. */
    static final long MEMORY_RETRY_NS = 10_000_000L;
    private static final long WOULD_BLOCK = -1;
    private static final long FAILED = -2;

    private final EventCallback readHandler = this::onReadable;
    private final EventCallback writeHandler = this::onWritable;
    private final Runnable resyncTask = this::resync;
    private final AtomicBoolean resyncQueued = new AtomicBoolean();
    private final WriteLater writeLater;
    private EvCore memoryRetry;
    private EvCore readEv;
    private EvCore writeEv;
    private int fd;
    private int priority;
    private boolean ownsFd;
    private boolean connecting;
    private boolean connectionRefused;
    private boolean inLoopWork;
    private boolean writeSoon;
    private volatile int dnsError;

    SocketBufferEvent(final EventBase base, final int fd, final int options)
    {
        super(base, options);
        Loop.checkFd(fd, Ev.READ);
        this.writeLater = new WriteLater(loop, this);
        this.priority = loop.defaultPriority();
        this.fd = fd;
        assign(fd);
        input.setMaxRead(maxSingleRead);
        output.setFlags(EvBuffer.FLAG_DRAINS_TO_FD);
        output.writesToSocket(true);
        output.addCb(this::onOutputChanged);
        input.freeze(false);
        output.freeze(true);
        noSigPipe(fd);
    }

    private void assign(final int newFd)
    {
        readEv = new EvCore(loop, newFd, Ev.READ | Ev.PERSIST, readHandler, null);
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

    private void addRead()
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

    private void addWrite()
    {
        if (fd < 0 && writeTimeoutNs < 0)
        {
            return;
        }
        loop.add(writeEv, writeTimeoutNs);
        if (writeTimeoutNs < 0 && writeEv.inHeap())
        {
            loop.removeTimer(writeEv);
        }
    }

    private boolean writePending()
    {
        return 0 != loop.pending(writeEv, Ev.WRITE | Ev.TIMEOUT);
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
                writeNowOrArm();
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

    /** The output's change callback (libevent's bufferevent_socket_outbuf_cb): data added starts writing. */
    private void onOutputChanged(final EvBuffer buffer, final EvBufferCbInfo info)
    {
        if (info.nAdded() > 0 && 0 != (enabled & Ev.WRITE) && 0 == writeSuspended && !isClosed())
        {
            if (loop.isOwnerThread())
            {
                if (!writePending())
                {
                    writeSoon();
                }
            }
            else
            {
                requestResync();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // I/O handlers (loop thread)

    private void onReadable(final int eventFd, final int what)
    {
        increfAndLock();
        final boolean outermost = opBeginLoopWork();
        try
        {
            if (!isClosed())
            {
                handleRead(eventFd, what);
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

    private void handleRead(final int eventFd, final int what)
    {
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
        input.unfreeze(false);
        final long res = input.read(eventFd, howmuch);
        input.freeze(false);
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
                handleWrite(eventFd, what);
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

    private void handleWrite(final int eventFd, final int what)
    {
        if (Ev.TIMEOUT == what)
        {
            writeError(BevEvent.WRITING | BevEvent.TIMEOUT);
            return;
        }
        boolean connectedNow = false;
        if (connecting)
        {
            final int c = finishedConnecting(eventFd);
            if (0 == c)
            {
                return;
            }
            connecting = false;
            if (c < 0)
            {
                loop.del(writeEv);
                loop.del(readEv);
                runEventCb(BevEvent.ERROR, 0);
                return;
            }
            connectedNow = true;
            runEventCb(BevEvent.CONNECTED, 0);
            if (isClosed() && !closeWhenFlushed)
            {
                return;
            }
            if (0 == (enabled & Ev.WRITE) || 0 != writeSuspended)
            {
                loop.del(writeEv);
                return;
            }
        }
        if (0 != writeSuspended)
        {
            return;
        }
        long res = 0;
        if (output.length() > 0)
        {
            res = writeOnce(eventFd);
            if (res < 0)
            {
                if (WOULD_BLOCK == res && 0 == output.length())
                {
                    loop.del(writeEv);
                }
                return;
            }
        }
        final long left = output.length();
        if (0 == left)
        {
            loop.del(writeEv);
            if (closeWhenFlushed)
            {
                close();
                return;
            }
        }
        if ((res > 0 || !connectedNow) && left <= wmWriteLow)
        {
            runWriteCb(0);
        }
    }

    /**
     * One writev of at most {@code maxSingleWrite} bytes of the output; errors are reported.
     *
     * @return bytes written (&gt; 0), {@link #WOULD_BLOCK} (EAGAIN, EINTR) or {@link #FAILED} (reported).
     */
    private long writeOnce(final int eventFd)
    {
        final EvBuffer output = this.output;
        final BevRateLimit rateLimit = this.rateLimit;
        final long atmost = null == rateLimit ? maxSingleWrite : rateLimit.writeBudget(maxSingleWrite);
        if (atmost <= 0)
        {
            return WOULD_BLOCK;
        }
        output.unfreeze(true);
        final long res = output.writeAtmost(eventFd, atmost);
        output.freeze(true);
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
        socketError = err;
        writeError(BevEvent.WRITING | BevEvent.ERROR);
        return FAILED;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Writing in the same iteration (beyond libevent, which always waits a loop turn for writability)

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
                writeNowOrArm();
            }
        }
    }

    /**
     * Output arrived on the loop thread while no write event is pending: write it within this loop iteration,
     * when the loop work running for this bufferevent ends, or else from a deferred callback after the
     * iteration's active events (never inside the user's add call).
     */
    private void writeSoon()
    {
        if (fd < 0)
        {
            addWrite();
        }
        else if (inLoopWork)
        {
            writeSoon = true;
        }
        else
        {
            writeLater.schedule(1);
        }
    }

    /**
     * Write the output now if it may be written; arm the write event only for what the socket did not take. The
     * write callback follows the rule of a writable event: after a write that moved bytes, at or below the low
     * watermark.
     */
    private void writeNowOrArm()
    {
        if (isClosed() || 0 == (enabled & Ev.WRITE) || 0 != writeSuspended ||
            0 == output.length() || writePending())
        {
            return;
        }
        if (fd < 0 || connecting)
        {
            addWrite();
            return;
        }
        final long res = writeOnce(fd);
        if (FAILED == res)
        {
            return;
        }
        final long left = output.length();
        if (left > 0)
        {
            if (0 == writeSuspended)
            {
                addWrite();
            }
        }
        else if (closeWhenFlushed)
        {
            close();
            return;
        }
        if (res > 0 && left <= wmWriteLow)
        {
            runWriteCb(0);
        }
    }

    private void onWriteLater()
    {
        lockIf();
        try
        {
            if (!isClosed())
            {
                incref();
                try
                {
                    writeNowOrArm();
                }
                finally
                {
                    decref();
                }
            }
        }
        finally
        {
            unlockIf();
        }
    }

    /** The deferred write for output added outside the loop work of this bufferevent. */
    private static final class WriteLater extends DeferredCallback
    {
        private final SocketBufferEvent bev;

        WriteLater(final Loop loop, final SocketBufferEvent bev)
        {
            super(loop);
            this.bev = bev;
        }

        @Override
        protected void run(final int ignored)
        {
            bev.onWriteLater();
        }
    }

    private void writeError(final int what)
    {
        enabled &= ~Ev.WRITE;
        disableImpl(Ev.WRITE);
        runEventCb(what, 0);
        if (closeWhenFlushed)
        {
            close();
        }
    }

    /** @return 1 connected, 0 still connecting, -1 failed ({@link #socketError} set). */
    private int finishedConnecting(final int eventFd)
    {
        if (connectionRefused)
        {
            connectionRefused = false;
            socketError = Errno.ECONNREFUSED;
            return -1;
        }
        final NetScratch s = NetScratch.get();
        final int e = SocketOptions.socketError(s.callState, eventFd, s.option);
        if (e < 0)
        {
            socketError = -e;
            return -1;
        }
        if (0 == e)
        {
            return 1;
        }
        if (Errno.EINTR == e || Errno.EINPROGRESS == e)
        {
            return 0;
        }
        socketError = e;
        return -1;
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

    private void setFdLocked(final int newFd)
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
        loop.checkOwner();
        final NetScratch s = NetScratch.get();
        final int length;
        final int family;
        if (address instanceof InetSocketAddress inet)
        {
            length = SocketAddresses.write(s.address, inet);
            family = inet.getAddress() instanceof Inet6Address ? Sockets.AF_INET6 : Sockets.AF_INET;
        }
        else if (address instanceof UnixDomainSocketAddress unix)
        {
            length = SocketAddresses.write(s.address, unix);
            family = Sockets.AF_UNIX;
        }
        else
        {
            throw new IllegalArgumentException("unsupported address: " + address);
        }
        increfAndLock();
        try
        {
            checkOpen();
            int sock = fd;
            boolean created = false;
            if (sock < 0)
            {
                sock = Sockets.socketNonBlocking(s.callState, family, Sockets.SOCK_STREAM, 0);
                if (sock < 0)
                {
                    socketError = -sock;
                    return -1;
                }
                created = true;
            }
            final int rc = Sockets.connect(s.callState, sock, s.address, length);
            final boolean refused = -Errno.ECONNREFUSED == rc;
            if (rc < 0 && !refused && -Errno.EINPROGRESS != rc && -Errno.EINTR != rc)
            {
                socketError = -rc;
                if (created)
                {
                    Libc.close(s.callState, sock);
                }
                return -1;
            }
            if (created)
            {
                setFdLocked(sock);
                ownsFd = true;
            }
            connecting = true;
            connectionRefused = refused;
            addWrite();
            if (0 == rc || refused)
            {
                // The outcome is known already: report it through the write path in the next iteration, never
                // from inside connect.
                loop.active(writeEv, Ev.WRITE, 1);
            }
            return 0;
        }
        finally
        {
            decrefAndUnlock();
        }
    }

    @Override
    public int connectHostname(final String host, final int port, final ProtocolFamily family)
    {
        loop.checkOwner();
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        lockIf();
        try
        {
            checkOpen();
            dnsError = 0;
            suspendRead(SUSPEND_LOOKUP);
            suspendWrite(SUSPEND_LOOKUP);
            incref();
        }
        finally
        {
            unlockIf();
        }
        Resolver.resolve(host, port, family, (addresses, eaiCode) ->
        {
            try
            {
                loop.execute(() -> lookupDone(addresses, eaiCode));
            }
            catch (final IllegalStateException ex)
            {
                decrefQuietly();
            }
        });
        return 0;
    }

    private void lookupDone(final java.util.List<InetSocketAddress> addresses, final int eaiCode)
    {
        increfAndLock();
        try
        {
            if (isClosed())
            {
                return;
            }
            unsuspendRead(SUSPEND_LOOKUP);
            unsuspendWrite(SUSPEND_LOOKUP);
            if (0 != eaiCode || addresses.isEmpty())
            {
                dnsError = 0 != eaiCode ? eaiCode : Resolver.noName();
                runEventCb(BevEvent.ERROR, 0);
                return;
            }
            if (connect(addresses.get(0)) < 0)
            {
                runEventCb(BevEvent.ERROR, 0);
            }
        }
        finally
        {
            decrefAndUnlock();
        }
        decref();
    }

    @Override
    public int dnsError()
    {
        return dnsError;
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
