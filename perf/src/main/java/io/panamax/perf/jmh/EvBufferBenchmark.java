package io.panamax.perf.jmh;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import io.panamax.EolStyle;
import io.panamax.EvBuffer;
import io.panamax.EvBufferPtr;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * EvBuffer's in-memory hot paths, shaped for {@code -prof gc}: every allocation happens in setup, so
 * {@code gc.alloc.rate.norm} should be about 0 B/op.
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
public class EvBufferBenchmark
{
    private static final int MIB = 1 << 20;
    private static final byte[] NEEDLE = "needle\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** The message size for add+drain; only {@link #addDrain} uses it. */
    @State(Scope.Thread)
    public static class Sized
    {
        @Param({ "64", "1024", "16384" })
        int size;

        byte[] message;
        EvBuffer buffer;

        @Setup
        public void setUp()
        {
            message = new byte[size];
            buffer = new EvBuffer();
        }

        @TearDown
        public void tearDown()
        {
            buffer.close();
        }
    }

    private final byte[] message = new byte[64];
    private EvBuffer chains10;
    private EvBuffer other;
    private EvBuffer haystack;
    private EvBuffer lines;
    private EvBuffer work;
    private EvBufferPtr result;
    private Arena arena;
    private MemorySegment lineOut;

    @Setup
    public void setUp()
    {
        other = new EvBuffer();
        chains10 = new EvBuffer();
        try (EvBuffer piece = new EvBuffer())
        {
            for (int i = 0; i < 10; i++)
            {
                piece.add(message);
                chains10.addBuffer(piece);
            }
        }
        haystack = new EvBuffer();
        final byte[] block = new byte[64 * 1024];
        java.util.Arrays.fill(block, (byte)'a');
        for (int i = 0; i < 16; i++)
        {
            haystack.add(block);
        }
        haystack.drain(NEEDLE.length);
        haystack.add(NEEDLE);
        lines = new EvBuffer();
        final byte[] line = new byte[64];
        java.util.Arrays.fill(line, (byte)'x');
        line[62] = '\r';
        line[63] = '\n';
        for (int i = 0; i < MIB / 64; i++)
        {
            lines.add(line);
        }
        work = new EvBuffer();
        result = new EvBufferPtr();
        arena = Arena.ofConfined();
        lineOut = arena.allocate(256);
    }

    @TearDown
    public void tearDown()
    {
        other.close();
        chains10.close();
        haystack.close();
        lines.close();
        work.close();
        arena.close();
    }

    /** Copy {@code size} bytes in and drain them: the steady state of a buffer that is emptied each time. */
    @Benchmark
    public long addDrain(final Sized sized)
    {
        final EvBuffer buffer = sized.buffer;
        buffer.add(sized.message);
        buffer.drain(sized.size);
        return buffer.length();
    }

    /** Move a 10-chain buffer to another and back (two zero-copy moves per op). */
    @Benchmark
    public long addBuffer10Chains()
    {
        other.addBuffer(chains10);
        chains10.addBuffer(other);
        return chains10.length();
    }

    /** Search 1 MiB for a needle at its very end. */
    @Benchmark
    public long search1MiB()
    {
        return haystack.search(NEEDLE, null, result);
    }

    /** Find the end of line at the end of 1 MiB without CR/LF before it. */
    @Benchmark
    public long searchEol1MiB()
    {
        return haystack.searchEol(null, EolStyle.CRLF, result);
    }

    /** Read 16384 lines of 64 bytes (1 MiB, shared zero-copy from a template) into a caller segment. */
    @Benchmark
    public long readLine1MiB()
    {
        final EvBuffer work = this.work;
        work.addBufferReference(lines);
        long total = 0;
        long n;
        while ((n = work.readLine(EolStyle.CRLF, lineOut)) >= 0)
        {
            total += n;
        }
        return total;
    }
}
