package io.panamax;

import java.net.SocketAddress;

/**
 * What a {@link ConnListener} runs for each accepted connection (libevent's {@code evconnlistener_cb}).
 * <p>
 * <b>Thread-safety:</b> runs on the thread of the listener's base loop. It owns {@code fd} (close it or wrap it,
 * e.g. in {@link BufferEvent#socket}); it may disable or close the listener, which stops the accept loop at once.
 */
@FunctionalInterface
public interface ConnListenerCallback
{
    /**
     * @param listener the listener.
     * @param fd       the accepted socket (non-blocking unless {@link LevOpt#LEAVE_SOCKETS_BLOCKING}).
     * @param address  the peer's address.
     */
    void onAccept(ConnListener listener, int fd, SocketAddress address);
}
