package io.panamax.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The wrappers that {@link RawSyscalls} may route through {@code syscall(2)} (read, write, readv, writev, send, recv,
 * sendmsg, epoll_wait), with real calls, on whichever path this JVM has: ffm-bindings runs this class twice, once as
 * configured (raw on Linux) and once with {@code -Dpanamax.syscall.libc=true} (surefire execution {@code libc-path}).
 */
class RawSyscallsTest
{
    /** {@code libc} in the surefire execution that forces libc; absent in the default one. */
    private static final String EXPECTED_PATH = System.getProperty("panamax.test.syscallPath", "default");
    private static final int MAX = 4;

    @Test
    void pathFollowsTheLibcProperty()
    {
        if ("libc".equals(EXPECTED_PATH))
        {
            assertEquals(false, RawSyscalls.ACTIVE, "-D" + RawSyscalls.LIBC_PROPERTY + "=true forces libc");
        }
        else
        {
            assertEquals(Platform.IS_LINUX, RawSyscalls.ACTIVE, "raw on Linux unless forced off");
        }
    }

    @Test
    void emptyNonBlockingPipeGivesEagainFromReadAndReadv()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final MemorySegment fds = f.arena.allocate(JAVA_INT, 2);
            assertEquals(0, Libc.pipe2(f.cs, fds, Libc.O_NONBLOCK | Libc.O_CLOEXEC));
            final int readEnd = f.track(fds.getAtIndex(JAVA_INT, 0));
            f.track(fds.getAtIndex(JAVA_INT, 1));
            final MemorySegment buf = f.arena.allocate(64);
            assertEquals(-Errno.EAGAIN, Libc.read(f.cs, readEnd, buf, 64));
            assertEquals(Errno.EAGAIN, Errno.errno(f.cs), "errno captured");
            final MemorySegment iov = f.arena.allocate(IovecDescriptor.LAYOUT, 1);
            IovecDescriptor.set(iov, 0, buf, 64);
            f.cs.fill((byte)0);
            assertEquals(-Errno.EAGAIN, Libc.readv(f.cs, readEnd, iov, 1));
            assertEquals(Errno.EAGAIN, Errno.errno(f.cs), "errno captured");
        }
    }

    @Test
    void everyRoutedCallOnAClosedFdGivesEbadf()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] pair = f.socketpair(true);
            final int closed = pair[0];
            f.close(closed);
            final MemorySegment buf = f.arena.allocate(64);
            final MemorySegment iov = f.arena.allocate(IovecDescriptor.LAYOUT, 1);
            IovecDescriptor.set(iov, 0, buf, 64);
            final MemorySegment msghdr = f.arena.allocate(MsghdrDescriptor.LAYOUT);
            MsghdrDescriptor.iov(msghdr, iov, 1);
            final MemorySegment events = f.arena.allocate(EpollEventDescriptor.LAYOUT, MAX);
            assertEquals(-Errno.EBADF, Libc.read(f.cs, closed, buf, 64));
            assertEquals(-Errno.EBADF, Libc.write(f.cs, closed, buf, 64));
            assertEquals(-Errno.EBADF, Libc.readv(f.cs, closed, iov, 1));
            assertEquals(-Errno.EBADF, Libc.writev(f.cs, closed, iov, 1));
            assertEquals(-Errno.EBADF, Sockets.send(f.cs, closed, buf, 64, 0));
            assertEquals(-Errno.EBADF, Sockets.recv(f.cs, closed, buf, 64, 0));
            assertEquals(-Errno.EBADF, Sockets.sendmsg(f.cs, closed, msghdr, Sockets.MSG_NOSIGNAL));
            assertEquals(-Errno.EBADF, Epoll.epollWait(f.cs, closed, events, MAX, 0));
            assertEquals(-Errno.EBADF, Epoll.epollWait(f.cs, closed, events, MAX, 1_000));
            // A negative fd must reach the kernel as the int it is (sign-extended), not as a large positive number.
            assertEquals(-Errno.EBADF, Libc.read(f.cs, -1, buf, 64));
            assertEquals(Errno.EBADF, Errno.errno(f.cs));
        }
    }

    @Test
    void writeThenReadMoves64BytesOnASocketpair()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] pair = f.socketpair(true);
            final MemorySegment out = f.arena.allocate(64);
            final MemorySegment in = f.arena.allocate(64);
            for (int i = 0; i < 64; i++)
            {
                out.set(JAVA_BYTE, i, (byte)(i * 3 + 1));
            }
            assertEquals(64, Libc.write(f.cs, pair[0], out, 64));
            assertEquals(64, Libc.read(f.cs, pair[1], in, 64));
            assertEquals(-1, out.mismatch(in));
            assertEquals(0, Libc.read(f.cs, pair[1], in, 0), "a zero-byte read returns 0");
            assertEquals(-Errno.EAGAIN, Libc.read(f.cs, pair[1], in, 64), "drained");
        }
    }

    @Test
    void writevGathersAndReadvScattersAcrossEntries()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] pair = f.socketpair(true);
            final MemorySegment iov = f.arena.allocate(IovecDescriptor.LAYOUT, 3);
            IovecDescriptor.set(iov, 0, f.arena.allocateFrom("ab").asSlice(0, 2), 2);
            IovecDescriptor.set(iov, 1, f.arena.allocateFrom("cdef").asSlice(0, 4), 4);
            IovecDescriptor.set(iov, 2, f.arena.allocateFrom("g").asSlice(0, 1), 1);
            assertEquals(7, Libc.writev(f.cs, pair[0], iov, 3));

            final MemorySegment first = f.arena.allocate(3);
            final MemorySegment second = f.arena.allocate(8);
            IovecDescriptor.set(iov, 0, first, 3);
            IovecDescriptor.set(iov, 1, second, 8);
            assertEquals(7, Libc.readv(f.cs, pair[1], iov, 2));
            assertArrayEquals("abc".getBytes(), first.toArray(JAVA_BYTE));
            assertArrayEquals("defg".getBytes(), second.asSlice(0, 4).toArray(JAVA_BYTE));
        }
    }

    @Test
    void sendmsgThenRecvRoundTripAndFlagsReachTheKernel()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] pair = f.socketpair(true);
            final MemorySegment iov = f.arena.allocate(IovecDescriptor.LAYOUT, 2);
            IovecDescriptor.set(iov, 0, f.arena.allocateFrom("hello ").asSlice(0, 6), 6);
            IovecDescriptor.set(iov, 1, f.arena.allocateFrom("world").asSlice(0, 5), 5);
            final MemorySegment msghdr = f.arena.allocate(MsghdrDescriptor.LAYOUT);
            MsghdrDescriptor.iov(msghdr, iov, 2);
            assertEquals(11, Sockets.sendmsg(f.cs, pair[0], msghdr, Sockets.MSG_NOSIGNAL));

            final MemorySegment in = f.arena.allocate(32);
            assertEquals(5, Sockets.recv(f.cs, pair[1], in, 5, Sockets.MSG_PEEK), "peek leaves the bytes queued");
            assertEquals(11, Sockets.recv(f.cs, pair[1], in, 32, 0));
            assertEquals("hello world", new String(in.asSlice(0, 11).toArray(JAVA_BYTE)));
            assertEquals(-Errno.EAGAIN, Sockets.recv(f.cs, pair[1], in, 32, 0));
        }
    }

    @Test
    void sendAndSendmsgToAClosedPeerGiveEpipeWithoutSignal()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] pair = f.socketpair(true);
            f.close(pair[1]);
            final MemorySegment buf = f.arena.allocate(8);
            assertEquals(-Errno.EPIPE, Sockets.send(f.cs, pair[0], buf, 8, 0));
            final MemorySegment iov = f.arena.allocate(IovecDescriptor.LAYOUT, 1);
            IovecDescriptor.set(iov, 0, buf, 8);
            final MemorySegment msghdr = f.arena.allocate(MsghdrDescriptor.LAYOUT);
            MsghdrDescriptor.iov(msghdr, iov, 1);
            assertEquals(-Errno.EPIPE, Sockets.sendmsg(f.cs, pair[0], msghdr, Sockets.MSG_NOSIGNAL));
            assertEquals(Errno.EPIPE, Errno.errno(f.cs));
        }
    }

    @Test
    void epollWaitTimesOutThenReportsReadinessWithItsData()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int ep = f.track(Epoll.epollCreate1(f.cs, Epoll.EPOLL_CLOEXEC));
            final int[] pair = f.socketpair(true);
            final MemorySegment ev = f.arena.allocate(EpollEventDescriptor.LAYOUT);
            ev.set(JAVA_INT, EpollEventDescriptor.EVENTS_OFFSET, Epoll.EPOLLIN);
            ev.set(JAVA_LONG_UNALIGNED, EpollEventDescriptor.DATA_OFFSET, 0x1234_5678_9abcL);
            assertEquals(0, Epoll.epollCtl(f.cs, ep, Epoll.EPOLL_CTL_ADD, pair[1], ev));
            final MemorySegment events = f.arena.allocate(EpollEventDescriptor.LAYOUT, MAX);

            assertEquals(0, Epoll.epollWait(f.cs, ep, events, MAX, 0), "nothing ready, no wait");
            assertEquals(0, Epoll.epollWait(f.cs, ep, events, MAX, 5), "nothing ready, a timed wait");
            assertEquals(1, Libc.write(f.cs, pair[0], f.arena.allocateFrom("x"), 1));
            assertEquals(1, Epoll.epollWait(f.cs, ep, events, MAX, -1), "ready: an endless wait returns");
            assertEquals(Epoll.EPOLLIN, events.get(JAVA_INT, EpollEventDescriptor.eventsOffset(0)));
            assertEquals(0x1234_5678_9abcL, events.get(JAVA_LONG_UNALIGNED, EpollEventDescriptor.dataOffset(0)));
            assertEquals(1, Epoll.epollWait(f.cs, ep, events, MAX, 0), "level-triggered: still ready");
            assertEquals(-Errno.EINVAL, Epoll.epollWait(f.cs, ep, events, 0, 0), "maxevents 0");
            assertEquals(-Errno.EINVAL, Epoll.epollWait(f.cs, ep, events, -1, 1_000), "negative maxevents");
        }
    }

    @Test
    void sendFromAddressThenReadToAddressMoveBytesAtAnOffsetAndReportErrno()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] pair = f.socketpair(true);
            final MemorySegment out = f.arena.allocate(64);
            final MemorySegment in = f.arena.allocate(64);
            for (int i = 0; i < 64; i++)
            {
                out.set(JAVA_BYTE, i, (byte)(i * 7 + 5));
            }
            assertEquals(40, Sockets.sendFromAddress(f.cs, pair[0], out.address() + 8, 40, 0));
            assertEquals(0, Libc.readToAddress(f.cs, pair[1], in.address(), 0), "a zero-byte read returns 0");
            assertEquals(30, Libc.readToAddress(f.cs, pair[1], in.address() + 4, 30), "at most count");
            assertEquals(10, Libc.readToAddress(f.cs, pair[1], in.address() + 34, 64 - 34), "the rest");
            assertEquals(-1, out.asSlice(8, 40).mismatch(in.asSlice(4, 40)));
            assertEquals(0, in.get(JAVA_BYTE, 0), "nothing written before the address");
            assertEquals(-Errno.EAGAIN, Libc.readToAddress(f.cs, pair[1], in.address(), 64), "drained");
            assertEquals(Errno.EAGAIN, Errno.errno(f.cs), "errno captured");
            f.close(pair[1]);
            assertEquals(-Errno.EPIPE, Sockets.sendFromAddress(f.cs, pair[0], out.address(), 8, 0), "no SIGPIPE");
            final MemorySegment fds = f.arena.allocate(JAVA_INT, 2);
            assertEquals(0, Libc.pipe2(f.cs, fds, Libc.O_NONBLOCK | Libc.O_CLOEXEC));
            f.track(fds.getAtIndex(JAVA_INT, 0));
            final int writeEnd = f.track(fds.getAtIndex(JAVA_INT, 1));
            assertEquals(-Errno.ENOTSOCK, Sockets.sendFromAddress(f.cs, writeEnd, out.address(), 8, 0));
        }
    }

    @Test
    void faultSeamStillInterceptsRoutedCalls()
    {
        try (NativeFixture f = new NativeFixture())
        {
            assumeTrue(SyscallFaults.ENABLED, "the seam is on in this module's test JVMs");
            final int[] pair = f.socketpair(true);
            final MemorySegment buf = f.arena.allocate(64);
            SyscallFaults.failNext(SyscallFaults.Call.READ, Errno.EINTR, 1);
            assertEquals(-Errno.EINTR, Libc.read(f.cs, pair[1], buf, 64));
            assertEquals(-Errno.EAGAIN, Libc.read(f.cs, pair[1], buf, 64), "one injected failure, then the real call");
            SyscallFaults.shortenNext(SyscallFaults.Call.SEND, 3, 1);
            assertEquals(3, Sockets.send(f.cs, pair[0], buf, 64, 0));
            assertEquals(3, Libc.read(f.cs, pair[1], buf, 64));
            SyscallFaults.failNext(SyscallFaults.Call.READ, Errno.ECONNRESET, 1);
            assertEquals(-Errno.ECONNRESET, Libc.readToAddress(f.cs, pair[1], buf.address(), 64), "READ covers it");
            SyscallFaults.shortenNext(SyscallFaults.Call.SEND, 5, 1);
            assertEquals(5, Sockets.sendFromAddress(f.cs, pair[0], buf.address(), 64, 0), "SEND covers it");
            assertEquals(5, Libc.readToAddress(f.cs, pair[1], buf.address(), 64));
        }
    }

    @Test
    void rawDescriptorWidensIntsKeepsPointersAndRejectsOtherLayouts()
    {
        final FunctionDescriptor raw = RawSyscalls.rawDescriptor(
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG), 2);
        assertEquals(FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            raw);
        assertThrows(IllegalArgumentException.class,
            () -> RawSyscalls.rawDescriptor(FunctionDescriptor.of(JAVA_INT, JAVA_SHORT), 0));
    }
}
