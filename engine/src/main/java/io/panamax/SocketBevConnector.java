package io.panamax;

import io.panamax.ffm.Errno;
import io.panamax.ffm.Libc;
import io.panamax.ffm.SocketOptions;
import io.panamax.ffm.Sockets;
import io.panamax.internal.net.NetScratch;
import io.panamax.internal.net.Resolver;

import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.util.List;

/**
 * Connecting for {@link SocketBufferEvent} (libevent's {@code bufferevent_socket_connect} and
 * {@code bufferevent_socket_connect_hostname}): create the socket when there is none, start the connect, and let
 * the write path report how it ended; resolve host names off the loop thread first.
 * <p>
 * <b>Thread-safety:</b> {@link #connect} and {@link #connectHostname} on the loop thread; the lookup's result
 * comes back to the loop.
 */
final class SocketBevConnector
{
    private final SocketBufferEvent bev;
    private volatile int dnsError;

    SocketBevConnector(final SocketBufferEvent bev)
    {
        this.bev = bev;
    }

    /** @see BufferEvent#connect */
    int connect(final SocketAddress address)
    {
        final SocketBufferEvent bev = this.bev;
        bev.loop.checkOwner();
        final NetScratch s = NetScratch.get();
        final int family = NetScratch.family(address);
        final int length = s.writeAddress(address);
        bev.increfAndLock();
        try
        {
            bev.checkOpen();
            int sock = bev.fd();
            boolean created = false;
            if (sock < 0)
            {
                sock = Sockets.socketNonBlocking(s.callState, family, Sockets.SOCK_STREAM, 0);
                if (sock < 0)
                {
                    bev.socketError = -sock;
                    return -1;
                }
                created = true;
            }
            final int rc = Sockets.connect(s.callState, sock, s.address, length);
            final boolean refused = -Errno.ECONNREFUSED == rc;
            if (rc < 0 && !refused && -Errno.EINPROGRESS != rc && -Errno.EINTR != rc)
            {
                bev.socketError = -rc;
                if (created)
                {
                    Libc.close(s.callState, sock);
                }
                return -1;
            }
            if (created)
            {
                bev.setFdLocked(sock);
                bev.ownsFd = true;
            }
            bev.connecting = true;
            bev.connectionRefused = refused;
            bev.addWrite();
            if (0 == rc || refused)
            {
                // The outcome is known already: report it through the write path in the next iteration, never
                // from inside connect.
                bev.writeMaybeArmed = true;
                bev.loop.active(bev.writeEv, Ev.WRITE, 1);
            }
            return 0;
        }
        finally
        {
            bev.decrefAndUnlock();
        }
    }

    /** @see BufferEvent#connectHostname */
    int connectHostname(final String host, final int port, final ProtocolFamily family)
    {
        final SocketBufferEvent bev = this.bev;
        bev.loop.checkOwner();
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        bev.lockIf();
        try
        {
            bev.checkOpen();
            dnsError = 0;
            bev.suspendRead(BufferEvent.SUSPEND_LOOKUP);
            bev.suspendWrite(BufferEvent.SUSPEND_LOOKUP);
            bev.incref();
        }
        finally
        {
            bev.unlockIf();
        }
        Resolver.resolve(host, port, family, (addresses, eaiCode) ->
        {
            try
            {
                bev.loop.execute(() -> lookupDone(addresses, eaiCode));
            }
            catch (final IllegalStateException ex)
            {
                bev.decrefQuietly();
            }
        });
        return 0;
    }

    private void lookupDone(final List<InetSocketAddress> addresses, final int eaiCode)
    {
        final SocketBufferEvent bev = this.bev;
        bev.increfAndLock();
        try
        {
            if (bev.isClosed())
            {
                return;
            }
            bev.unsuspendRead(BufferEvent.SUSPEND_LOOKUP);
            bev.unsuspendWrite(BufferEvent.SUSPEND_LOOKUP);
            if (0 != eaiCode || addresses.isEmpty())
            {
                dnsError = 0 != eaiCode ? eaiCode : Resolver.noName();
                bev.runEventCb(BevEvent.ERROR, 0);
                return;
            }
            if (connect(addresses.get(0)) < 0)
            {
                bev.runEventCb(BevEvent.ERROR, 0);
            }
        }
        finally
        {
            bev.decrefAndUnlock();
        }
        bev.decref();
    }

    /** @see BufferEvent#dnsError */
    int dnsError()
    {
        return dnsError;
    }

    /**
     * The writable event of a connecting socket: how did the connect end?
     *
     * @return 1 connected, 0 still connecting, -1 failed ({@link BufferEvent#socketError} set).
     */
    int finishedConnecting(final int eventFd)
    {
        final SocketBufferEvent bev = this.bev;
        if (bev.connectionRefused)
        {
            bev.connectionRefused = false;
            bev.socketError = Errno.ECONNREFUSED;
            return -1;
        }
        final NetScratch s = NetScratch.get();
        final int e = SocketOptions.socketError(s.callState, eventFd, s.option);
        if (e < 0)
        {
            bev.socketError = -e;
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
        bev.socketError = e;
        return -1;
    }
}
