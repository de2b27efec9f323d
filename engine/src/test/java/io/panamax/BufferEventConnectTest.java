package io.panamax;

import io.panamax.ffm.Errno;
import io.panamax.ffm.SyscallFaults;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link BufferEvent#connect} and {@link BufferEvent#connectHostname} over loopback: libevent's
 * {@code bufferevent_connect*} contracts (with each option combination), refused and failed connects (exactly one
 * event callback, never a synchronous one), IPv6 and Unix paths, and an echo round trip per option combination.
 */
@ExtendWith(PoolWholeExtension.class)
class BufferEventConnectTest
{
    private static final byte[] TEXT =
        "Wilt thou quarrel with a man for cracking nuts, having no other reason?!!\n\n\0"
            .getBytes(StandardCharsets.ISO_8859_1);

    @AfterEach
    void tearDown()
    {
        SyscallFaults.clearAll();
    }

    static List<Arguments> optionCases()
    {
        final int[] options = {
            0, BevOpt.DEFER_CALLBACKS, BevOpt.THREADSAFE, BevOpt.DEFER_CALLBACKS | BevOpt.UNLOCK_CALLBACKS,
            BevOpt.THREADSAFE | BevOpt.DEFER_CALLBACKS | BevOpt.UNLOCK_CALLBACKS };
        final List<Arguments> cases = new ArrayList<>();
        for (final String method : EventBase.supportedMethods())
        {
            for (final int option : options)
            {
                cases.add(Arguments.of(method, option));
            }
        }
        return cases;
    }

    /** A listener whose accepted connections get {@link #TEXT} and are closed once it is flushed. */
    private static ConnListener textServer(final EventBase base, final SocketAddress address)
    {
        return ConnListener.bind(base, (listener, fd, peer) ->
        {
            final BufferEvent bev = BufferEvent.socket(base, fd, BevOpt.CLOSE_ON_FREE);
            bev.write(TEXT);
            bev.closeAfterFlush();
        }, LevOpt.CLOSE_ON_FREE | (address instanceof UnixDomainSocketAddress ? 0 : LevOpt.REUSEABLE), 16, address);
    }

    private static InetSocketAddress loopback(final ConnListener listener)
    {
        return (InetSocketAddress)listener.localAddress();
    }

    @ParameterizedTest
    @MethodSource("optionCases")
    void twoClientsConnectThenReadTheTextAndEof(final String method, final int options)
    {
        try (EventBase base = TestFds.base(method);
            ConnListener server = textServer(base, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            final List<List<String>> logs = new ArrayList<>();
            final int[] readCalls = new int[1];
            final List<BufferEvent> clients = new ArrayList<>();
            for (int i = 0; i < 2; i++)
            {
                final List<String> log = new ArrayList<>();
                logs.add(log);
                final BufferEvent bev = BufferEvent.socket(base, -1, options);
                clients.add(bev);
                bev.setCallbacks(b -> readCalls[0]++, null, (b, what) ->
                {
                    if (BevEvent.CONNECTED == what)
                    {
                        log.add("connected");
                    }
                    else if (0 != (what & BevEvent.EOF))
                    {
                        final byte[] got = new byte[(int)b.input().length()];
                        b.read(got);
                        log.add(java.util.Arrays.equals(TEXT, got) ? "text+eof" : "bad:" + got.length);
                        b.close();
                    }
                    else
                    {
                        log.add("event:" + what);
                    }
                });
                bev.enable(Ev.READ);
                assertEquals(0, bev.connect(loopback(server)));
            }
            assertEquals(List.of(List.of(), List.of()), logs, "no callback inside connect");
            assertTrue(Loops.runUntil(base, () -> 2 == logs.get(0).size() && 2 == logs.get(1).size(), 5000),
                logs::toString);
            assertEquals(List.of(List.of("connected", "text+eof"), List.of("connected", "text+eof")), logs);
            assertTrue(readCalls[0] >= 2);
            clients.forEach(BufferEvent::close);
        }
    }

    @ParameterizedTest
    @MethodSource("optionCases")
    void echoRoundTripsWithEveryOptionCombination(final String method, final int options)
    {
        try (EventBase base = TestFds.base(method))
        {
            final List<BufferEvent> served = new ArrayList<>();
            final int[] serverEof = new int[1];
            try (ConnListener server = ConnListener.bind(base, (listener, fd, peer) ->
            {
                final BufferEvent bev = BufferEvent.socket(base, fd, BevOpt.CLOSE_ON_FREE | options);
                served.add(bev);
                bev.setCallbacks(b -> b.writeBuffer(b.input()), null, (b, what) ->
                {
                    if (0 != (what & BevEvent.EOF))
                    {
                        serverEof[0]++;
                        b.close();
                    }
                });
                bev.enable(Ev.READ);
            }, LevOpt.CLOSE_ON_FREE, -1, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
            {
                final byte[] message = BufferEventTest.pattern(1000);
                final int[] rounds = new int[1];
                final List<String> problems = new ArrayList<>();
                final BufferEvent client = BufferEvent.socket(base, -1, BevOpt.CLOSE_ON_FREE | options);
                client.setCallbacks(b ->
                {
                    if (b.input().length() >= message.length)
                    {
                        final byte[] got = new byte[message.length];
                        b.read(got);
                        if (!java.util.Arrays.equals(message, got))
                        {
                            problems.add("round " + rounds[0] + " differs");
                        }
                        if (++rounds[0] < 50)
                        {
                            b.write(message);
                        }
                        else
                        {
                            b.close();
                        }
                    }
                }, null, (b, what) ->
                {
                    if (BevEvent.CONNECTED == what)
                    {
                        b.write(message);
                    }
                    else
                    {
                        problems.add("event " + what);
                    }
                });
                client.enable(Ev.READ);
                assertEquals(0, client.connect(server.localAddress()));
                assertTrue(Loops.runUntil(base, () -> 1 == serverEof[0], 10_000), () -> rounds[0] + " " + problems);
                assertEquals(50, rounds[0]);
                assertEquals(List.of(), problems);
                served.forEach(BufferEvent::close);
            }
        }
    }

    /** A socket bound to a loopback port that does not listen: connecting to it is refused. */
    private static InetSocketAddress refusingAddress() throws IOException
    {
        try (java.nio.channels.ServerSocketChannel channel = java.nio.channels.ServerSocketChannel.open())
        {
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return (InetSocketAddress)channel.getLocalAddress();
        }
    }

    static List<Arguments> deferCases()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final String method : EventBase.supportedMethods())
        {
            cases.add(Arguments.of(method, 0));
            cases.add(Arguments.of(method, BevOpt.DEFER_CALLBACKS));
        }
        return cases;
    }

    @ParameterizedTest
    @MethodSource("deferCases")
    void refusedConnectGivesExactlyOneErrorAndNoSynchronousCallback(final String method, final int options)
        throws IOException
    {
        try (EventBase base = TestFds.base(method);
            BufferEvent bev = BufferEvent.socket(base, -1, options | BevOpt.CLOSE_ON_FREE))
        {
            final int[] counts = new int[3];
            final List<Integer> events = new ArrayList<>();
            bev.setCallbacks(b -> counts[0]++, b -> counts[1]++, (b, what) ->
            {
                counts[2]++;
                events.add(what);
            });
            bev.enable(Ev.READ | Ev.WRITE);
            final int rc = bev.connect(refusingAddress());
            assertTrue(0 == rc || -1 == rc);
            assertArrayEquals(new int[] { 0, 0, 0 }, counts, "nothing runs inside connect");
            if (0 == rc)
            {
                assertTrue(Loops.runUntil(base, () -> counts[2] > 0, 3000));
                Loops.runFor(base, 50);
                assertArrayEquals(new int[] { 0, 0, 1 }, counts);
                assertEquals(BevEvent.ERROR, events.get(0) & (BevEvent.ERROR | BevEvent.EOF | BevEvent.CONNECTED));
                assertEquals(Errno.ECONNREFUSED, bev.socketError());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("deferCases")
    void immediateRefusalIsReportedThroughTheWritePathLater(final String method, final int options)
        throws IOException
    {
        try (EventBase base = TestFds.base(method);
            BufferEvent bev = BufferEvent.socket(base, -1, options))
        {
            final List<Integer> events = new ArrayList<>();
            bev.setCallbacks(null, null, (b, what) -> events.add(what));
            SyscallFaults.failNext(SyscallFaults.Call.CONNECT, Errno.ECONNREFUSED, 1);
            assertEquals(0, bev.connect(refusingAddress()));
            assertEquals(List.of(), events);
            assertTrue(Loops.runUntil(base, () -> !events.isEmpty(), 2000));
            Loops.runFor(base, 30);
            assertEquals(List.of(BevEvent.ERROR), events);
            assertEquals(Errno.ECONNREFUSED, bev.socketError());
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void connectThatFailsAtOnceReturnsMinusOneWithoutCallback(final String method) throws IOException
    {
        try (EventBase base = TestFds.base(method);
            BufferEvent bev = BufferEvent.socket(base, -1, 0))
        {
            final List<Integer> events = new ArrayList<>();
            bev.setCallbacks(null, null, (b, what) -> events.add(what));
            SyscallFaults.failNext(SyscallFaults.Call.SOCKET, Errno.EMFILE, 1);
            assertEquals(-1, bev.connect(refusingAddress()));
            assertEquals(Errno.EMFILE, bev.socketError());
            assertEquals(-1, bev.fd());
            Loops.runFor(base, 30);
            assertEquals(List.of(), events);
        }
    }

    /**
     * libevent's {@code bufferevent_writecb} rule {@code (res || !connected) && length <= low}: the writable event
     * that completes a connect runs the write callback only if it also wrote bytes.
     */
    @ParameterizedTest
    @MethodSource("optionCases")
    void writeCallbackAfterConnectRunsOnlyWhenTheConnectingWritableWroteBytes(final String method, final int options)
    {
        final List<BufferEvent> accepted = new ArrayList<>();
        try (EventBase base = TestFds.base(method);
            ConnListener server = ConnListener.bind(base,
                (listener, fd, peer) -> accepted.add(BufferEvent.socket(base, fd, BevOpt.CLOSE_ON_FREE)),
                LevOpt.CLOSE_ON_FREE | LevOpt.REUSEABLE, 16, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            BufferEvent empty = BufferEvent.socket(base, -1, options);
            BufferEvent queued = BufferEvent.socket(base, -1, options))
        {
            final List<String> emptyLog = new ArrayList<>();
            final List<String> queuedLog = new ArrayList<>();
            empty.setCallbacks(null, b -> emptyLog.add("write:" + b.output().length()),
                (b, what) -> emptyLog.add("event:" + what));
            queued.setCallbacks(null, b -> queuedLog.add("write:" + b.output().length()),
                (b, what) -> queuedLog.add("event:" + what));
            queued.write(TEXT);
            assertEquals(0, empty.connect(loopback(server)));
            assertEquals(0, queued.connect(loopback(server)));
            assertTrue(Loops.runUntil(base, () -> !emptyLog.isEmpty() && queuedLog.size() >= 2, 5000),
                () -> emptyLog + " " + queuedLog);
            Loops.runFor(base, 50);
            assertEquals(List.of("event:" + BevEvent.CONNECTED), emptyLog, "connected with nothing to write");
            assertEquals(List.of("event:" + BevEvent.CONNECTED, "write:0"), queuedLog, "connected, wrote, drained");
        }
        finally
        {
            accepted.forEach(BufferEvent::close);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void unixPathConnectSucceedsImmediatelyAndReportsConnectedLater(final String method) throws IOException
    {
        final Path dir = Files.createTempDirectory("panamax-bev");
        final Path path = dir.resolve("s");
        try (EventBase base = TestFds.base(method);
            ConnListener server = textServer(base, UnixDomainSocketAddress.of(path));
            BufferEvent bev = BufferEvent.socket(base, -1, 0))
        {
            final List<String> log = new ArrayList<>();
            bev.setCallbacks(null, null, (b, what) ->
            {
                if (BevEvent.CONNECTED == what)
                {
                    log.add("connected");
                }
                else if (0 != (what & BevEvent.EOF))
                {
                    final byte[] got = new byte[(int)b.input().length()];
                    b.read(got);
                    log.add(new String(got, StandardCharsets.ISO_8859_1).equals(
                        new String(TEXT, StandardCharsets.ISO_8859_1)) ? "text" : "bad");
                }
            });
            bev.enable(Ev.READ);
            assertTrue(server.isEnabled());
            assertEquals(0, bev.connect(UnixDomainSocketAddress.of(path)));
            assertEquals(List.of(), log);
            assertTrue(Loops.runUntil(base, () -> 2 == log.size(), 3000), log::toString);
            assertEquals(List.of("connected", "text"), log);
        }
        finally
        {
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void ipv6LoopbackConnect(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final ConnListener server;
            try
            {
                server = textServer(base, new InetSocketAddress("::1", 0));
            }
            catch (final PanamaxException ex)
            {
                assumeTrue(false, "no IPv6 loopback here: " + ex.getMessage());
                return;
            }
            try (server; BufferEvent bev = BufferEvent.socket(base, -1, 0))
            {
                final List<Integer> events = new ArrayList<>();
                bev.setCallbacks(null, null, (b, what) -> events.add(what));
                bev.enable(Ev.READ);
                assertEquals(0, bev.connect(server.localAddress()));
                assertTrue(Loops.runUntil(base, () -> events.size() >= 2, 3000), events::toString);
                assertEquals(BevEvent.CONNECTED, events.get(0));
                assertEquals(BevEvent.READING | BevEvent.EOF, events.get(1));
                assertEquals(TEXT.length, bev.input().length());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void connectHostnameResolvesOffTheLoopThenConnects(final String method)
    {
        try (EventBase base = TestFds.base(method);
            ConnListener server = textServer(base, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            BufferEvent bev = BufferEvent.socket(base, -1, 0))
        {
            final List<Integer> events = new ArrayList<>();
            bev.setCallbacks(null, null, (b, what) -> events.add(what));
            bev.enable(Ev.READ);
            assertEquals(0, bev.connectHostname("127.0.0.1", loopback(server).getPort(), StandardProtocolFamily.INET));
            assertEquals(List.of(), events);
            assertTrue(Loops.runUntil(base, () -> events.size() >= 2, 5000), events::toString);
            assertEquals(List.of(BevEvent.CONNECTED, BevEvent.READING | BevEvent.EOF), events);
            assertEquals(0, bev.dnsError());
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void failedLookupReportsErrorWithDnsError(final String method)
    {
        try (EventBase base = TestFds.base(method);
            BufferEvent bev = BufferEvent.socket(base, -1, 0))
        {
            final List<Integer> events = new ArrayList<>();
            bev.setCallbacks(null, null, (b, what) -> events.add(what));
            assertEquals(0, bev.connectHostname("127.0.0.1", 9, StandardProtocolFamily.INET6));
            assertTrue(Loops.runUntil(base, () -> !events.isEmpty(), 5000));
            assertEquals(List.of(BevEvent.ERROR), events);
            assertNotEquals(0, bev.dnsError());
            assertEquals(-1, bev.fd());
        }
    }
}
