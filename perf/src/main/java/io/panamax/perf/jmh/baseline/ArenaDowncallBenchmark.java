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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.panamax.ffm.Errno;
import io.panamax.ffm.Libc;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * What the arena of the segments a downcall takes costs per call: the same {@code read} of an empty non-blocking
 * pipe ({@code EAGAIN}) with the call-state segment and the buffer from a shared, confined, automatic or global
 * arena. A downcall acquires the session of each segment argument (once per distinct session) before the call and
 * releases it after: a compare-and-set each way for a shared arena, a plain counter for a confined one, nothing for
 * automatic and global ones. Run with
 * {@code -prof io.panamax.perf.jmh.CpuTimeProfiler} for user CPU per call; {@link #glue} isolates the FFM part
 * with a downcall that never enters the kernel. Perf runs on the class path, so it may link that handle itself.
 * <p>
 * The global kind leaks its few bytes for the life of the fork (a global arena cannot be closed).
 * <p>
 * <b>Thread-safety:</b> one instance per benchmark thread ({@link Scope#Thread}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@SuppressWarnings("restricted")
@Fork(value = 2, jvmArgsAppend = {
    "--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class ArenaDowncallBenchmark
{
    private static final long LENGTH = 64;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle STRNLEN = LINKER.downcallHandle(
        LINKER.defaultLookup().find("strnlen").orElseThrow(), FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG),
        Linker.Option.critical(false), Linker.Option.captureCallState("errno"));

    /** Arena kind of the segments passed to the calls. */
    @Param({ "shared", "confined", "auto", "global" })
    public String kind;

    private Arena arena;
    private Arena fdArena;
    private MemorySegment callState;
    private MemorySegment buf;
    private int pipeRead;
    private int pipeWrite;

    /**
     * Open the pipe and allocate the segments from the arena kind under test.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        arena = switch (kind)
        {
            case "shared" -> Arena.ofShared();
            case "confined" -> Arena.ofConfined();
            case "auto" -> Arena.ofAuto();
            case "global" -> Arena.global();
            default -> throw new IllegalArgumentException(kind);
        };
        callState = Errno.allocateCallState(arena);
        buf = arena.allocate(LENGTH, 64);
        fdArena = Arena.ofConfined();
        final MemorySegment fds = fdArena.allocate(JAVA_INT, 2);
        final int rc = Libc.pipe2(callState, fds, Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        if (rc < 0)
        {
            throw new IllegalStateException("pipe2: " + Errno.describe(-rc));
        }
        pipeRead = fds.getAtIndex(JAVA_INT, 0);
        pipeWrite = fds.getAtIndex(JAVA_INT, 1);
    }

    /**
     * Close the pipe and the closable arenas.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        Libc.close(callState, pipeRead);
        Libc.close(callState, pipeWrite);
        fdArena.close();
        if ("shared".equals(kind) || "confined".equals(kind))
        {
            arena.close();
        }
    }

    /**
     * {@code read(2)} through {@link Libc#read}: the call-state segment and the buffer, one session.
     *
     * @return {@code -EAGAIN}.
     */
    @Benchmark
    public long read()
    {
        return Libc.read(callState, pipeRead, buf, LENGTH);
    }

    /**
     * The FFM glue alone: a critical, errno-capturing downcall of {@code strnlen(buf, 0)}, which returns at once
     * without entering the kernel, given the call-state segment and the buffer.
     *
     * @return 0.
     * @throws Throwable never: only a linkage bug would.
     */
    @Benchmark
    public long glue() throws Throwable
    {
        return (long)STRNLEN.invokeExact(callState, buf, 0L);
    }
}
