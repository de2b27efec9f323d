package io.panamax.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Test support: one confined arena, a call-state segment, scratch memory, and every descriptor a test opens,
 * all released by {@link #close()} (so a failing assertion leaks nothing).
 */
final class NativeFixture implements AutoCloseable
{
    final Arena arena = Arena.ofConfined();
    final MemorySegment cs = Errno.allocateCallState(arena);
    final MemorySegment scratch = arena.allocate(SocketOptions.SCRATCH_LENGTH, 8);
    private final List<Integer> fds = new ArrayList<>();

    /** Remember a descriptor to close at the end; returns it. */
    int track(final int fd)
    {
        assertTrue(fd >= 0, () -> "expected a descriptor, got " + describe(fd));
        fds.add(fd);
        return fd;
    }

    /** Close a tracked descriptor now. */
    void close(final int fd)
    {
        fds.remove(Integer.valueOf(fd));
        assertEquals(0, Libc.close(cs, fd));
    }

    /** A Unix stream socketpair; both ends non-blocking when asked. */
    int[] socketpair(final boolean nonBlocking)
    {
        final MemorySegment pair = arena.allocate(JAVA_INT, 2);
        assertEquals(0, Sockets.socketpair(cs, Sockets.AF_UNIX, Sockets.SOCK_STREAM, 0, pair));
        final int a = track(pair.getAtIndex(JAVA_INT, 0));
        final int b = track(pair.getAtIndex(JAVA_INT, 1));
        if (nonBlocking)
        {
            assertEquals(0, Libc.setFlags(cs, a, Libc.O_NONBLOCK));
            assertEquals(0, Libc.setFlags(cs, b, Libc.O_NONBLOCK));
        }
        return new int[]{ a, b };
    }

    /** A non-blocking listener on 127.0.0.1, an ephemeral port. */
    int listener()
    {
        final int fd = track(Sockets.socketNonBlocking(cs, Sockets.AF_INET, Sockets.SOCK_STREAM, 0));
        final MemorySegment sa = arena.allocate(SockaddrDescriptor.STORAGE_LAYOUT);
        final int len = SocketAddresses.write(sa, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        assertEquals(0, Sockets.bind(cs, fd, sa, len));
        assertEquals(0, Sockets.listen(cs, fd, 16));
        return fd;
    }

    /** The local address of a socket (getsockname). */
    InetSocketAddress localAddress(final int fd)
    {
        final MemorySegment sa = arena.allocate(SockaddrDescriptor.STORAGE_LAYOUT);
        final MemorySegment len = arena.allocateFrom(JAVA_INT, (int)SockaddrDescriptor.STORAGE_LENGTH);
        assertEquals(0, Sockets.getsockname(cs, fd, sa, len));
        return (InetSocketAddress)SocketAddresses.read(sa, len.get(JAVA_INT, 0));
    }

    /** A connected TCP pair on loopback: {client, server-side}. Both non-blocking. */
    int[] tcpPair()
    {
        final int listener = listener();
        final int client = track(Sockets.socketNonBlocking(cs, Sockets.AF_INET, Sockets.SOCK_STREAM, 0));
        final MemorySegment sa = arena.allocate(SockaddrDescriptor.STORAGE_LAYOUT);
        final int len = SocketAddresses.write(sa, localAddress(listener));
        final int rc = Sockets.connect(cs, client, sa, len);
        assertTrue(0 == rc || -Errno.EINPROGRESS == rc, () -> "connect: " + describe(rc));
        final int server = track(acceptWithin(listener, 5_000));
        assertTrue(waitFor(client, PollfdDescriptor.POLLOUT, 5_000), "client connected");
        assertEquals(0, SocketOptions.socketError(cs, client, scratch));
        close(listener);
        return new int[]{ client, server };
    }

    /** Accept on a non-blocking listener, polling until a connection arrives (bounded). */
    int acceptWithin(final int listener, final int timeoutMs)
    {
        assertTrue(waitFor(listener, PollfdDescriptor.POLLIN, timeoutMs), "a connection is pending");
        return Sockets.accept(cs, listener, MemorySegment.NULL, MemorySegment.NULL,
            Libc.O_NONBLOCK | Libc.O_CLOEXEC);
    }

    /** poll one descriptor for {@code events}; true when ready within the timeout. */
    boolean waitFor(final int fd, final short events, final int timeoutMs)
    {
        final MemorySegment pfd = arena.allocate(PollfdDescriptor.LAYOUT);
        pfd.set(JAVA_INT, PollfdDescriptor.FD_OFFSET, fd);
        pfd.set(java.lang.foreign.ValueLayout.JAVA_SHORT, PollfdDescriptor.EVENTS_OFFSET, events);
        final int rc = Libc.poll(cs, pfd, 1, timeoutMs);
        assertTrue(rc >= 0, () -> "poll: " + describe(rc));
        return 1 == rc;
    }

    static String describe(final long rc)
    {
        return rc >= 0 ? Long.toString(rc) : "-" + Errno.name((int)-rc);
    }

    @Override
    public void close()
    {
        for (final int fd : fds)
        {
            Libc.close(cs, fd);
        }
        fds.clear();
        arena.close();
    }
}
