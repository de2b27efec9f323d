package io.panamax.perf.jmh.baseline;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;

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

import io.panamax.ffm.Errno;
import io.panamax.ffm.Libc;
import io.panamax.ffm.Sockets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Baseline: one 64-byte {@code write} and one 64-byte {@code read} on a non-blocking Unix socketpair, through the
 * bindings' critical handles ({@link #critical()}, i.e. {@link Libc#write}/{@link Libc#read}) and through a plain
 * (non-critical) twin of the same downcalls ({@link #nonCritical()}), both capturing errno. Everything is allocated
 * in {@link #setUp()}, so {@code -prof gc} should show {@code gc.alloc.rate.norm} ≈ 0 B/op for both.
 * <p>
 * Perf runs on the class path, so it may link its twin handles itself (the engine never may).
 * <p>
 * <b>Thread-safety:</b> one instance per benchmark thread ({@link Scope#Thread}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 3, jvmArgsAppend = {
    "--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
@SuppressWarnings("restricted")
public class SocketpairBenchmark
{
    private static final long LENGTH = 64;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final FunctionDescriptor IO = FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle WRITE_PLAIN = LINKER.downcallHandle(
        LINKER.defaultLookup().find("write").orElseThrow(), IO, Linker.Option.captureCallState("errno"));
    private static final MethodHandle READ_PLAIN = LINKER.downcallHandle(
        LINKER.defaultLookup().find("read").orElseThrow(), IO, Linker.Option.captureCallState("errno"));

    private Arena arena;
    private MemorySegment callState;
    private MemorySegment out;
    private MemorySegment in;
    private int writeFd;
    private int readFd;

    /**
     * Open the socketpair and allocate every segment the benchmarks use.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        arena = Arena.ofConfined();
        callState = Errno.allocateCallState(arena);
        out = arena.allocate(LENGTH, 64);
        in = arena.allocate(LENGTH, 64);
        out.fill((byte)'x');
        final int[] pair = BaselineSockets.nonBlockingPair(callState, arena);
        writeFd = pair[0];
        readFd = pair[1];
    }

    /**
     * Close the socketpair and free the memory.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        Libc.close(callState, writeFd);
        Libc.close(callState, readFd);
        arena.close();
    }

    /**
     * 64 bytes through the bindings' critical {@code write} and {@code read}.
     *
     * @return bytes read, so the work is not eliminated.
     */
    @Benchmark
    public long critical()
    {
        final long written = Libc.write(callState, writeFd, out, LENGTH);
        final long read = Libc.read(callState, readFd, in, LENGTH);
        return written + read;
    }

    /**
     * The same round through non-critical twins of {@code write} and {@code read}.
     *
     * @return bytes read, so the work is not eliminated.
     * @throws Throwable never: only a linkage bug would.
     */
    @Benchmark
    public long nonCritical() throws Throwable
    {
        final long written = (long)WRITE_PLAIN.invokeExact(callState, writeFd, out, LENGTH);
        final long read = (long)READ_PLAIN.invokeExact(callState, readFd, in, LENGTH);
        return (written >= 0 ? written : -Errno.errno(callState)) + (read >= 0 ? read : -Errno.errno(callState));
    }
}
