package io.panamax;

import io.panamax.ffm.Errno;
import io.panamax.ffm.Libc;
import io.panamax.ffm.SockaddrDescriptor;
import io.panamax.ffm.SocketAddresses;
import io.panamax.ffm.SocketOptions;
import io.panamax.ffm.Sockets;
import io.panamax.internal.loop.EvCore;
import io.panamax.internal.loop.Loop;
import io.panamax.internal.net.NetScratch;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.concurrent.locks.ReentrantLock;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * libevent's {@code evconnlistener}: a listening socket whose readiness runs an accept loop, handing each new
 * connection (non-blocking, {@code accept4} where it exists) to a callback.
 * <p>
 * The accept loop runs until {@code EAGAIN}; a callback that disables or closes the listener stops it at once.
 * A failed accept other than "try again" goes to the error callback. On {@code EMFILE}/{@code ENFILE}
 * (libevent #71) the listener also stops polling for {@link #backoffMs() a back-off} and then resumes by itself,
 * so it neither spins nor dies while the process is out of descriptors.
 * <p>
 * <b>Thread-safety:</b> used on the thread of its base. With {@link LevOpt#THREADSAFE}, {@link #enable()},
 * {@link #disable()}, the callback setters and {@link #close()} may be called from any thread (the loop applies
 * the change in its next iteration; the callbacks run without the lock held).
 */
public final class ConnListener implements AutoCloseable
{
    /** libevent's backlog when a negative one is given. */
    public static final int DEFAULT_BACKLOG = 128;
    /** How long polling stops after EMFILE/ENFILE, by default. */
    public static final long BACKOFF_MS_DEFAULT = 100;

    private static final int KEEPALIVE_IDLE_SECONDS = 300;

    private final EventBase base;
    private final Loop loop;
    private final int flags;
    private final ReentrantLock lock;
    private final EvCore event;
    private final EvCore backoff;
    private final Runnable syncTask = this::sync;
    private final int fd;
    private volatile ConnListenerCallback callback;
    private volatile ConnListenerErrorCallback errorCallback;
    private volatile boolean enabled;
    private volatile boolean closed;
    private boolean backingOff;
    private boolean released;
    private long backoffMs = BACKOFF_MS_DEFAULT;

    private ConnListener(final EventBase base, final ConnListenerCallback callback, final int flags, final int fd)
    {
        this.base = base;
        this.loop = base.loop();
        this.flags = flags;
        this.fd = fd;
        this.callback = callback;
        this.lock = 0 != (flags & LevOpt.THREADSAFE) ? new ReentrantLock() : null;
        this.event = new EvCore(loop, fd, Ev.READ | Ev.PERSIST, this::onReadable, null);
        this.backoff = new EvCore(loop, -1, 0, this::onBackoffOver, null);
        if (0 == (flags & LevOpt.DISABLED))
        {
            enabled = true;
            loop.add(event, -1);
        }
    }

    /**
     * libevent's {@code evconnlistener_new_bind}: create a socket, apply the flags' options, bind and listen.
     * libevent 2.2's TCP keep-alive (300 s idle) is set on every non-Unix listener.
     *
     * @param base     the base (on its owner thread).
     * @param callback gets each connection (null: accepted sockets are closed).
     * @param flags    {@link LevOpt} bits.
     * @param backlog  the listen backlog; negative for {@link #DEFAULT_BACKLOG}; 0 is refused.
     * @param address  an {@link InetSocketAddress} (port 0 picks one) or a {@link UnixDomainSocketAddress}.
     * @return the listener, enabled unless {@link LevOpt#DISABLED}.
     * @throws IllegalArgumentException for backlog 0, or REUSEABLE/REUSEABLE_PORT with a Unix-domain address.
     * @throws PanamaxException when a system call fails (named with its errno).
     */
    public static ConnListener bind(final EventBase base, final ConnListenerCallback callback, final int flags,
        final int backlog, final SocketAddress address)
    {
        base.loop().checkOwner();
        if (0 == backlog)
        {
            throw new IllegalArgumentException("backlog 0: bind needs a backlog (negative for the default)");
        }
        final NetScratch s = NetScratch.get();
        final int family = NetScratch.family(address);
        if (Sockets.AF_UNIX == family && 0 != (flags & (LevOpt.REUSEABLE | LevOpt.REUSEABLE_PORT)))
        {
            throw new IllegalArgumentException("REUSEABLE and REUSEABLE_PORT do not apply to Unix sockets");
        }
        final int length = s.writeAddress(address);
        final int sock = (int)PanamaxException.check(
            Sockets.socketNonBlocking(s.callState, family, Sockets.SOCK_STREAM, 0), "socket", address.toString());
        try
        {
            if (Sockets.AF_UNIX != family)
            {
                setOption(s, sock, SocketOptions.SOL_SOCKET, SocketOptions.SO_KEEPALIVE, 1, "SO_KEEPALIVE");
                if (SocketOptions.HAS_TCP_KEEPALIVE)
                {
                    setOption(s, sock, SocketOptions.IPPROTO_TCP, SocketOptions.TCP_KEEPALIVE,
                        KEEPALIVE_IDLE_SECONDS, "TCP_KEEPALIVE");
                }
                else
                {
                    setOption(s, sock, SocketOptions.IPPROTO_TCP, SocketOptions.TCP_KEEPIDLE,
                        KEEPALIVE_IDLE_SECONDS, "TCP_KEEPIDLE");
                }
            }
            if (0 != (flags & LevOpt.REUSEABLE))
            {
                setOption(s, sock, SocketOptions.SOL_SOCKET, SocketOptions.SO_REUSEADDR, 1, "SO_REUSEADDR");
            }
            if (0 != (flags & LevOpt.REUSEABLE_PORT))
            {
                setOption(s, sock, SocketOptions.SOL_SOCKET, SocketOptions.SO_REUSEPORT, 1, "SO_REUSEPORT");
            }
            if (0 != (flags & LevOpt.DEFERRED_ACCEPT) && SocketOptions.HAS_TCP_DEFER_ACCEPT &&
                address instanceof InetSocketAddress)
            {
                // As libevent: Linux only; elsewhere the flag is a hint with nothing to set.
                setOption(s, sock, SocketOptions.IPPROTO_TCP, SocketOptions.TCP_DEFER_ACCEPT, 1, "TCP_DEFER_ACCEPT");
            }
            if (Sockets.AF_INET6 == family && 0 != (flags & (LevOpt.BIND_IPV6ONLY | LevOpt.BIND_IPV4_AND_IPV6)))
            {
                setOption(s, sock, SocketOptions.IPPROTO_IPV6, SocketOptions.IPV6_V6ONLY,
                    0 != (flags & LevOpt.BIND_IPV6ONLY) ? 1 : 0, "IPV6_V6ONLY");
            }
            PanamaxException.check(Sockets.bind(s.callState, sock, s.address, length), "bind", address.toString());
            PanamaxException.check(Sockets.listen(s.callState, sock, backlog < 0 ? DEFAULT_BACKLOG : backlog),
                "listen", address.toString());
            return new ConnListener(base, callback, flags, sock);
        }
        catch (final RuntimeException ex)
        {
            Libc.close(s.callState, sock);
            throw ex;
        }
    }

    /**
     * libevent's {@code evconnlistener_new}: listen on a socket the caller bound (made non-blocking here).
     *
     * @param base     the base (on its owner thread).
     * @param callback gets each connection (null: accepted sockets are closed).
     * @param flags    {@link LevOpt} bits (socket options are not applied: the socket is bound already).
     * @param backlog  positive: {@code listen(backlog)}; negative: {@code listen(128)}; 0: already listening.
     * @param fd       the bound socket.
     * @return the listener.
     * @throws PanamaxException when {@code listen} or {@code fcntl} fails.
     */
    public static ConnListener wrap(final EventBase base, final ConnListenerCallback callback, final int flags,
        final int backlog, final int fd)
    {
        base.loop().checkOwner();
        Loop.checkFd(fd, Ev.READ);
        if (fd < 0)
        {
            throw new IllegalArgumentException("invalid fd: " + fd);
        }
        final NetScratch s = NetScratch.get();
        if (0 != backlog)
        {
            PanamaxException.check(Sockets.listen(s.callState, fd, backlog < 0 ? DEFAULT_BACKLOG : backlog),
                "listen", "fd " + fd);
        }
        PanamaxException.check(Libc.setFlags(s.callState, fd, Libc.O_NONBLOCK), "fcntl", "fd " + fd);
        return new ConnListener(base, callback, flags, fd);
    }

    private static void setOption(final NetScratch s, final int sock, final int level, final int name,
        final int value, final String what)
    {
        PanamaxException.check(SocketOptions.setsockoptInt(s.callState, sock, level, name, value, s.option),
            "setsockopt", what);
    }

    private void lockIf()
    {
        if (null != lock)
        {
            lock.lock();
        }
    }

    private void unlockIf()
    {
        if (null != lock)
        {
            lock.unlock();
        }
    }

    /** The accept loop (libevent's listener_read_cb). */
    private void onReadable(final int listenFd, final int what)
    {
        final NetScratch s = NetScratch.get();
        int acceptFlags = 0 == (flags & LevOpt.LEAVE_SOCKETS_BLOCKING) ? Libc.O_NONBLOCK : 0;
        if (0 != (flags & LevOpt.CLOSE_ON_EXEC))
        {
            acceptFlags |= Libc.O_CLOEXEC;
        }
        while (enabled && !closed)
        {
            s.addressLength.set(JAVA_INT, 0, (int)SockaddrDescriptor.STORAGE_LENGTH);
            final int conn = Sockets.accept(s.callState, listenFd, s.address, s.addressLength, acceptFlags);
            if (conn < 0)
            {
                final int err = -conn;
                if (Errno.EAGAIN == err || Errno.EWOULDBLOCK == err || Errno.EINTR == err ||
                    Errno.ECONNABORTED == err)
                {
                    return;
                }
                acceptFailed(err);
                return;
            }
            final ConnListenerCallback cb = callback;
            if (null == cb)
            {
                Libc.close(s.callState, conn);
                continue;
            }
            SocketAddress peer = null;
            try
            {
                peer = SocketAddresses.read(s.address, s.addressLength.get(JAVA_INT, 0));
            }
            catch (final IllegalArgumentException ex)
            {
                peer = null;
            }
            try
            {
                cb.onAccept(this, conn, peer);
            }
            catch (final Throwable ex)
            {
                loop.reportError(ex);
            }
        }
    }

    private void acceptFailed(final int err)
    {
        if (Errno.EMFILE == err || Errno.ENFILE == err)
        {
            lockIf();
            try
            {
                if (!backingOff && !closed)
                {
                    backingOff = true;
                    loop.del(event);
                    loop.add(backoff, backoffMs * 1_000_000L);
                }
            }
            finally
            {
                unlockIf();
            }
        }
        final ConnListenerErrorCallback ecb = errorCallback;
        if (null == ecb)
        {
            loop.reportError(new PanamaxException("accept(fd " + fd + "): " + Errno.describe(err), err));
            return;
        }
        try
        {
            ecb.onError(this, err);
        }
        catch (final Throwable ex)
        {
            loop.reportError(ex);
        }
    }

    private void onBackoffOver(final int ignoredFd, final int ignoredWhat)
    {
        lockIf();
        try
        {
            backingOff = false;
            if (enabled && !closed)
            {
                loop.add(event, -1);
            }
        }
        finally
        {
            unlockIf();
        }
    }

    /** On the loop: make the event match {@link #enabled} after a change from another thread. */
    private void sync()
    {
        lockIf();
        try
        {
            if (closed)
            {
                release();
                return;
            }
            if (enabled && !backingOff)
            {
                loop.add(event, -1);
            }
            else if (!enabled)
            {
                loop.del(event);
            }
        }
        finally
        {
            unlockIf();
        }
    }

    /**
     * libevent's {@code evconnlistener_enable}: accept again.
     */
    public void enable()
    {
        lockIf();
        try
        {
            if (closed)
            {
                throw new IllegalStateException("ConnListener is closed");
            }
            enabled = true;
            if (loop.isOwnerThread())
            {
                if (!backingOff)
                {
                    loop.add(event, -1);
                }
            }
            else
            {
                loop.execute(syncTask);
            }
        }
        finally
        {
            unlockIf();
        }
    }

    /**
     * libevent's {@code evconnlistener_disable}: stop accepting (also at once inside the accept loop).
     */
    public void disable()
    {
        lockIf();
        try
        {
            if (closed)
            {
                return;
            }
            enabled = false;
            if (loop.isOwnerThread())
            {
                loop.del(event);
            }
            else
            {
                loop.execute(syncTask);
            }
        }
        finally
        {
            unlockIf();
        }
    }

    /**
     * @return true while enabled.
     */
    public boolean isEnabled()
    {
        return enabled;
    }

    /**
     * libevent's {@code evconnlistener_set_cb}.
     *
     * @param callback gets each connection (null: accepted sockets are closed).
     */
    public void setCallback(final ConnListenerCallback callback)
    {
        this.callback = callback;
    }

    /**
     * libevent's {@code evconnlistener_set_error_cb}.
     *
     * @param errorCallback gets failed accepts (null: they go to the base's error handler).
     */
    public void setErrorCallback(final ConnListenerErrorCallback errorCallback)
    {
        this.errorCallback = errorCallback;
    }

    /**
     * @return libevent's {@code evconnlistener_get_fd}.
     */
    public int fd()
    {
        return fd;
    }

    /**
     * @return libevent's {@code evconnlistener_get_base}.
     */
    public EventBase base()
    {
        return base;
    }

    /**
     * @return how long polling stops after EMFILE/ENFILE, in milliseconds.
     */
    public long backoffMs()
    {
        return backoffMs;
    }

    /**
     * Set how long polling stops after EMFILE/ENFILE (beyond libevent).
     *
     * @param ms milliseconds, at least 1.
     */
    public void backoffMs(final long ms)
    {
        if (ms < 1)
        {
            throw new IllegalArgumentException("back-off must be at least 1 ms: " + ms);
        }
        backoffMs = ms;
    }

    /**
     * The address the socket is bound to ({@code getsockname}; beyond libevent): the port picked for port 0.
     *
     * @return the local address.
     * @throws PanamaxException when getsockname fails.
     */
    public SocketAddress localAddress()
    {
        final NetScratch s = NetScratch.get();
        s.addressLength.set(JAVA_INT, 0, (int)SockaddrDescriptor.STORAGE_LENGTH);
        PanamaxException.check(Sockets.getsockname(s.callState, fd, s.address, s.addressLength), "getsockname",
            "fd " + fd);
        return SocketAddresses.read(s.address, s.addressLength.get(JAVA_INT, 0));
    }

    /**
     * libevent's {@code evconnlistener_free}: stop accepting and, with {@link LevOpt#CLOSE_ON_FREE}, close the
     * socket. Safe inside the accept or error callback (the accept loop stops at once). Idempotent.
     */
    @Override
    public void close()
    {
        lockIf();
        try
        {
            if (closed)
            {
                return;
            }
            closed = true;
            enabled = false;
            if (loop.isClosed() || loop.isOwnerThread())
            {
                release();
            }
            else
            {
                loop.execute(syncTask);
            }
        }
        finally
        {
            unlockIf();
        }
    }

    /**
     * @return true after {@link #close()}.
     */
    public boolean isClosed()
    {
        return closed;
    }

    private void release()
    {
        if (released)
        {
            return;
        }
        released = true;
        loop.close(event);
        loop.close(backoff);
        if (0 != (flags & LevOpt.CLOSE_ON_FREE))
        {
            if (!loop.isClosed())
            {
                loop.backend().flush(fd);
            }
            Libc.close(NetScratch.get().callState, fd);
        }
    }

    @Override
    public String toString()
    {
        return "ConnListener[fd=" + fd + ", enabled=" + enabled + ", closed=" + closed + "]";
    }
}
