package io.panamax;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import io.panamax.ffm.Errno;
import io.panamax.ffm.SocketOptions;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import io.panamax.ffm.Errno;
import io.panamax.ffm.SyscallFaults;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ConnListener} on loopback: libevent's {@code regress_listener.c} contracts (§2.4) and the EMFILE back-off
 * (libevent #71), on every backend.
 */
@ExtendWith(PoolWholeExtension.class)
class ConnListenerTest
{
    private final TestFds fds = new TestFds();
    private final List<SocketChannel> clients = new ArrayList<>();

    @AfterEach
    void tearDown() throws IOException
    {
        SyscallFaults.clearAll();
        for (final SocketChannel client : clients)
        {
            client.close();
        }
        fds.close();
    }

    private static InetSocketAddress anyLoopbackPort()
    {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private SocketChannel connect(final ConnListener listener) throws IOException
    {
        final SocketChannel client = SocketChannel.open(listener.localAddress());
        clients.add(client);
        return client;
    }

    /** From a callback: disable the listener on another thread and wait for it (a deadlock would hang here). */
    private static void disableOnAnotherThread(final ConnListener listener, final AtomicReference<Throwable> failure)
    {
        final Thread other = new Thread(() ->
        {
            try
            {
                listener.disable();
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        });
        other.start();
        try
        {
            other.join(5000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        assertFalse(other.isAlive(), "disable from another thread returned");
    }

    private static void closeFd(final int fd)
    {
        io.panamax.ffm.Libc.close(io.panamax.internal.net.NetScratch.get().callState, fd);
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void twoListenersOnRandomPortsAcceptTheirOwnConnections(final String method) throws IOException
    {
        for (final int extra : new int[] { 0, LevOpt.THREADSAFE })
        {
            try (EventBase base = TestFds.base(method))
            {
                final int[] left = { 2, 1 };
                final int flags = LevOpt.CLOSE_ON_FREE | LevOpt.REUSEABLE | LevOpt.CLOSE_ON_EXEC | extra;
                final ConnListener[] listeners = new ConnListener[2];
                for (int i = 0; i < 2; i++)
                {
                    final int index = i;
                    listeners[i] = ConnListener.bind(base, (listener, fd, peer) ->
                    {
                        closeFd(fd);
                        assertTrue(peer instanceof InetSocketAddress);
                        if (0 == --left[index])
                        {
                            listener.disable();
                        }
                    }, flags, -1, anyLoopbackPort());
                }
                try (ConnListener l1 = listeners[0]; ConnListener l2 = listeners[1])
                {
                    final InetSocketAddress a1 = (InetSocketAddress)l1.localAddress();
                    final InetSocketAddress a2 = (InetSocketAddress)l2.localAddress();
                    assertTrue(l1.fd() >= 0 && l2.fd() >= 0);
                    assertEquals(InetAddress.getLoopbackAddress(), a1.getAddress());
                    assertNotEquals(a1.getPort(), a2.getPort());
                    assertSame(base, l1.base());
                    connect(l1);
                    connect(l1);
                    connect(l2);
                    assertTrue(Loops.runUntil(base, () -> 0 == left[0] && 0 == left[1], 5000));
                    assertEquals(1, base.loop(EventBase.LOOP_NONBLOCK),
                        "nothing is pending once both listeners disabled themselves");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    @EnabledOnOs(OS.LINUX)
    void deferredAcceptSetsTcpDeferAcceptAndAcceptsOnceDataArrives(final String method) throws IOException
    {
        try (EventBase base = TestFds.base(method);
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment callState = Errno.allocateCallState(arena);
            final MemorySegment scratch = arena.allocate(SocketOptions.SCRATCH_LENGTH, 8);
            final int[] accepted = { 0 };
            try (ConnListener plain = ConnListener.bind(base, null, LevOpt.CLOSE_ON_FREE, -1, anyLoopbackPort());
                ConnListener deferred = ConnListener.bind(base, (listener, fd, peer) ->
                {
                    closeFd(fd);
                    accepted[0]++;
                }, LevOpt.CLOSE_ON_FREE | LevOpt.DEFERRED_ACCEPT, -1, anyLoopbackPort()))
            {
                assertEquals(0, SocketOptions.getsockoptInt(callState, plain.fd(), SocketOptions.IPPROTO_TCP,
                    SocketOptions.TCP_DEFER_ACCEPT, scratch));
                assertTrue(SocketOptions.getsockoptInt(callState, deferred.fd(), SocketOptions.IPPROTO_TCP,
                    SocketOptions.TCP_DEFER_ACCEPT, scratch) > 0);
                connect(deferred).write(ByteBuffer.wrap(new byte[] { 1 }));
                assertTrue(Loops.runUntil(base, () -> 1 == accepted[0], 5000));
            }
        }
    }

    static List<org.junit.jupiter.params.provider.Arguments> threadsafeCases()
    {
        final List<org.junit.jupiter.params.provider.Arguments> cases = new ArrayList<>();
        for (final String method : EventBase.supportedMethods())
        {
            cases.add(org.junit.jupiter.params.provider.Arguments.of(method, 0));
            cases.add(org.junit.jupiter.params.provider.Arguments.of(method, LevOpt.THREADSAFE));
        }
        return cases;
    }

    @ParameterizedTest
    @MethodSource("threadsafeCases")
    void acceptErrorReachesErrorCallbackWhichDisablesTheListener(final String method, final int flags)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final List<Integer> errors = new ArrayList<>();
            final int[] accepted = new int[1];
            try (ConnListener listener = ConnListener.wrap(base, (l, fd, peer) -> accepted[0]++, flags, 0, pair[0]))
            {
                listener.setErrorCallback((l, errno) ->
                {
                    errors.add(errno);
                    l.disable();
                });
                fds.write(pair[1], "hello");
                assertTrue(Loops.runUntil(base, () -> !errors.isEmpty(), 2000));
                Loops.runFor(base, 30);
                assertEquals(1, errors.size());
                assertNotEquals(Errno.EAGAIN, errors.get(0));
                assertEquals(0, accepted[0]);
                assertFalse(listener.isEnabled());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void closingTheListenerAndTheFdInsideTheCallbackIsSafe(final String method) throws IOException
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] calls = new int[1];
            final ConnListener listener = ConnListener.bind(base, (l, fd, peer) ->
            {
                calls[0]++;
                closeFd(fd);
                l.close();
            }, LevOpt.CLOSE_ON_FREE, -1, anyLoopbackPort());
            connect(listener);
            connect(listener);
            assertTrue(Loops.runUntil(base, () -> 1 == calls[0], 2000));
            assertEquals(1, base.loop(EventBase.LOOP_NONBLOCK), "nothing is pending: the listener is gone");
            assertEquals(1, calls[0]);
            assertTrue(listener.isClosed());
            listener.close();
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void disablingInsideTheCallbackStopsTheAcceptLoopAtOnce(final String method) throws IOException
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] calls = new int[1];
            try (ConnListener listener = ConnListener.bind(base, (l, fd, peer) ->
            {
                calls[0]++;
                closeFd(fd);
                l.disable();
            }, LevOpt.CLOSE_ON_FREE, -1, anyLoopbackPort()))
            {
                connect(listener);
                connect(listener);
                assertTrue(Loops.runUntil(base, () -> 1 == calls[0], 2000));
                Loops.runFor(base, 30);
                assertEquals(1, calls[0], "the second pending connection is not accepted");
                listener.enable();
                assertTrue(Loops.runUntil(base, () -> 2 == calls[0], 2000));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void disableFromAnotherThreadInsideTheCallbackDoesNotDeadlock(final String method) throws Exception
    {
        try (EventBase base = TestFds.base(method))
        {
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final int[] calls = new int[1];
            try (ConnListener listener = ConnListener.bind(base, (l, fd, peer) ->
            {
                calls[0]++;
                closeFd(fd);
                disableOnAnotherThread(l, failure);
            }, LevOpt.CLOSE_ON_FREE | LevOpt.THREADSAFE, -1, anyLoopbackPort()))
            {
                connect(listener);
                assertTrue(Loops.runUntil(base, () -> 1 == calls[0], 2000));
                Loops.runFor(base, 20);
                assertNull(failure.get());
                assertFalse(listener.isEnabled());
                connect(listener);
                Loops.runFor(base, 50);
                assertEquals(1, calls[0], "disabled from the other thread");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void disableFromAnotherThreadInsideTheErrorCallbackDoesNotDeadlock(final String method) throws Exception
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final int[] errors = new int[1];
            try (ConnListener listener = ConnListener.wrap(base, (l, fd, peer) -> { }, LevOpt.THREADSAFE, 0, pair[0]))
            {
                listener.setErrorCallback((l, errno) ->
                {
                    errors[0]++;
                    disableOnAnotherThread(l, failure);
                });
                fds.write(pair[1], "hello");
                assertTrue(Loops.runUntil(base, () -> errors[0] > 0, 2000));
                Loops.runFor(base, 30);
                assertNull(failure.get());
                assertEquals(1, errors[0], "disabled from the other thread: no more accept attempts");
                assertFalse(listener.isEnabled());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void unixListenerRefusesReuseFlagsAndAcceptsOtherwise(final String method) throws IOException
    {
        final Path dir = Files.createTempDirectory("panamax-lev");
        final Path path = dir.resolve("l");
        try (EventBase base = TestFds.base(method))
        {
            final UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
            assertThrows(IllegalArgumentException.class,
                () -> ConnListener.bind(base, null, LevOpt.REUSEABLE, -1, address));
            assertThrows(IllegalArgumentException.class,
                () -> ConnListener.bind(base, null, LevOpt.REUSEABLE_PORT, -1, address));
            assertThrows(IllegalArgumentException.class,
                () -> ConnListener.bind(base, null, LevOpt.CLOSE_ON_FREE, 0, anyLoopbackPort()));
            final int[] calls = new int[1];
            try (ConnListener listener = ConnListener.bind(base, (l, fd, peer) ->
            {
                calls[0]++;
                closeFd(fd);
            }, LevOpt.CLOSE_ON_EXEC | LevOpt.CLOSE_ON_FREE, -1, address))
            {
                assertEquals(address, listener.localAddress());
                clients.add(SocketChannel.open(address));
                assertTrue(Loops.runUntil(base, () -> 1 == calls[0], 2000));
            }
        }
        finally
        {
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void createdDisabledAcceptsOnlyAfterEnable(final String method) throws IOException
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] calls = new int[1];
            try (ConnListener listener = ConnListener.bind(base, (l, fd, peer) ->
            {
                calls[0]++;
                closeFd(fd);
            }, LevOpt.CLOSE_ON_FREE | LevOpt.DISABLED, -1, anyLoopbackPort()))
            {
                assertFalse(listener.isEnabled());
                connect(listener);
                Loops.runFor(base, 50);
                assertEquals(0, calls[0]);
                listener.enable();
                assertTrue(Loops.runUntil(base, () -> 1 == calls[0], 2000));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void nullCallbackClosesAcceptedSockets(final String method) throws IOException
    {
        try (EventBase base = TestFds.base(method);
            ConnListener listener = ConnListener.bind(base, null, LevOpt.CLOSE_ON_FREE, -1, anyLoopbackPort()))
        {
            final SocketChannel client = connect(listener);
            final java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(1);
            Loops.runFor(base, 50);
            assertEquals(-1, client.read(buffer), "the server side was closed");
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void emfileReachesTheErrorCallbackAndTheListenerNeitherSpinsNorDies(final String method) throws IOException
    {
        try (EventBase base = TestFds.base(method))
        {
            final List<Integer> errors = new ArrayList<>();
            final int[] calls = new int[1];
            try (ConnListener listener = ConnListener.bind(base, (l, fd, peer) ->
            {
                calls[0]++;
                closeFd(fd);
            }, LevOpt.CLOSE_ON_FREE, -1, anyLoopbackPort()))
            {
                listener.setErrorCallback((l, errno) -> errors.add(errno));
                listener.backoffMs(50);
                SyscallFaults.failNext(SyscallFaults.Call.ACCEPT, Errno.EMFILE, SyscallFaults.UNTIL_CLEARED);
                connect(listener);
                Loops.runFor(base, 300);
                assertTrue(errors.size() >= 2 && errors.size() <= 8, () -> "errors while out of fds: " + errors);
                assertTrue(errors.stream().allMatch(e -> Errno.EMFILE == e));
                assertTrue(listener.isEnabled());
                assertEquals(0, calls[0]);
                SyscallFaults.clear(SyscallFaults.Call.ACCEPT);
                assertTrue(Loops.runUntil(base, () -> 1 == calls[0], 2000), "accepting resumes by itself");
            }
        }
    }
}
