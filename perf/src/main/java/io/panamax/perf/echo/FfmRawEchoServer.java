package io.panamax.perf.echo;

import io.panamax.ffm.Epoll;
import io.panamax.ffm.EpollEventDescriptor;
import io.panamax.ffm.Errno;
import io.panamax.ffm.Libc;
import io.panamax.ffm.SockaddrDescriptor;
import io.panamax.ffm.SocketAddresses;
import io.panamax.ffm.SocketOptions;
import io.panamax.ffm.Sockets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * {@code panamax-ffm-raw}: a bare echo server on Panamax's FFM bindings ({@code io.panamax.ffm}: Epoll, Sockets,
 * SocketOptions, Libc read/write) with no engine at all: what the JVM plus FFM cost with nothing on top, the floor
 * the Panamax engine ({@link PanamaxEchoServer}) is measured against. Not a Panamax server.
 * <p>
 * Like the C floor: level-triggered epoll, one read and one write per readable event, bytes the socket does
 * not take kept per connection (off-heap) and flushed on EPOLLOUT while reading that connection pauses.
 * Usage: {@code FfmRawEchoServer PORT} (Linux only).
 * <p>
 * <b>Thread-safety:</b> single-threaded; everything runs on the thread that calls {@link #run()}.
 */
public final class FfmRawEchoServer
{
    private static final int BUFFER_SIZE = 64 * 1024;
    private static final int MAX_EVENTS = 256;
    private static final int MAX_FD = 65_536;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment callState = Errno.allocateCallState(arena);
    private final MemorySegment events = arena.allocate(EpollEventDescriptor.LAYOUT, MAX_EVENTS);
    private final MemorySegment ctlEvent = arena.allocate(EpollEventDescriptor.LAYOUT);
    private final MemorySegment scratch = arena.allocate(SocketOptions.SCRATCH_LENGTH, 8);
    private final MemorySegment buffer = arena.allocate(BUFFER_SIZE, 64);
    private final MemorySegment[] pending = new MemorySegment[MAX_FD];
    private final int[] pendingOffset = new int[MAX_FD];
    private final int[] pendingLength = new int[MAX_FD];
    private final int epfd;
    private final int listenFd;

    FfmRawEchoServer(final int port)
    {
        epfd = check(Epoll.epollCreate1(callState, Epoll.EPOLL_CLOEXEC), "epoll_create1");
        listenFd = check(Sockets.socket(callState, Sockets.AF_INET,
            Sockets.SOCK_STREAM | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, 0), "socket");
        check(SocketOptions.setsockoptInt(callState, listenFd, SocketOptions.SOL_SOCKET,
            SocketOptions.SO_REUSEADDR, 1, scratch), "setsockopt(SO_REUSEADDR)");
        final MemorySegment address = arena.allocate(SockaddrDescriptor.STORAGE_LAYOUT);
        final int addressLength =
            SocketAddresses.write(address, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        check(Sockets.bind(callState, listenFd, address, addressLength), "bind(127.0.0.1:" + port + ")");
        check(Sockets.listen(callState, listenFd, 1024), "listen");
        check(control(Epoll.EPOLL_CTL_ADD, listenFd, Epoll.EPOLLIN), "epoll_ctl(listen)");
    }

    /**
     * Run the server until the process is killed.
     *
     * @param args {@code PORT}.
     */
    public static void main(final String[] args)
    {
        if (args.length != 1)
        {
            System.err.println("usage: FfmRawEchoServer PORT");
            System.exit(2);
        }
        ParentWatch.startIfAsked();
        final FfmRawEchoServer server = new FfmRawEchoServer(Integer.parseInt(args[0]));
        System.out.println("panamax-ffm-raw: echoing on 127.0.0.1:" + args[0]);
        server.run();
    }

    private static int check(final int rc, final String call)
    {
        if (rc < 0)
        {
            throw new IllegalStateException(call + ": " + Errno.name(-rc) + " (" + Libc.strerror(-rc) + ")");
        }
        return rc;
    }

    private int control(final int op, final int fd, final int interest)
    {
        ctlEvent.set(JAVA_INT, EpollEventDescriptor.EVENTS_OFFSET, interest);
        ctlEvent.set(JAVA_LONG_UNALIGNED, EpollEventDescriptor.DATA_OFFSET, fd);
        return Epoll.epollCtl(callState, epfd, op, fd, ctlEvent);
    }

    /**
     * The loop, and nothing else: set-up stays in the constructor and each iteration is its own method, so the
     * JIT compiles {@link #runOnce()} normally and early instead of waiting for on-stack replacement of a
     * long-lived loop.
     */
    void run()
    {
        while (true)
        {
            runOnce();
        }
    }

    /** One epoll_wait and the work it reports. */
    void runOnce()
    {
        final MemorySegment events = this.events;
        final int n = Epoll.epollWait(callState, epfd, events, MAX_EVENTS, -1);
        for (int i = 0; i < n; i++)
        {
            final int fd = events.get(JAVA_INT_UNALIGNED, EpollEventDescriptor.dataOffset(i));
            if (fd == listenFd)
            {
                acceptAll();
            }
            else if (pendingLength[fd] > 0)
            {
                flushPending(fd);
            }
            else
            {
                echo(fd);
            }
        }
    }

    private void acceptAll()
    {
        final int flags = Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC;
        for (int fd = Sockets.accept(callState, listenFd, MemorySegment.NULL, MemorySegment.NULL, flags); fd >= 0;
            fd = Sockets.accept(callState, listenFd, MemorySegment.NULL, MemorySegment.NULL, flags))
        {
            if (fd >= MAX_FD)
            {
                Libc.close(callState, fd);
                continue;
            }
            SocketOptions.setsockoptInt(callState, fd, SocketOptions.IPPROTO_TCP, SocketOptions.TCP_NODELAY, 1,
                scratch);
            pendingLength[fd] = 0;
            control(Epoll.EPOLL_CTL_ADD, fd, Epoll.EPOLLIN);
        }
    }

    private void echo(final int fd)
    {
        final long n = Libc.read(callState, fd, buffer, BUFFER_SIZE);
        if (n <= 0)
        {
            if (n == 0 || n != -Errno.EAGAIN && n != -Errno.EINTR)
            {
                close(fd);
            }
            return;
        }
        long w = Libc.write(callState, fd, buffer, n);
        if (w < 0)
        {
            if (w != -Errno.EAGAIN && w != -Errno.EINTR)
            {
                close(fd);
                return;
            }
            w = 0;
        }
        if (w < n)
        {
            MemorySegment keep = pending[fd];
            if (null == keep)
            {
                keep = arena.allocate(BUFFER_SIZE, 64);
                pending[fd] = keep;
            }
            MemorySegment.copy(buffer, w, keep, 0, n - w);
            pendingOffset[fd] = 0;
            pendingLength[fd] = (int)(n - w);
            control(Epoll.EPOLL_CTL_MOD, fd, Epoll.EPOLLOUT);
        }
    }

    private void flushPending(final int fd)
    {
        final int offset = pendingOffset[fd];
        final int length = pendingLength[fd];
        final long w = Libc.write(callState, fd, pending[fd].asSlice(offset, length - offset), length - offset);
        if (w < 0)
        {
            if (w != -Errno.EAGAIN && w != -Errno.EINTR)
            {
                close(fd);
            }
            return;
        }
        if (offset + w == length)
        {
            pendingLength[fd] = 0;
            control(Epoll.EPOLL_CTL_MOD, fd, Epoll.EPOLLIN);
        }
        else
        {
            pendingOffset[fd] = offset + (int)w;
        }
    }

    private void close(final int fd)
    {
        pendingLength[fd] = 0;
        Epoll.epollCtl(callState, epfd, Epoll.EPOLL_CTL_DEL, fd, ctlEvent);
        Libc.close(callState, fd);
    }
}
