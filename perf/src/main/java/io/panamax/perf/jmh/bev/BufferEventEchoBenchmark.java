package io.panamax.perf.jmh.bev;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.panamax.BevDataCallback;
import io.panamax.BevOpt;
import io.panamax.BufferEvent;
import io.panamax.Ev;
import io.panamax.EvBuffer;
import io.panamax.EventBase;
import io.panamax.EventBaseConfig;
import io.panamax.ffm.Errno;
import io.panamax.ffm.Libc;
import io.panamax.ffm.Sockets;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * One echoed message through two socket {@code BufferEvent}s on a non-blocking Unix socketpair in one base: the
 * client writes {@code size} bytes, the server's read callback moves its input to its output
 * ({@code writeBuffer}), the client's read callback drains the echo. Every object is created in
 * {@link #setUp()}: {@code -prof gc} shows what one echo allocates in steady state (the target is 0 B/op).
 * <p>
 * <b>Thread-safety:</b> one instance per benchmark thread ({@link Scope#Thread}); the base runs on that thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 3, jvmArgsAppend = {
    "--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class BufferEventEchoBenchmark
{
    @Param({ "epoll", "poll" })
    String method;

    @Param({ "64" })
    int size;

    private Arena arena;
    private MemorySegment message;
    private EventBase base;
    private BufferEvent server;
    private BufferEvent client;
    private long echoed;

    private final BevDataCallback echo = bev -> bev.writeBuffer(bev.input());
    private final BevDataCallback drain = bev ->
    {
        final long n = bev.input().length();
        bev.input().drain(n);
        echoed += n;
    };

    /**
     * Socketpair, base, the two bufferevents.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        arena = Arena.ofConfined();
        message = arena.allocate(size);
        final MemorySegment callState = Errno.allocateCallState(arena);
        final MemorySegment fds = arena.allocate(JAVA_INT, 2);
        if (Sockets.socketpair(callState, Sockets.AF_UNIX, Sockets.SOCK_STREAM, 0, fds) < 0)
        {
            throw new IllegalStateException("socketpair failed");
        }
        final int a = fds.getAtIndex(JAVA_INT, 0);
        final int b = fds.getAtIndex(JAVA_INT, 1);
        Libc.setFlags(callState, a, Libc.O_NONBLOCK);
        Libc.setFlags(callState, b, Libc.O_NONBLOCK);
        base = EventBase.create(EventBaseConfig.create().method(method));
        server = BufferEvent.socket(base, a, BevOpt.CLOSE_ON_FREE);
        server.input().setFlags(EvBuffer.FLAG_NO_FIONREAD);
        server.setCallbacks(echo, null, null);
        server.enable(Ev.READ);
        client = BufferEvent.socket(base, b, BevOpt.CLOSE_ON_FREE);
        client.input().setFlags(EvBuffer.FLAG_NO_FIONREAD);
        client.setCallbacks(drain, null, null);
        client.enable(Ev.READ);
    }

    /**
     * Close everything.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        client.close();
        server.close();
        base.close();
        arena.close();
    }

    /**
     * One message out and back.
     *
     * @return bytes echoed so far.
     */
    @Benchmark
    public long echo()
    {
        final long target = echoed + size;
        client.write(message);
        while (echoed < target)
        {
            base.loop(EventBase.LOOP_ONCE);
        }
        return echoed;
    }
}
