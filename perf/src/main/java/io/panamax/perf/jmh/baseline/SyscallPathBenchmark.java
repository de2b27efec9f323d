package io.panamax.perf.jmh.baseline;

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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

import io.panamax.ffm.Errno;
import io.panamax.ffm.IovecDescriptor;
import io.panamax.ffm.Libc;
import io.panamax.ffm.RawSyscalls;
import io.panamax.ffm.Sockets;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The same cheap calls through the bindings on both Linux paths, side by side in one run: glibc's wrappers
 * (cancellation points, {@code *Libc} methods, forks started with {@code -Dpanamax.syscall.libc=true}) and
 * {@code syscall(2)} ({@code *Raw} methods, the default; see {@link RawSyscalls}). The calls are kept cheap so the
 * per-call overhead is a visible share: a {@code read} and a {@code readv} of an empty non-blocking pipe
 * ({@code EAGAIN}, errno captured), and a 64-byte {@code write} + {@code read} on a non-blocking Unix socketpair.
 * Everything is allocated in {@link #setUp}; {@code -prof gc} shows 0 B/op on both paths.
 * <p>
 * <b>Thread-safety:</b> one instance per benchmark thread ({@link Scope#Thread}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 2, jvmArgsAppend = {
    "--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class SyscallPathBenchmark
{
    private static final long LENGTH = 64;
    private static final String LIBC = "-D" + RawSyscalls.LIBC_PROPERTY + "=true";

    private Arena arena;
    private MemorySegment callState;
    private MemorySegment out;
    private MemorySegment in;
    private MemorySegment iov;
    private int pipeRead;
    private int pipeWrite;
    private int writeFd;
    private int readFd;

    /**
     * Open the pipe and the socketpair, allocate every segment, and check that this fork runs on the path its
     * benchmark's name says.
     *
     * @param params the running benchmark.
     */
    @Setup(Level.Trial)
    public void setUp(final BenchmarkParams params)
    {
        final boolean wantLibc = params.getBenchmark().endsWith("Libc");
        if (wantLibc == RawSyscalls.ACTIVE)
        {
            throw new IllegalStateException(params.getBenchmark() + " runs with RawSyscalls.ACTIVE=" +
                RawSyscalls.ACTIVE + " (not Linux?)");
        }
        arena = Arena.ofConfined();
        callState = Errno.allocateCallState(arena);
        out = arena.allocate(LENGTH, 64);
        in = arena.allocate(LENGTH, 64);
        out.fill((byte)'x');
        iov = arena.allocate(IovecDescriptor.LAYOUT, 1);
        IovecDescriptor.set(iov, 0, in, LENGTH);
        final MemorySegment fds = arena.allocate(JAVA_INT, 2);
        BaselineSockets.check(Libc.pipe2(callState, fds, Libc.O_NONBLOCK | Libc.O_CLOEXEC), "pipe2");
        pipeRead = fds.getAtIndex(JAVA_INT, 0);
        pipeWrite = fds.getAtIndex(JAVA_INT, 1);
        final int[] pair = BaselineSockets.nonBlockingPair(callState, arena);
        writeFd = pair[0];
        readFd = pair[1];
    }

    /**
     * Close the descriptors and free the memory.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        Libc.close(callState, pipeRead);
        Libc.close(callState, pipeWrite);
        Libc.close(callState, writeFd);
        Libc.close(callState, readFd);
        arena.close();
    }

    /**
     * {@code read} of an empty non-blocking pipe through {@code syscall(2)}.
     *
     * @return {@code -EAGAIN}.
     */
    @Benchmark
    public long emptyPipeReadRaw()
    {
        return Libc.read(callState, pipeRead, in, LENGTH);
    }

    /**
     * {@code read} of an empty non-blocking pipe through glibc's {@code read}.
     *
     * @return {@code -EAGAIN}.
     */
    @Benchmark
    @Fork(value = 2, jvmArgsAppend = {
        "--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", LIBC })
    public long emptyPipeReadLibc()
    {
        return Libc.read(callState, pipeRead, in, LENGTH);
    }

    /**
     * {@code readv} of an empty non-blocking pipe through {@code syscall(2)}.
     *
     * @return {@code -EAGAIN}.
     */
    @Benchmark
    public long emptyPipeReadvRaw()
    {
        return Libc.readv(callState, pipeRead, iov, 1);
    }

    /**
     * {@code readv} of an empty non-blocking pipe through glibc's {@code readv}.
     *
     * @return {@code -EAGAIN}.
     */
    @Benchmark
    @Fork(value = 2, jvmArgsAppend = {
        "--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", LIBC })
    public long emptyPipeReadvLibc()
    {
        return Libc.readv(callState, pipeRead, iov, 1);
    }

    /**
     * 64 bytes written and read back on a socketpair through {@code syscall(2)}.
     *
     * @return bytes written + read.
     */
    @Benchmark
    public long socketpair64Raw()
    {
        return Libc.write(callState, writeFd, out, LENGTH) + Libc.read(callState, readFd, in, LENGTH);
    }

    /**
     * 64 bytes written and read back on a socketpair through glibc's {@code write} and {@code read}.
     *
     * @return bytes written + read.
     */
    @Benchmark
    @Fork(value = 2, jvmArgsAppend = {
        "--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", LIBC })
    public long socketpair64Libc()
    {
        return Libc.write(callState, writeFd, out, LENGTH) + Libc.read(callState, readFd, in, LENGTH);
    }
}
