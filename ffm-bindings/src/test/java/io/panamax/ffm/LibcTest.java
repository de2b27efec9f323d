package io.panamax.ffm;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@EnabledOnOs({ OS.LINUX, OS.MAC })
class LibcTest
{
    @Test
    void socketpairCarriesBytesBothWays()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] pair = f.socketpair(false);
            final MemorySegment out = f.arena.allocateFrom("hello");
            assertEquals(6, Libc.write(f.cs, pair[0], out, 6));
            final MemorySegment in = f.arena.allocate(64);
            assertEquals(6, Libc.read(f.cs, pair[1], in, 64));
            assertEquals("hello", in.getString(0));
            assertEquals(3, Libc.write(f.cs, pair[1], out, 3));
            assertEquals(3, Libc.read(f.cs, pair[0], in, 64));
            assertEquals((byte)'l', in.get(JAVA_BYTE, 2));
            f.close(pair[0]);
            assertEquals(0, Libc.read(f.cs, pair[1], in, 64), "EOF after the peer closed");
        }
    }

    @Test
    void closeOfBadFdReturnsNegativeEbadf()
    {
        try (NativeFixture f = new NativeFixture())
        {
            assertEquals(-Errno.EBADF, Libc.close(f.cs, -1));
            assertEquals(Errno.EBADF, Errno.errno(f.cs), "errno captured into the call state");
        }
    }

    @Test
    void readAndWriteOfClosedFdReturnNegativeEbadf()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] pair = f.socketpair(false);
            f.close(pair[0]);
            final MemorySegment buf = f.arena.allocate(8);
            assertEquals(-Errno.EBADF, Libc.read(f.cs, pair[0], buf, 8));
            assertEquals(-Errno.EBADF, Libc.write(f.cs, pair[0], buf, 8));
            assertEquals(-Errno.EBADF, Libc.fcntl(f.cs, pair[0], Libc.F_GETFL, 0));
        }
    }

    @Test
    void readOfEmptyNonBlockingSocketReturnsNegativeEagain()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] pair = f.socketpair(true);
            final MemorySegment buf = f.arena.allocate(16);
            assertEquals(-Errno.EAGAIN, Libc.read(f.cs, pair[0], buf, 16));
            assertEquals(-Errno.EAGAIN, Sockets.recv(f.cs, pair[0], buf, 16, 0));
        }
    }

    @Test
    void writevGathersThreeIovecsAndReadvScattersAcrossFour()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] pair = f.socketpair(false);
            final MemorySegment iov = f.arena.allocate(IovecDescriptor.LAYOUT, 4);
            IovecDescriptor.set(iov, 0, f.arena.allocateFrom("abc"), 3);
            IovecDescriptor.set(iov, 1, f.arena.allocateFrom("defgh"), 5);
            IovecDescriptor.set(iov, 2, f.arena.allocateFrom("ij"), 2);
            assertEquals(10, Libc.writev(f.cs, pair[0], iov, 3));

            final MemorySegment[] parts = { f.arena.allocate(4), f.arena.allocate(1), f.arena.allocate(3),
                f.arena.allocate(8) };
            for (int i = 0; i < parts.length; i++)
            {
                IovecDescriptor.set(iov, i, parts[i].address(), parts[i].byteSize());
            }
            assertEquals(10, Libc.readv(f.cs, pair[1], iov, 4));
            assertEquals("abcd", new String(parts[0].toArray(JAVA_BYTE)));
            assertEquals("e", new String(parts[1].toArray(JAVA_BYTE)));
            assertEquals("fgh", new String(parts[2].toArray(JAVA_BYTE)));
            assertEquals("ij", new String(parts[3].asSlice(0, 2).toArray(JAVA_BYTE)));
        }
    }

    @Test
    void dupGivesASecondFdOnTheSameSocketThatOutlivesTheFirst()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] pair = f.socketpair(true);
            final int copy = f.track(Libc.dup(f.cs, pair[0]));
            assertTrue(copy >= 0 && copy != pair[0] && copy != pair[1], "new number " + copy);
            assertEquals(0, Libc.fcntl(f.cs, copy, Libc.F_GETFD, 0) & Libc.FD_CLOEXEC, "dup clears FD_CLOEXEC");
            assertNotEquals(0, Libc.fcntl(f.cs, copy, Libc.F_GETFL, 0) & Libc.O_NONBLOCK,
                "file status flags are shared");
            final MemorySegment buf = f.arena.allocate(8);
            assertEquals(1, Libc.write(f.cs, pair[1], f.arena.allocateFrom("a"), 1));
            assertEquals(1, Libc.read(f.cs, copy, buf, 8), "the copy reads what was sent to the original");
            f.close(pair[0]);
            assertEquals(1, Libc.write(f.cs, copy, f.arena.allocateFrom("b"), 1), "the socket is still open");
            assertEquals(1, Libc.read(f.cs, pair[1], buf, 8));
            assertEquals((byte)'b', buf.get(JAVA_BYTE, 0));
            assertEquals(-Errno.EBADF, Libc.dup(f.cs, -1));
        }
    }

    @Test
    void dup2PutsTheDuplicateOnTheChosenNumberClosingWhatWasThere()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] first = f.socketpair(true);
            final int[] second = f.socketpair(true);
            assertEquals(second[0], Libc.dup2(f.cs, first[0], second[0]));
            final MemorySegment buf = f.arena.allocate(8);
            assertEquals(1, Libc.write(f.cs, first[1], f.arena.allocateFrom("c"), 1));
            assertEquals(1, Libc.read(f.cs, second[0], buf, 8), "second[0] is now first[0]'s socket");
            assertEquals(0, Libc.read(f.cs, second[1], buf, 8), "its old socket was closed: the peer sees EOF");
            assertEquals(first[0], Libc.dup2(f.cs, first[0], first[0]), "onto itself: a no-op");
            assertEquals(-Errno.EBADF, Libc.dup2(f.cs, -1, second[0]));
        }
    }

    @Test
    void pipe2MakesNonBlockingCloseOnExecEndsThatCarryBytes()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final MemorySegment fds = f.arena.allocate(JAVA_INT, 2);
            assertEquals(0, Libc.pipe2(f.cs, fds, Libc.O_NONBLOCK | Libc.O_CLOEXEC));
            final int r = f.track(fds.getAtIndex(JAVA_INT, 0));
            final int w = f.track(fds.getAtIndex(JAVA_INT, 1));
            for (final int fd : new int[]{ r, w })
            {
                assertNotEquals(0, Libc.fcntl(f.cs, fd, Libc.F_GETFL, 0) & Libc.O_NONBLOCK);
                assertEquals(Libc.FD_CLOEXEC, Libc.fcntl(f.cs, fd, Libc.F_GETFD, 0) & Libc.FD_CLOEXEC);
            }
            final MemorySegment buf = f.arena.allocate(8);
            assertEquals(-Errno.EAGAIN, Libc.read(f.cs, r, buf, 8));
            assertEquals(1, Libc.write(f.cs, w, f.arena.allocateFrom("x"), 1));
            assertEquals(1, Libc.read(f.cs, r, buf, 8));
        }
    }

    @Test
    void pipeThenFcntlEmulatesPipe2AsMacOsDoes()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final MemorySegment fds = f.arena.allocate(JAVA_INT, 2);
            assertEquals(0, Libc.pipeThenFcntl(f.cs, fds, Libc.O_NONBLOCK | Libc.O_CLOEXEC));
            final int r = f.track(fds.getAtIndex(JAVA_INT, 0));
            final int w = f.track(fds.getAtIndex(JAVA_INT, 1));
            for (final int fd : new int[]{ r, w })
            {
                assertNotEquals(0, Libc.fcntl(f.cs, fd, Libc.F_GETFL, 0) & Libc.O_NONBLOCK);
                assertEquals(Libc.FD_CLOEXEC, Libc.fcntl(f.cs, fd, Libc.F_GETFD, 0) & Libc.FD_CLOEXEC);
            }
            assertEquals(-Errno.EAGAIN, Libc.read(f.cs, r, f.arena.allocate(4), 4));
        }
    }

    @Test
    void setFlagsTurnsOnNonBlockingOfABlockingSocket()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] pair = f.socketpair(false);
            assertEquals(0, Libc.fcntl(f.cs, pair[0], Libc.F_GETFL, 0) & Libc.O_NONBLOCK);
            assertEquals(0, Libc.setFlags(f.cs, pair[0], Libc.O_NONBLOCK | Libc.O_CLOEXEC));
            assertNotEquals(0, Libc.fcntl(f.cs, pair[0], Libc.F_GETFL, 0) & Libc.O_NONBLOCK);
            assertEquals(Libc.FD_CLOEXEC, Libc.fcntl(f.cs, pair[0], Libc.F_GETFD, 0));
        }
    }

    @Test
    void ioctlFionreadCountsBytesWaitingToBeRead()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] pair = f.socketpair(true);
            final MemorySegment count = f.arena.allocate(JAVA_INT);
            assertEquals(0, Libc.ioctlFionread(f.cs, pair[1], count));
            assertEquals(5, Libc.write(f.cs, pair[0], f.arena.allocateFrom("12345"), 5));
            assertEquals(5, Libc.ioctlFionread(f.cs, pair[1], count));
            assertEquals(5, count.get(JAVA_INT, 0));
            assertEquals(-Errno.EBADF, Libc.ioctlFionread(f.cs, -1, count));
        }
    }

    @Test
    void pollReportsReadableOnlyOnceDataArrives()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] pair = f.socketpair(true);
            final MemorySegment pfd = f.arena.allocate(PollfdDescriptor.LAYOUT, 2);
            pfd.set(JAVA_INT, PollfdDescriptor.FD_OFFSET, pair[1]);
            pfd.set(JAVA_SHORT, PollfdDescriptor.EVENTS_OFFSET, PollfdDescriptor.POLLIN);
            pfd.set(JAVA_INT, PollfdDescriptor.LENGTH + PollfdDescriptor.FD_OFFSET, pair[0]);
            pfd.set(JAVA_SHORT, PollfdDescriptor.LENGTH + PollfdDescriptor.EVENTS_OFFSET, PollfdDescriptor.POLLOUT);
            assertEquals(1, Libc.poll(f.cs, pfd, 2, 0), "only the writable end is ready");
            assertEquals(0, pfd.get(JAVA_SHORT, PollfdDescriptor.REVENTS_OFFSET));
            assertEquals(1, Libc.write(f.cs, pair[0], f.arena.allocateFrom("z"), 1));
            assertEquals(2, Libc.poll(f.cs, pfd, 2, 1_000));
            assertEquals(PollfdDescriptor.POLLIN, pfd.get(JAVA_SHORT, PollfdDescriptor.REVENTS_OFFSET));
            assertEquals(1, Libc.poll(f.cs, pfd, 1, 0), "still readable: poll is level-triggered");
            // The blocking handle captures no errno: its failure is reported through the zero-timeout retry.
            f.cs.fill((byte)0);
            assertEquals(-Errno.EINVAL, Libc.poll(f.cs, pfd, Integer.MAX_VALUE, 1_000), "more fds than RLIMIT_NOFILE");
        }
    }

    @Test
    void getrlimitReadsOpenFileLimitAndSetrlimitWritesItBack()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final MemorySegment rlimit = f.arena.allocate(RlimitDescriptor.LAYOUT);
            assertEquals(0, Libc.getrlimit(f.cs, Libc.RLIMIT_NOFILE, rlimit));
            final long soft = rlimit.get(JAVA_LONG, RlimitDescriptor.CUR_OFFSET);
            final long hard = rlimit.get(JAVA_LONG, RlimitDescriptor.MAX_OFFSET);
            assertTrue(soft > 2, "soft limit " + soft);
            assertTrue(Long.compareUnsigned(soft, hard) <= 0, "soft " + soft + " <= hard " + hard);
            assertEquals(0, Libc.setrlimit(f.cs, Libc.RLIMIT_NOFILE, rlimit), "writing the same limits back");
            rlimit.set(JAVA_LONG, RlimitDescriptor.CUR_OFFSET, 1L + hard);
            if (Libc.RLIM_INFINITY != hard)
            {
                assertEquals(-Errno.EINVAL, Libc.setrlimit(f.cs, Libc.RLIMIT_NOFILE, rlimit), "soft above hard");
            }
        }
    }
}
