package io.panamax;

import io.panamax.ffm.Libc;
import io.panamax.ffm.SocketAddresses;
import io.panamax.ffm.SocketOptions;
import io.panamax.ffm.Sockets;
import io.panamax.internal.net.NetScratch;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ConnListener's accept loop and LEV_OPT flags as the kernel sees them: every queued connection accepted in one
 * readiness (until EAGAIN), accepted fds non-blocking (and close-on-exec with CLOSE_ON_EXEC), REUSEABLE and
 * REUSEABLE_PORT read back with getsockopt, setCallback, and wrap over a socket the caller bound. (BIND_IPV6ONLY
 * cannot be seen on loopback: Linux sets IPV6_V6ONLY itself when a socket binds a specific IPv6 address such as
 * ::1, and tests may not bind the wildcard.)
 */
@ExtendWith(PoolWholeExtension.class)
class ConnListenerOptionsTest
{
    private final List<SocketChannel> clients = new ArrayList<>();
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment scratch = arena.allocate(SocketOptions.SCRATCH_LENGTH, 8);

    @AfterEach
    void tearDown() throws IOException
    {
        for (final SocketChannel client : clients)
        {
            client.close();
        }
        arena.close();
    }

    private static MemorySegment callState()
    {
        return NetScratch.get().callState;
    }

    private int option(final int fd, final int level, final int name)
    {
        return SocketOptions.getsockoptInt(callState(), fd, level, name, scratch);
    }

    private static InetSocketAddress anyLoopbackPort()
    {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private void connect(final SocketAddress address) throws IOException
    {
        clients.add(SocketChannel.open(address));
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void oneReadinessAcceptsEveryQueuedConnectionAsNonBlockingCloseOnExecFds(final String method) throws IOException
    {
        final Path dir = Files.createTempDirectory("panamax-lev");
        final UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("l"));
        try (EventBase base = TestFds.base(method))
        {
            final List<String> accepted = new ArrayList<>();
            try (ConnListener listener = ConnListener.bind(base, (l, fd, peer) ->
            {
                final int fl = Libc.fcntl(callState(), fd, Libc.F_GETFL, 0);
                final int fdFlags = Libc.fcntl(callState(), fd, Libc.F_GETFD, 0);
                accepted.add((0 != (fl & Libc.O_NONBLOCK) ? "nonblocking" : "blocking") +
                    (0 != (fdFlags & Libc.FD_CLOEXEC) ? "+cloexec" : ""));
                Loops.closeFd(fd);
            }, LevOpt.CLOSE_ON_FREE | LevOpt.CLOSE_ON_EXEC, -1, address))
            {
                // A Unix-domain connect is queued on the listener before connect() returns: three are waiting.
                connect(address);
                connect(address);
                connect(address);
                assertEquals(0, base.loop(EventBase.LOOP_ONCE));
                assertEquals(List.of("nonblocking+cloexec", "nonblocking+cloexec", "nonblocking+cloexec"), accepted,
                    "one readiness: the accept loop ran until EAGAIN");
                assertTrue(0 != (Libc.fcntl(callState(), listener.fd(), Libc.F_GETFD, 0) & Libc.FD_CLOEXEC));
            }
        }
        finally
        {
            Files.deleteIfExists(dir.resolve("l"));
            Files.deleteIfExists(dir);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void reuseFlagsSetTheirSocketOptions(final String method)
    {
        try (EventBase base = TestFds.base(method);
            ConnListener plain = ConnListener.bind(base, null, LevOpt.CLOSE_ON_FREE, -1, anyLoopbackPort());
            ConnListener reuse = ConnListener.bind(base, null, LevOpt.CLOSE_ON_FREE | LevOpt.REUSEABLE, -1,
                anyLoopbackPort());
            ConnListener reusePort = ConnListener.bind(base, null, LevOpt.CLOSE_ON_FREE | LevOpt.REUSEABLE_PORT, -1,
                anyLoopbackPort()))
        {
            final int sol = SocketOptions.SOL_SOCKET;
            assertEquals(0, option(plain.fd(), sol, SocketOptions.SO_REUSEADDR));
            assertEquals(0, option(plain.fd(), sol, SocketOptions.SO_REUSEPORT));
            assertTrue(option(reuse.fd(), sol, SocketOptions.SO_REUSEADDR) > 0);
            assertEquals(0, option(reuse.fd(), sol, SocketOptions.SO_REUSEPORT));
            assertTrue(option(reusePort.fd(), sol, SocketOptions.SO_REUSEPORT) > 0);
            assertTrue(option(plain.fd(), sol, SocketOptions.SO_KEEPALIVE) > 0, "libevent 2.2's keep-alive");
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void setCallbackReplacesTheAcceptCallback(final String method) throws IOException
    {
        try (EventBase base = TestFds.base(method))
        {
            final List<String> calls = new ArrayList<>();
            try (ConnListener listener = ConnListener.bind(base, (l, fd, peer) ->
            {
                calls.add("first");
                Loops.closeFd(fd);
            }, LevOpt.CLOSE_ON_FREE, -1, anyLoopbackPort()))
            {
                listener.setCallback((l, fd, peer) ->
                {
                    calls.add("second");
                    Loops.closeFd(fd);
                });
                connect(listener.localAddress());
                assertTrue(Loops.runUntil(base, () -> !calls.isEmpty(), 5000));
                assertEquals(List.of("second"), calls);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void wrapListensOnASocketTheCallerBound(final String method) throws IOException
    {
        final MemorySegment cs = callState();
        final int fd = Sockets.socket(cs, Sockets.AF_INET, Sockets.SOCK_STREAM, 0);
        assertTrue(fd >= 0);
        final MemorySegment sa = NetScratch.get().address;
        final int length = SocketAddresses.write(sa, anyLoopbackPort());
        assertEquals(0, Sockets.bind(cs, fd, sa, length));
        try (EventBase base = TestFds.base(method))
        {
            final List<SocketAddress> peers = new ArrayList<>();
            try (ConnListener listener = ConnListener.wrap(base, (l, conn, peer) ->
            {
                peers.add(peer);
                Loops.closeFd(conn);
            }, LevOpt.CLOSE_ON_FREE, 8, fd))
            {
                assertEquals(fd, listener.fd());
                assertTrue(0 != (Libc.fcntl(cs, fd, Libc.F_GETFL, 0) & Libc.O_NONBLOCK), "made non-blocking");
                connect(listener.localAddress());
                assertTrue(Loops.runUntil(base, () -> !peers.isEmpty(), 5000));
                assertTrue(peers.get(0) instanceof InetSocketAddress);
            }
        }
        assertTrue(Libc.fcntl(cs, fd, Libc.F_GETFD, 0) < 0, "CLOSE_ON_FREE closed the wrapped fd");
    }
}
