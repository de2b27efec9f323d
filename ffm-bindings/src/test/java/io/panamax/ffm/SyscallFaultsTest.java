package io.panamax.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.panamax.ffm.SyscallFaults.Call;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@EnabledOnOs({ OS.LINUX, OS.MAC })
class SyscallFaultsTest
{
    @AfterEach
    void clearFaults()
    {
        SyscallFaults.clearAll();
    }

    @Test
    void seamIsOnInThisModulesTestJvm()
    {
        assertTrue(SyscallFaults.ENABLED, "the pom passes -D" + SyscallFaults.PROPERTY + "=true");
    }

    @ParameterizedTest
    @ValueSource(strings = { "EINTR", "EAGAIN", "ENOMEM", "EMFILE" })
    void readFailsWithTheInjectedErrnoForExactlyTheNextNCalls(final String name)
    {
        final int errno = Errno.table(Constants.PLATFORM).value(name);
        try (NativeFixture f = new NativeFixture())
        {
            final int[] pair = f.socketpair(true);
            assertEquals(2, Libc.write(f.cs, pair[0], f.arena.allocateFrom("ok"), 2));
            final MemorySegment buf = f.arena.allocate(8);
            SyscallFaults.failNext(Call.READ, errno, 2);
            assertEquals(2, SyscallFaults.pending(Call.READ));
            assertEquals(-errno, Libc.read(f.cs, pair[1], buf, 8));
            assertEquals(errno, Errno.errno(f.cs), "the errno is in the call state, as after a real failure");
            assertEquals(-errno, Libc.read(f.cs, pair[1], buf, 8));
            assertEquals(0, SyscallFaults.pending(Call.READ));
            assertEquals(2, Libc.read(f.cs, pair[1], buf, 8), "third call is real: the bytes were never taken");
        }
    }

    @Test
    void eachListedErrnoReachesTheCallsThatMeetItInAnEventLoop()
    {
        try (NativeFixture f = new NativeFixture())
        {
            SyscallFaults.failNext(Call.SOCKET, Errno.EMFILE, 1);
            assertEquals(-Errno.EMFILE, Sockets.socketNonBlocking(f.cs, Sockets.AF_INET, Sockets.SOCK_STREAM, 0));
            final int listener = f.listener();
            SyscallFaults.failNext(Call.ACCEPT, Errno.ENOMEM, 1);
            assertEquals(-Errno.ENOMEM, Sockets.accept(f.cs, listener, MemorySegment.NULL, MemorySegment.NULL, 0));
            assertEquals(-Errno.EAGAIN, Sockets.accept(f.cs, listener, MemorySegment.NULL, MemorySegment.NULL, 0),
                "then the real call: nothing pending");
            final int[] pair = f.socketpair(true);
            SyscallFaults.failNext(Call.WRITEV, Errno.EAGAIN, 1);
            final MemorySegment iov = f.arena.allocate(IovecDescriptor.LAYOUT, 1);
            IovecDescriptor.set(iov, 0, f.arena.allocateFrom("v"), 1);
            assertEquals(-Errno.EAGAIN, Libc.writev(f.cs, pair[0], iov, 1));
            assertEquals(1, Libc.writev(f.cs, pair[0], iov, 1));
            SyscallFaults.failNext(Call.POLL, Errno.EINTR, 1);
            assertEquals(-Errno.EINTR, Libc.poll(f.cs, f.arena.allocate(PollfdDescriptor.LAYOUT), 1, -1),
                "an injected EINTR returns at once even from a wait for ever");
            SyscallFaults.failNext(Call.CLOSE, Errno.EINTR, 1);
            assertEquals(-Errno.EINTR, Libc.close(f.cs, pair[0]));
            SyscallFaults.failNext(Call.SETSOCKOPT, Errno.ENOMEM, 1);
            assertEquals(-Errno.ENOMEM, SocketOptions.setsockoptInt(
                f.cs, pair[0], SocketOptions.SOL_SOCKET, SocketOptions.SO_SNDBUF, 4096, f.scratch));
            SyscallFaults.failNext(Call.GETADDRINFO, Errno.EAGAIN, 1);
            assertEquals(NetDb.EAI_SYSTEM, NetDb.getaddrinfo(f.cs, f.arena.allocateFrom("localhost"),
                MemorySegment.NULL, MemorySegment.NULL, f.arena.allocate(ADDRESS)));
            assertEquals(Errno.EAGAIN, Errno.errno(f.cs));
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void epollAndEventfdCallsTakeInjectedFailures()
    {
        try (NativeFixture f = new NativeFixture())
        {
            SyscallFaults.failNext(Call.EPOLL_CREATE, Errno.EMFILE, 1);
            assertEquals(-Errno.EMFILE, Epoll.epollCreate1(f.cs, 0));
            final int ep = f.track(Epoll.epollCreate1(f.cs, 0));
            SyscallFaults.failNext(Call.EPOLL_WAIT, Errno.EINTR, 1);
            final MemorySegment events = f.arena.allocate(EpollEventDescriptor.LAYOUT, 1);
            assertEquals(-Errno.EINTR, Epoll.epollWait(f.cs, ep, events, 1, -1));
            SyscallFaults.failNext(Call.EPOLL_CTL, Errno.ENOMEM, 1);
            assertEquals(-Errno.ENOMEM, Epoll.epollCtl(f.cs, ep, Epoll.EPOLL_CTL_ADD, ep, events));
            SyscallFaults.failNext(Call.EVENTFD, Errno.EMFILE, 1);
            assertEquals(-Errno.EMFILE, EventFd.eventfd(f.cs, 0, 0));
        }
    }

    @Test
    void untilClearedKeepsFailingAndClearRestoresTheRealCall()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] pair = f.socketpair(true);
            final MemorySegment buf = f.arena.allocateFrom("abc");
            SyscallFaults.failNext(Call.SEND, Errno.EAGAIN, SyscallFaults.UNTIL_CLEARED);
            for (int i = 0; i < 50; i++)
            {
                assertEquals(-Errno.EAGAIN, Sockets.send(f.cs, pair[0], buf, 3, 0));
            }
            assertEquals(SyscallFaults.UNTIL_CLEARED, SyscallFaults.pending(Call.SEND));
            SyscallFaults.clear(Call.SEND);
            assertEquals(3, Sockets.send(f.cs, pair[0], buf, 3, 0));
            assertEquals(3, Sockets.recv(f.cs, pair[1], f.arena.allocate(8), 8, 0));
        }
    }

    @Test
    void shortCountsMoveFewerBytesForRealOnScalarCalls()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] pair = f.socketpair(true);
            final MemorySegment in = f.arena.allocate(16);
            SyscallFaults.shortenNext(Call.WRITE, 3, 1);
            assertEquals(3, Libc.write(f.cs, pair[0], f.arena.allocateFrom("abcdef"), 6));
            SyscallFaults.shortenNext(Call.SEND, 2, 1);
            assertEquals(2, Sockets.send(f.cs, pair[0], f.arena.allocateFrom("XYZ"), 3, 0));
            SyscallFaults.shortenNext(Call.READ, 1, 2);
            assertEquals(1, Libc.read(f.cs, pair[1], in, 16));
            assertEquals(1, Libc.read(f.cs, pair[1], in.asSlice(1), 15));
            SyscallFaults.shortenNext(Call.RECV, 2, 1);
            assertEquals(2, Sockets.recv(f.cs, pair[1], in.asSlice(2), 14, 0));
            assertEquals(1, Sockets.recv(f.cs, pair[1], in.asSlice(4), 12, 0), "the rest, unshortened");
            assertEquals("abcXY", new String(in.asSlice(0, 5).toArray(JAVA_BYTE)));
            assertEquals(-Errno.EAGAIN, Libc.read(f.cs, pair[1], in, 16), "nothing more was sent");
        }
    }

    @Test
    void shortSendmsgCutsTheIovecArrayAndRestoresItAndTheCount()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] pair = f.socketpair(true);
            final MemorySegment iov = f.arena.allocate(IovecDescriptor.LAYOUT, 3);
            IovecDescriptor.set(iov, 0, f.arena.allocateFrom("abcd"), 4);
            IovecDescriptor.set(iov, 1, f.arena.allocateFrom("efgh"), 4);
            IovecDescriptor.set(iov, 2, f.arena.allocateFrom("ijkl"), 4);
            final MemorySegment msg = f.arena.allocate(MsghdrDescriptor.LAYOUT);
            MsghdrDescriptor.iov(msg, iov, 3);
            SyscallFaults.shortenNext(Call.SENDMSG, 6, 1);
            assertEquals(6, Sockets.sendmsg(f.cs, pair[0], msg, Sockets.MSG_NOSIGNAL), "cut inside entry two");
            assertEquals(4, iov.get(JAVA_LONG, IovecDescriptor.LENGTH + IovecDescriptor.LEN_OFFSET), "restored");
            assertEquals(3, MsghdrDescriptor.iovlen(msg), "count restored");
            assertEquals(12, Sockets.sendmsg(f.cs, pair[0], msg, Sockets.MSG_NOSIGNAL), "unshortened");
            SyscallFaults.failNext(Call.SENDMSG, Errno.EAGAIN, 1);
            assertEquals(-Errno.EAGAIN, Sockets.sendmsg(f.cs, pair[0], msg, Sockets.MSG_NOSIGNAL));
            final MemorySegment in = f.arena.allocate(32);
            assertEquals(18, Sockets.recv(f.cs, pair[1], in, 32, 0), "6 + 12 bytes, nothing from the failed call");
        }
    }

    @Test
    void shortWritevAndReadvCutTheIovecArrayAndRestoreIt()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] pair = f.socketpair(true);
            final MemorySegment iov = f.arena.allocate(IovecDescriptor.LAYOUT, 3);
            IovecDescriptor.set(iov, 0, f.arena.allocateFrom("abcd"), 4);
            IovecDescriptor.set(iov, 1, f.arena.allocateFrom("efgh"), 4);
            IovecDescriptor.set(iov, 2, f.arena.allocateFrom("ijkl"), 4);
            SyscallFaults.shortenNext(Call.WRITEV, 6, 1);
            assertEquals(6, Libc.writev(f.cs, pair[0], iov, 3), "cut inside the second entry");
            assertEquals(4, iov.get(JAVA_LONG, IovecDescriptor.LENGTH + IovecDescriptor.LEN_OFFSET), "restored");

            final MemorySegment a = f.arena.allocate(2);
            final MemorySegment b = f.arena.allocate(8);
            IovecDescriptor.set(iov, 0, a, 2);
            IovecDescriptor.set(iov, 1, b, 8);
            SyscallFaults.shortenNext(Call.READV, 5, 1);
            assertEquals(5, Libc.readv(f.cs, pair[1], iov, 2));
            assertEquals(8, iov.get(JAVA_LONG, IovecDescriptor.LENGTH + IovecDescriptor.LEN_OFFSET), "restored");
            assertEquals("ab", new String(a.toArray(JAVA_BYTE)));
            assertEquals("cde", new String(b.asSlice(0, 3).toArray(JAVA_BYTE)));
            assertEquals(1, Libc.readv(f.cs, pair[1], iov, 2), "unshortened: the one byte left");
        }
    }

    @Test
    void faultArmedOnTheTestThreadFiresOnAnotherThread() throws Exception
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] pair = f.socketpair(true);
            SyscallFaults.failNext(Call.READ, Errno.EINTR, 1);
            final AtomicLong seen = new AtomicLong();
            final Thread loop = new Thread(() ->
            {
                try (Arena arena = Arena.ofConfined())
                {
                    seen.set(Libc.read(Errno.allocateCallState(arena), pair[1], arena.allocate(4), 4));
                }
            });
            loop.start();
            loop.join(5_000);
            assertEquals(-Errno.EINTR, seen.get());
            assertEquals(0, SyscallFaults.pending(Call.READ));
        }
    }

    @Test
    void armingRejectsWhatCannotApply()
    {
        assertThrows(IllegalArgumentException.class, () -> SyscallFaults.shortenNext(Call.CONNECT, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> SyscallFaults.shortenNext(Call.READ, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> SyscallFaults.failNext(Call.READ, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> SyscallFaults.failNext(Call.READ, Errno.EINTR, 0));
        assertEquals(0, SyscallFaults.pending(Call.READ));
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment cs = Errno.allocateCallState(arena);
            assertEquals(-Errno.EBADF, Libc.fcntl(cs, -1, Libc.F_GETFL, 0), "nothing armed: real call");
            assertEquals(Errno.EBADF, Errno.errno(cs));
        }
    }
}
