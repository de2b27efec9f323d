package io.panamax.perf.jmh;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import io.panamax.EvBuffer;
import io.panamax.ffm.Errno;
import io.panamax.ffm.Libc;
import io.panamax.perf.jmh.baseline.BaselineSockets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;


/**
 * The buffer side of the echo server's read event, without the loop and the bufferevent: a 1 KiB burst (16 echo
 * messages) is read from a non-blocking AF_UNIX socketpair into an input buffer sized as the echo server's (64 KiB
 * per read, no FIONREAD), moved to the output ({@code addBuffer}), written back and drained; the peer writes and
 * reads with plain libc calls. {@link #moveAndDrain} is the same buffer traffic without syscalls (an add that needs
 * a fresh 8 KiB chunk, the move, the drain). Compare user time with {@code -prof io.panamax.perf.jmh.CpuTimeProfiler}
 * (the syscalls' kernel time swings with the machine's load) and allocation with {@code -prof gc}.
 * <p>
 * <b>Thread-safety:</b> one JMH thread per state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = { "--enable-native-access=ALL-UNNAMED",
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class EvBufferEchoPathBenchmark
{
    private static final int BURST = 1024;
    private static final long MAX_READ = 64 * 1024;
    private static final int ADDED = 5000;

    private Arena arena;
    private MemorySegment cs;
    private MemorySegment burst;
    private MemorySegment sink;
    private final byte[] added = new byte[ADDED];
    private int a;
    private int b;
    private EvBuffer input;
    private EvBuffer output;

    /**
     * The socketpair and the two buffers.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        arena = Arena.ofConfined();
        cs = Errno.allocateCallState(arena);
        burst = arena.allocate(BURST);
        sink = arena.allocate(BURST);
        final int[] pair = BaselineSockets.nonBlockingPair(cs, arena);
        a = pair[0];
        b = pair[1];
        input = new EvBuffer();
        input.setFlags(EvBuffer.FLAG_NO_FIONREAD);
        input.setMaxRead(MAX_READ);
        output = new EvBuffer();
    }

    /**
     * Close everything.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        input.close();
        output.close();
        Libc.close(cs, a);
        Libc.close(cs, b);
        arena.close();
    }

    /**
     * The peer sends a burst; the buffers read it, move it and write it back; the peer reads the echo.
     *
     * @return bytes echoed.
     */
    @Benchmark
    public long readMoveWrite()
    {
        Libc.write(cs, b, burst, BURST);
        input.read(a, -1);
        output.addBuffer(input);
        final long n = output.writeAtmost(a, -1);
        Libc.read(cs, b, sink, BURST);
        return n;
    }

    /**
     * An add into an empty buffer (a fresh 8 KiB chunk), the move to the other buffer, the drain that empties it.
     *
     * @return the output's length (0).
     */
    @Benchmark
    public long moveAndDrain()
    {
        input.add(added);
        output.addBuffer(input);
        output.drain(ADDED);
        return output.length();
    }
}
