package io.panamax.ffm;

import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@EnabledOnOs({ OS.LINUX, OS.MAC })
class SocketsTest
{
    @Test
    void socketNonBlockingIsNonBlockingAndCloseOnExec()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int fd = f.track(Sockets.socketNonBlocking(f.cs, Sockets.AF_INET, Sockets.SOCK_STREAM, 0));
            assertNotEquals(0, Libc.fcntl(f.cs, fd, Libc.F_GETFL, 0) & Libc.O_NONBLOCK);
            assertEquals(Libc.FD_CLOEXEC, Libc.fcntl(f.cs, fd, Libc.F_GETFD, 0) & Libc.FD_CLOEXEC);
            assertEquals(Sockets.SOCK_STREAM,
                SocketOptions.getsockoptInt(f.cs, fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_TYPE, f.scratch));
            if (SocketOptions.HAS_SO_NOSIGPIPE)
            {
                assertNotEquals(0, SocketOptions.getsockoptInt(
                    f.cs, fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_NOSIGPIPE, f.scratch), "BSD: any non-zero");
            }
            assertEquals(-Errno.EAFNOSUPPORT, Sockets.socket(f.cs, 12345, Sockets.SOCK_STREAM, 0));
        }
    }

    @Test
    void bindToPortZeroThenGetsocknameReportsTheRealPort()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int listener = f.listener();
            final InetSocketAddress local = f.localAddress(listener);
            assertEquals(InetAddress.getLoopbackAddress(), local.getAddress());
            assertTrue(local.getPort() > 0, "kernel chose a port: " + local);
            assertNotEquals(0, SocketOptions.getsockoptInt(
                f.cs, listener, SocketOptions.SOL_SOCKET, SocketOptions.SO_ACCEPTCONN, f.scratch), "BSD: the bit");

            final MemorySegment sa = f.arena.allocate(SockaddrDescriptor.STORAGE_LAYOUT);
            final int len = SocketAddresses.write(sa, local);
            assertEquals(local.getPort(), SocketAddresses.port(sa));
            final int other = f.track(Sockets.socketNonBlocking(f.cs, Sockets.AF_INET, Sockets.SOCK_STREAM, 0));
            assertEquals(-Errno.EADDRINUSE, Sockets.bind(f.cs, other, sa, len));
        }
    }

    @Test
    void acceptOnEmptyListenerIsEagainThenConnectedPairExchangesBytes()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int listener = f.listener();
            final MemorySegment peer = f.arena.allocate(SockaddrDescriptor.STORAGE_LAYOUT);
            final MemorySegment peerLen = f.arena.allocateFrom(JAVA_INT, (int)SockaddrDescriptor.STORAGE_LENGTH);
            assertEquals(-Errno.EAGAIN, Sockets.accept(f.cs, listener, peer, peerLen, Libc.O_NONBLOCK));

            final int client = f.track(Sockets.socketNonBlocking(f.cs, Sockets.AF_INET, Sockets.SOCK_STREAM, 0));
            final MemorySegment sa = f.arena.allocate(SockaddrDescriptor.STORAGE_LAYOUT);
            final int rc = Sockets.connect(f.cs, client, sa, SocketAddresses.write(sa, f.localAddress(listener)));
            assertTrue(0 == rc || -Errno.EINPROGRESS == rc, NativeFixture.describe(rc));
            assertTrue(f.waitFor(listener, PollfdDescriptor.POLLIN, 5_000));
            final int server = f.track(
                Sockets.accept(f.cs, listener, peer, peerLen, Libc.O_NONBLOCK | Libc.O_CLOEXEC));
            assertNotEquals(0, Libc.fcntl(f.cs, server, Libc.F_GETFL, 0) & Libc.O_NONBLOCK);
            assertEquals(Libc.FD_CLOEXEC, Libc.fcntl(f.cs, server, Libc.F_GETFD, 0) & Libc.FD_CLOEXEC);
            assertEquals(f.localAddress(client), SocketAddresses.read(peer, peerLen.get(JAVA_INT, 0)),
                "accept's peer address is the client's local address");

            final MemorySegment name = f.arena.allocate(SockaddrDescriptor.STORAGE_LAYOUT);
            final MemorySegment nameLen = f.arena.allocateFrom(JAVA_INT, (int)SockaddrDescriptor.STORAGE_LENGTH);
            assertTrue(f.waitFor(client, PollfdDescriptor.POLLOUT, 5_000));
            assertEquals(0, Sockets.getpeername(f.cs, client, name, nameLen));
            assertEquals(f.localAddress(listener), SocketAddresses.read(name, nameLen.get(JAVA_INT, 0)));

            final MemorySegment buf = f.arena.allocate(64);
            assertEquals(4, Sockets.send(f.cs, client, f.arena.allocateFrom("ping"), 4, 0));
            assertTrue(f.waitFor(server, PollfdDescriptor.POLLIN, 5_000));
            assertEquals(4, Sockets.recv(f.cs, server, buf, 64, Sockets.MSG_PEEK), "peek leaves the bytes");
            assertEquals(4, Sockets.recv(f.cs, server, buf, 64, 0));
            assertEquals("ping", buf.getString(0).substring(0, 4));
            assertEquals(-Errno.EAGAIN, Sockets.recv(f.cs, server, buf, 64, 0));
        }
    }

    @Test
    void macOsEmulationOfSocketAndAccept4SetsTheSameFlags()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int listener = f.track(Sockets.socketThenFcntl(f.cs, Sockets.AF_INET, Sockets.SOCK_STREAM, 0));
            assertNotEquals(0, Libc.fcntl(f.cs, listener, Libc.F_GETFL, 0) & Libc.O_NONBLOCK);
            assertEquals(Libc.FD_CLOEXEC, Libc.fcntl(f.cs, listener, Libc.F_GETFD, 0) & Libc.FD_CLOEXEC);
            final MemorySegment sa = f.arena.allocate(SockaddrDescriptor.STORAGE_LAYOUT);
            final int len = SocketAddresses.write(sa, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertEquals(0, Sockets.bind(f.cs, listener, sa, len));
            assertEquals(0, Sockets.listen(f.cs, listener, 4));
            final MemorySegment peer = f.arena.allocate(SockaddrDescriptor.STORAGE_LAYOUT);
            final MemorySegment peerLen = f.arena.allocateFrom(JAVA_INT, (int)SockaddrDescriptor.STORAGE_LENGTH);
            assertEquals(-Errno.EAGAIN, Sockets.acceptThenFcntl(f.cs, listener, peer, peerLen, Libc.O_NONBLOCK));

            final int client = f.track(Sockets.socketNonBlocking(f.cs, Sockets.AF_INET, Sockets.SOCK_STREAM, 0));
            final int rc = Sockets.connect(f.cs, client, sa, SocketAddresses.write(sa, f.localAddress(listener)));
            assertTrue(0 == rc || -Errno.EINPROGRESS == rc, NativeFixture.describe(rc));
            assertTrue(f.waitFor(listener, PollfdDescriptor.POLLIN, 5_000));
            final int server = f.track(
                Sockets.acceptThenFcntl(f.cs, listener, peer, peerLen, Libc.O_NONBLOCK | Libc.O_CLOEXEC));
            assertNotEquals(0, Libc.fcntl(f.cs, server, Libc.F_GETFL, 0) & Libc.O_NONBLOCK);
            assertEquals(Libc.FD_CLOEXEC, Libc.fcntl(f.cs, server, Libc.F_GETFD, 0) & Libc.FD_CLOEXEC);
            assertEquals(f.localAddress(client), SocketAddresses.read(peer, peerLen.get(JAVA_INT, 0)));
        }
    }

    @Test
    void getpeernameOfUnconnectedSocketIsEnotconn()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int fd = f.track(Sockets.socketNonBlocking(f.cs, Sockets.AF_INET, Sockets.SOCK_STREAM, 0));
            final MemorySegment name = f.arena.allocate(SockaddrDescriptor.STORAGE_LAYOUT);
            final MemorySegment nameLen = f.arena.allocateFrom(JAVA_INT, (int)SockaddrDescriptor.STORAGE_LENGTH);
            assertEquals(-Errno.ENOTCONN, Sockets.getpeername(f.cs, fd, name, nameLen));
        }
    }

    @Test
    void connectToClosedLoopbackPortReportsEconnrefused()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int listener = f.listener();
            final InetSocketAddress closed = f.localAddress(listener);
            f.close(listener);
            final int client = f.track(Sockets.socketNonBlocking(f.cs, Sockets.AF_INET, Sockets.SOCK_STREAM, 0));
            final MemorySegment sa = f.arena.allocate(SockaddrDescriptor.STORAGE_LAYOUT);
            final int rc = Sockets.connect(f.cs, client, sa, SocketAddresses.write(sa, closed));
            if (-Errno.EINPROGRESS == rc)
            {
                assertTrue(f.waitFor(client, PollfdDescriptor.POLLOUT, 5_000), "connect completes");
                assertEquals(Errno.ECONNREFUSED, SocketOptions.socketError(f.cs, client, f.scratch));
                assertEquals(0, SocketOptions.socketError(f.cs, client, f.scratch), "SO_ERROR is read-and-clear");
            }
            else
            {
                assertEquals(-Errno.ECONNREFUSED, rc);
            }
        }
    }

    @Test
    void sendToPeerThatResetGivesEconnresetOrEpipeAndTheJvmLivesOn()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] tcp = f.tcpPair();
            assertEquals(0, SocketOptions.setLinger(f.cs, tcp[1], true, 0, f.scratch));
            f.close(tcp[1]);
            assertTrue(f.waitFor(tcp[0], PollfdDescriptor.POLLIN, 5_000), "the RST arrives");
            final MemorySegment buf = f.arena.allocateFrom("data after reset");
            long rc = 0;
            for (int i = 0; i < 100 && rc >= 0; i++)
            {
                rc = Sockets.send(f.cs, tcp[0], buf, 8, 0);
            }
            assertTrue(-Errno.ECONNRESET == rc || -Errno.EPIPE == rc, NativeFixture.describe(rc));
            assertEquals(-Errno.EPIPE, Sockets.send(f.cs, tcp[0], buf, 8, 0), "after the reset is consumed");
            assertEquals(-Errno.EPIPE, Libc.write(f.cs, tcp[0], buf, 8), "write: SIGPIPE is ignored, EPIPE");
        }
    }

    @Test
    void sendmsgGathersTheIovecArrayAndGivesEpipeOnAClosedPeer()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] pair = f.socketpair(true);
            final MemorySegment iov = f.arena.allocate(IovecDescriptor.LAYOUT, 2);
            IovecDescriptor.set(iov, 0, f.arena.allocateFrom("gath"), 4);
            IovecDescriptor.set(iov, 1, f.arena.allocateFrom("ered"), 4);
            final MemorySegment msg = f.arena.allocate(MsghdrDescriptor.LAYOUT);
            MsghdrDescriptor.iov(msg, iov, 2);
            assertEquals(2, MsghdrDescriptor.iovlen(msg));
            assertEquals(8, Sockets.sendmsg(f.cs, pair[0], msg, Sockets.MSG_NOSIGNAL));
            final MemorySegment in = f.arena.allocate(16);
            assertEquals(8, Sockets.recv(f.cs, pair[1], in, 16, 0));
            assertEquals("gathered", new String(in.asSlice(0, 8).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
            f.close(pair[1]);
            assertEquals(-Errno.EPIPE, Sockets.sendmsg(f.cs, pair[0], msg, Sockets.MSG_NOSIGNAL));
        }
    }

    @Test
    void sendmsgOnANonSocketIsEnotsock()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final MemorySegment fds = f.arena.allocate(JAVA_INT, 2);
            assertEquals(0, Libc.pipe2(f.cs, fds, Libc.O_NONBLOCK));
            final int readEnd = f.track(fds.getAtIndex(JAVA_INT, 0));
            final int writeEnd = f.track(fds.getAtIndex(JAVA_INT, 1));
            final MemorySegment iov = f.arena.allocate(IovecDescriptor.LAYOUT, 1);
            IovecDescriptor.set(iov, 0, f.arena.allocateFrom("x"), 1);
            final MemorySegment msg = f.arena.allocate(MsghdrDescriptor.LAYOUT);
            MsghdrDescriptor.iov(msg, iov, 1);
            assertEquals(-Errno.ENOTSOCK, Sockets.sendmsg(f.cs, writeEnd, msg, Sockets.MSG_NOSIGNAL));
            assertNotEquals(readEnd, writeEnd);
        }
    }

    @Test
    void writeToClosedSocketpairPeerGivesEpipe()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] pair = f.socketpair(true);
            f.close(pair[1]);
            final MemorySegment buf = f.arena.allocateFrom("x");
            assertEquals(-Errno.EPIPE, Sockets.send(f.cs, pair[0], buf, 1, 0));
            assertEquals(-Errno.EPIPE, Libc.write(f.cs, pair[0], buf, 1));
        }
    }

    @Test
    void intOptionsRoundTripAndNonSocketIsEnotsock()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] tcp = f.tcpPair();
            final int fd = tcp[0];
            assertEquals(0, SocketOptions.getsockoptInt(
                f.cs, fd, SocketOptions.IPPROTO_TCP, SocketOptions.TCP_NODELAY, f.scratch));
            assertEquals(0, SocketOptions.setsockoptInt(
                f.cs, fd, SocketOptions.IPPROTO_TCP, SocketOptions.TCP_NODELAY, 1, f.scratch));
            assertNotEquals(0, SocketOptions.getsockoptInt(
                f.cs, fd, SocketOptions.IPPROTO_TCP, SocketOptions.TCP_NODELAY, f.scratch));
            assertEquals(0, SocketOptions.setsockoptInt(
                f.cs, fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_REUSEADDR, 1, f.scratch));
            assertNotEquals(0, SocketOptions.getsockoptInt(
                f.cs, fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_REUSEADDR, f.scratch));
            assertTrue(SocketOptions.getsockoptInt(
                f.cs, fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_SNDBUF, f.scratch) > 0);

            final MemorySegment linger = f.arena.allocate(LingerDescriptor.LAYOUT);
            final MemorySegment lingerLen = f.arena.allocateFrom(JAVA_INT, (int)LingerDescriptor.LENGTH);
            assertEquals(0, SocketOptions.setLinger(f.cs, fd, true, 3, f.scratch));
            assertEquals(0, SocketOptions.getsockopt(f.cs, fd, SocketOptions.SOL_SOCKET,
                SocketOptions.HAS_SO_LINGER_SEC ? SocketOptions.SO_LINGER_SEC : SocketOptions.SO_LINGER,
                linger, lingerLen));
            assertNotEquals(0, linger.get(JAVA_INT, LingerDescriptor.ONOFF_OFFSET));
            assertEquals(3, linger.get(JAVA_INT, LingerDescriptor.LINGER_OFFSET));

            final MemorySegment fds = f.arena.allocate(JAVA_INT, 2);
            assertEquals(0, Libc.pipe2(f.cs, fds, Libc.O_CLOEXEC));
            final int pipe = f.track(fds.getAtIndex(JAVA_INT, 0));
            f.track(fds.getAtIndex(JAVA_INT, 1));
            assertEquals(-Errno.ENOTSOCK, SocketOptions.getsockoptInt(
                f.cs, pipe, SocketOptions.SOL_SOCKET, SocketOptions.SO_ERROR, f.scratch));
            assertEquals(-Errno.ENOTSOCK, SocketOptions.setsockoptInt(
                f.cs, pipe, SocketOptions.SOL_SOCKET, SocketOptions.SO_REUSEADDR, 1, f.scratch));
        }
    }

    @Test
    void shutdownWriteGivesThePeerEndOfStream()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] tcp = f.tcpPair();
            assertEquals(0, Sockets.shutdown(f.cs, tcp[0], Sockets.SHUT_WR));
            assertTrue(f.waitFor(tcp[1], PollfdDescriptor.POLLIN, 5_000));
            assertEquals(0, Sockets.recv(f.cs, tcp[1], f.arena.allocate(8), 8, 0), "EOF");
            assertEquals(-Errno.EPIPE, Sockets.send(f.cs, tcp[0], f.arena.allocateFrom("x"), 1, 0));
            assertEquals(-Errno.EINVAL, Sockets.shutdown(f.cs, tcp[0], 99));
        }
    }

    @Test
    void ipv6LoopbackBindReportsItsAddressAndPort() throws Exception
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int fd = Sockets.socketNonBlocking(f.cs, Sockets.AF_INET6, Sockets.SOCK_STREAM, 0);
            assumeTrue(fd >= 0, "IPv6 sockets unavailable: " + NativeFixture.describe(fd));
            f.track(fd);
            final MemorySegment sa = f.arena.allocate(SockaddrDescriptor.STORAGE_LAYOUT);
            final InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 0);
            assertTrue(v6.getAddress() instanceof Inet6Address);
            final int rc = Sockets.bind(f.cs, fd, sa, SocketAddresses.write(sa, v6));
            assumeTrue(0 == rc, "::1 unavailable: " + NativeFixture.describe(rc));
            assertEquals(0, Sockets.listen(f.cs, fd, 4));
            final InetSocketAddress local = f.localAddress(fd);
            assertEquals(v6.getAddress(), local.getAddress());
            assertTrue(local.getPort() > 0);
            assertEquals(Sockets.AF_INET6, SocketAddresses.family(sa));
        }
    }

    @Test
    void unixSocketBindsToAPathThatGetsocknameReadsBack(@TempDir final Path dir)
    {
        try (NativeFixture f = new NativeFixture())
        {
            final Path path = dir.resolve("s.sock");
            final int fd = f.track(Sockets.socketNonBlocking(f.cs, Sockets.AF_UNIX, Sockets.SOCK_STREAM, 0));
            final MemorySegment sa = f.arena.allocate(SockaddrDescriptor.STORAGE_LAYOUT);
            final int len = SocketAddresses.write(sa, UnixDomainSocketAddress.of(path));
            assertEquals(0, Sockets.bind(f.cs, fd, sa, len));
            assertTrue(Files.exists(path), "bind created the socket file");
            final MemorySegment out = f.arena.allocate(SockaddrDescriptor.STORAGE_LAYOUT);
            final MemorySegment outLen = f.arena.allocateFrom(JAVA_INT, (int)SockaddrDescriptor.STORAGE_LENGTH);
            assertEquals(0, Sockets.getsockname(f.cs, fd, out, outLen));
            assertEquals(UnixDomainSocketAddress.of(path), SocketAddresses.read(out, outLen.get(JAVA_INT, 0)));
        }
    }
}
