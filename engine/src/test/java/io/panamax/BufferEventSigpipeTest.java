package io.panamax;

import io.panamax.ffm.Errno;
import io.panamax.ffm.IovecDescriptor;
import io.panamax.ffm.Libc;
import io.panamax.ffm.PollfdDescriptor;
import io.panamax.ffm.Signals;
import io.panamax.ffm.SocketAddresses;
import io.panamax.ffm.SocketOptions;
import io.panamax.ffm.SockaddrDescriptor;
import io.panamax.ffm.Sockets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writing to a gone peer never raises SIGPIPE (issue 5, "EPIPE/ECONNRESET never raise SIGPIPE"). The JVM ignores
 * SIGPIPE, so the signal is made visible instead: the test thread, which runs the loop, blocks SIGPIPE; a SIGPIPE
 * raised by a write on a socket is directed at the writing thread, so it then stays pending there, where
 * {@code sigpending} sees it. The tests first prove with a raw writev that a SIGPIPE would be seen (SendFileTest
 * does the same for a raw sendfile).
 */
@ExtendWith(PoolWholeExtension.class)
@EnabledOnOs({ OS.LINUX, OS.MAC })
class BufferEventSigpipeTest
{
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment cs = Errno.allocateCallState(arena);
    private final MemorySegment pipeSet = arena.allocate(Signals.SIGSET_LENGTH, 8);
    private final MemorySegment oldMask = arena.allocate(Signals.SIGSET_LENGTH, 8);
    private final MemorySegment pending = arena.allocate(Signals.SIGSET_LENGTH, 8);
    private final List<Integer> open = new ArrayList<>();

    @BeforeEach
    void blockSigpipeOnThisThread()
    {
        Signals.sigsetAdd(pipeSet, Signals.SIGPIPE);
        assertEquals(0, Signals.pthreadSigmask(cs, Signals.SIG_BLOCK, pipeSet, oldMask));
        assertFalse(sigpipePending(), "no SIGPIPE pending before the test");
    }

    @AfterEach
    void restoreTheMask()
    {
        try
        {
            takePendingSigpipe();
            for (final int fd : open)
            {
                Libc.close(cs, fd);
            }
        }
        finally
        {
            assertEquals(0, Signals.pthreadSigmask(cs, Signals.SIG_SETMASK, oldMask, MemorySegment.NULL));
            arena.close();
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void writeToClosedUnixPeerIsEpipeWithoutSigpipe(final String method)
    {
        final int[] control = unixPair();
        closeTracked(control[1]);
        assertEquals(-Errno.EPIPE, rawWritev(control[0]));
        assertTrue(takePendingSigpipe(), "control: a raw writev to a closed peer leaves SIGPIPE pending");

        final int[] pair = unixPair();
        closeTracked(pair[1]);
        assertWriteErrorWithoutSigpipe(method, pair[0], Errno.EPIPE);
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void writeToResetTcpPeerIsEpipeWithoutSigpipe(final String method)
    {
        final int control = resetTcpConnection(true);
        assertEquals(-Errno.EPIPE, rawWritev(control));
        assertTrue(takePendingSigpipe(), "control: a raw writev to a reset peer leaves SIGPIPE pending");

        assertWriteErrorWithoutSigpipe(method, resetTcpConnection(true), Errno.EPIPE);
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void writeToResetTcpPeerWithTheResetUnreadIsAnErrorWithoutSigpipe(final String method)
    {
        assertWriteErrorWithoutSigpipe(method, resetTcpConnection(false), -1);
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void socketBufferEventOnAPipeStillWritesThroughWritev(final String method)
    {
        final MemorySegment fds = arena.allocate(JAVA_INT, 2);
        assertEquals(0, Libc.pipe2(cs, fds, Libc.O_NONBLOCK));
        final int readEnd = track(fds.getAtIndex(JAVA_INT, 0));
        final int writeEnd = track(fds.getAtIndex(JAVA_INT, 1));
        try (EventBase base = TestFds.base(method);
            BufferEvent bev = BufferEvent.socket(base, writeEnd, 0))
        {
            bev.write("through a pipe".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertTrue(Loops.runUntil(base, () -> 0 == bev.output().length(), 5000), "send's ENOTSOCK: writev");
            final MemorySegment in = arena.allocate(64);
            assertEquals(14, Libc.read(cs, readEnd, in, 64));
            assertEquals("through a pipe", in.getString(0).substring(0, 14));
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    @EnabledOnOs(value = OS.LINUX, disabledReason = "macOS sendfile's AF_UNIX support is unverified here")
    void fileSegmentSentToAClosedPeerRaisesNoSigpipe(final String method) throws Exception
    {
        final java.nio.file.Path file = java.nio.file.Files.createTempFile("panamax-sigpipe", ".bin");
        try
        {
            java.nio.file.Files.write(file, new byte[8192]);
            final int fileFd = Libc.open(cs, arena.allocateFrom(file.toString()), Libc.O_RDONLY);
            assertTrue(fileFd >= 0, Errno.describe(-fileFd));
            final int[] pair = unixPair();
            closeTracked(pair[1]);
            try (EventBase base = TestFds.base(method);
                BufferEvent bev = BufferEvent.socket(base, pair[0], 0))
            {
                final List<Integer> events = new ArrayList<>();
                bev.setCallbacks(null, null, (b, what) -> events.add(what));
                assertEquals(0, bev.output().addFile(fileFd, 0, 8192));
                assertTrue(Loops.runUntil(base, () -> !events.isEmpty(), 5000), "an event within 5 s");
                assertEquals(List.of(BevEvent.WRITING | BevEvent.ERROR), events);
                assertEquals(Errno.EPIPE, bev.socketError());
                assertFalse(sigpipePending(), "sendfile to a gone peer left no SIGPIPE pending");
            }
        }
        finally
        {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    /** A bufferevent on {@code fd} writes; the loop runs on this thread; WRITING|ERROR comes, no SIGPIPE stays. */
    private void assertWriteErrorWithoutSigpipe(final String method, final int fd, final int expectedErrno)
    {
        try (EventBase base = TestFds.base(method);
            BufferEvent bev = BufferEvent.socket(base, fd, 0))
        {
            final List<Integer> events = new ArrayList<>();
            bev.setCallbacks(null, null, (b, what) -> events.add(what));
            bev.write(new byte[4000]);
            assertTrue(Loops.runUntil(base, () -> !events.isEmpty(), 5000), "an event within 5 s");
            base.loopExit(20, TimeUnit.MILLISECONDS);
            base.dispatch();
            assertEquals(List.of(BevEvent.WRITING | BevEvent.ERROR), events);
            final int err = bev.socketError();
            if (expectedErrno > 0)
            {
                assertEquals(expectedErrno, err, Errno.describe(err));
            }
            else
            {
                assertTrue(Errno.EPIPE == err || Errno.ECONNRESET == err, Errno.describe(err));
            }
            assertFalse(sigpipePending(), "the bufferevent's write left no SIGPIPE pending");
        }
    }

    private long rawWritev(final int fd)
    {
        final MemorySegment iov = arena.allocate(IovecDescriptor.LAYOUT, 1);
        IovecDescriptor.set(iov, 0, arena.allocate(64), 64);
        return Libc.writev(cs, fd, iov, 1);
    }

    private boolean sigpipePending()
    {
        assertEquals(0, Signals.sigpending(cs, pending));
        return Signals.sigsetHas(pending, Signals.SIGPIPE);
    }

    /** Take a pending SIGPIPE (sigwait only when one is pending, so it never blocks). */
    private boolean takePendingSigpipe()
    {
        if (!sigpipePending())
        {
            return false;
        }
        final MemorySegment taken = arena.allocate(JAVA_INT);
        assertEquals(0, Signals.sigwait(cs, pipeSet, taken));
        assertEquals(Signals.SIGPIPE, taken.get(JAVA_INT, 0));
        return true;
    }

    private int[] unixPair()
    {
        final MemorySegment fds = arena.allocate(JAVA_INT, 2);
        assertEquals(0, Sockets.socketpair(cs, Sockets.AF_UNIX, Sockets.SOCK_STREAM, 0, fds));
        final int[] pair = { track(fds.getAtIndex(JAVA_INT, 0)), track(fds.getAtIndex(JAVA_INT, 1)) };
        assertEquals(0, Libc.setFlags(cs, pair[0], Libc.O_NONBLOCK));
        return pair;
    }

    /**
     * A loopback TCP connection whose peer reset it (SO_LINGER 0, then close); the RST has arrived. With
     * {@code consumeReset} the pending ECONNRESET is read off with SO_ERROR, so the next write fails with EPIPE
     * (the case where a plain writev raises SIGPIPE); without it the next write may report ECONNRESET.
     *
     * @return our end, non-blocking (closed by the bufferevent's owner or the test's clean-up).
     */
    private int resetTcpConnection(final boolean consumeReset)
    {
        final MemorySegment sa = arena.allocate(SockaddrDescriptor.STORAGE_LAYOUT);
        final MemorySegment len = arena.allocate(JAVA_INT);
        final MemorySegment scratch = arena.allocate(SocketOptions.SCRATCH_LENGTH, 8);
        final int listener = track(Sockets.socketNonBlocking(cs, Sockets.AF_INET, Sockets.SOCK_STREAM, 0));
        final int addrLen = SocketAddresses.write(sa, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        assertEquals(0, Sockets.bind(cs, listener, sa, addrLen));
        assertEquals(0, Sockets.listen(cs, listener, 4));
        len.set(JAVA_INT, 0, (int)SockaddrDescriptor.STORAGE_LENGTH);
        assertEquals(0, Sockets.getsockname(cs, listener, sa, len));
        final int client = track(Sockets.socketNonBlocking(cs, Sockets.AF_INET, Sockets.SOCK_STREAM, 0));
        final int rc = Sockets.connect(cs, client, sa, len.get(JAVA_INT, 0));
        assertTrue(0 == rc || -Errno.EINPROGRESS == rc, Errno.describe(-rc));
        assertTrue(waitFor(listener, PollfdDescriptor.POLLIN), "a connection to accept");
        final int server = Sockets.accept(cs, listener, MemorySegment.NULL, MemorySegment.NULL, 0);
        assertTrue(server >= 0, Errno.describe(-server));
        assertTrue(waitFor(client, PollfdDescriptor.POLLOUT), "connected");
        assertEquals(0, SocketOptions.setLinger(cs, server, true, 0, scratch));
        assertEquals(0, Libc.close(cs, server));
        closeTracked(listener);
        assertTrue(waitFor(client, PollfdDescriptor.POLLIN), "the RST arrived");
        if (consumeReset)
        {
            assertEquals(Errno.ECONNRESET, SocketOptions.socketError(cs, client, scratch));
        }
        return client;
    }

    private boolean waitFor(final int fd, final short events)
    {
        final MemorySegment pfd = arena.allocate(PollfdDescriptor.LAYOUT);
        pfd.set(JAVA_INT, PollfdDescriptor.FD_OFFSET, fd);
        pfd.set(JAVA_SHORT, PollfdDescriptor.EVENTS_OFFSET, events);
        return Libc.poll(cs, pfd, 1, 5000) > 0;
    }

    private void closeTracked(final int fd)
    {
        open.remove((Integer)fd);
        assertEquals(0, Libc.close(cs, fd));
    }

    private int track(final int fd)
    {
        assertTrue(fd >= 0, Errno.describe(-fd));
        open.add(fd);
        return fd;
    }
}
