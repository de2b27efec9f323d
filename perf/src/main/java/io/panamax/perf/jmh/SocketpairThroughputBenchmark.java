package io.panamax.perf.jmh;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.panamax.EvBuffer;
import io.panamax.ffm.Errno;
import io.panamax.ffm.Libc;
import io.panamax.perf.jmh.baseline.BaselineSockets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;


/**
 * One 16 KiB message per op through a connected AF_UNIX stream pair, written then read by the same thread:
 * EvBuffer (add, writev, readv, drain) side by side with JDK NIO ({@code SocketChannel} over a
 * Unix-domain socket, direct {@code ByteBuffer}s). Throughput = 16 KiB / (ns/op).
 * <p>
 * <b>Thread-safety:</b> one JMH thread per state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "--enable-native-access=ALL-UNNAMED",
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class SocketpairThroughputBenchmark
{
    private static final int MESSAGE = 16 * 1024;

    private final byte[] message = new byte[MESSAGE];
    private Arena arena;
    private MemorySegment cs;
    private int a;
    private int b;
    private EvBuffer out;
    private EvBuffer in;
    private EvBuffer inNoFionread;
    private EvBuffer inMaxRead4096;

    private Path socketPath;
    private SocketChannel nioOut;
    private SocketChannel nioIn;
    private ByteBuffer nioWrite;
    private ByteBuffer nioRead;

    @Setup
    public void setUp() throws IOException
    {
        arena = Arena.ofConfined();
        cs = Errno.allocateCallState(arena);
        final int[] pair = BaselineSockets.nonBlockingPair(cs, arena);
        a = pair[0];
        b = pair[1];
        out = new EvBuffer();
        in = new EvBuffer();
        in.setMaxRead(MESSAGE);
        inNoFionread = new EvBuffer();
        inNoFionread.setMaxRead(MESSAGE);
        inNoFionread.setFlags(EvBuffer.FLAG_NO_FIONREAD);
        inMaxRead4096 = new EvBuffer();

        socketPath = Files.createTempDirectory("panamax-jmh").resolve("s");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX))
        {
            server.bind(UnixDomainSocketAddress.of(socketPath));
            nioOut = SocketChannel.open(StandardProtocolFamily.UNIX);
            nioOut.connect(UnixDomainSocketAddress.of(socketPath));
            nioIn = server.accept();
        }
        nioOut.configureBlocking(false);
        nioIn.configureBlocking(false);
        nioWrite = ByteBuffer.allocateDirect(MESSAGE);
        nioRead = ByteBuffer.allocateDirect(MESSAGE);
    }

    @TearDown
    public void tearDown() throws IOException
    {
        out.close();
        in.close();
        inNoFionread.close();
        inMaxRead4096.close();
        Libc.close(cs, a);
        Libc.close(cs, b);
        arena.close();
        nioOut.close();
        nioIn.close();
        Files.deleteIfExists(socketPath);
        Files.deleteIfExists(socketPath.getParent());
    }

    /** The default read: sized as libevent sizes it (without its FIONREAD call), trimmed after a short read. */
    @Benchmark
    public long evBuffer16KiB()
    {
        return roundTrip(in);
    }

    /** {@link EvBuffer#FLAG_NO_FIONREAD}: the reservation of maxRead kept, never trimmed. */
    @Benchmark
    public long evBuffer16KiBNoFionread()
    {
        return roundTrip(inNoFionread);
    }

    /** Reads of at most 4096 bytes (the default maxRead, libevent 2.1's fixed EVBUFFER_MAX_READ): four per message. */
    @Benchmark
    public long evBuffer16KiBMaxRead4096()
    {
        return roundTrip(inMaxRead4096);
    }

    private long roundTrip(final EvBuffer in)
    {
        final EvBuffer out = this.out;
        out.add(message);
        while (out.length() > 0)
        {
            out.write(a);
            in.read(b, -1);
        }
        while (in.length() < MESSAGE)
        {
            in.read(b, -1);
        }
        final long n = in.length();
        in.drain(n);
        return n;
    }

    @Benchmark
    public long nio16KiB() throws IOException
    {
        final ByteBuffer w = nioWrite;
        final ByteBuffer r = nioRead;
        w.clear();
        w.put(message);
        w.flip();
        r.clear();
        while (w.hasRemaining())
        {
            nioOut.write(w);
            nioIn.read(r);
        }
        while (r.hasRemaining())
        {
            nioIn.read(r);
        }
        return r.position();
    }
}
