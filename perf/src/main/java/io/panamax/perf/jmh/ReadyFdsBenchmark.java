package io.panamax.perf.jmh;

import io.panamax.Ev;
import io.panamax.Event;
import io.panamax.EventBase;
import io.panamax.EventBaseConfig;
import io.panamax.ffm.Errno;
import io.panamax.ffm.Libc;
import io.panamax.ffm.Sockets;
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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * One loop iteration whose wait finds {@code readyFds} fds readable, as an echo server under load sees (50
 * connections): each fd keeps one unread byte, so level-triggered readiness reports all of them every wait, and each
 * persistent read event's callback only counts. Per ready event, the loop's own cost is the score divided by
 * {@code readyFds}, plus the kernel's per-fd share of the wait. Run with {@code -prof gc}: {@code gc.alloc.rate.norm}
 * must be ≈ 0 B/op.
 * <p>
 * <b>Thread-safety:</b> JMH state, one thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class ReadyFdsBenchmark
{
    @Param({ "epoll", "poll" })
    String method;

    @Param({ "50" })
    int readyFds;

    private EventBase base;
    private Arena arena;
    private MemorySegment callState;
    private int[] fds;
    private long callbacks;

    /** Open the socketpairs, leave a byte in each, add a persistent read event per pair. */
    @Setup(Level.Trial)
    public void setUp()
    {
        base = EventBase.create(EventBaseConfig.create().method(method));
        arena = Arena.ofConfined();
        callState = Errno.allocateCallState(arena);
        final MemorySegment pair = arena.allocate(8);
        final MemorySegment oneByte = arena.allocate(1);
        fds = new int[readyFds * 2];
        for (int i = 0; i < readyFds; i++)
        {
            if (Sockets.socketpair(callState, Sockets.AF_UNIX, Sockets.SOCK_STREAM, 0, pair) < 0)
            {
                throw new IllegalStateException("socketpair");
            }
            fds[2 * i] = pair.getAtIndex(JAVA_INT, 0);
            fds[2 * i + 1] = pair.getAtIndex(JAVA_INT, 1);
            Libc.setFlags(callState, fds[2 * i], Libc.O_NONBLOCK);
            if (Libc.write(callState, fds[2 * i + 1], oneByte, 1) != 1)
            {
                throw new IllegalStateException("write");
            }
            Event.create(base, fds[2 * i], Ev.READ | Ev.PERSIST, (fd, what) -> callbacks++).add();
        }
    }

    /** Close the base and the socketpairs. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        base.close();
        for (final int fd : fds)
        {
            Libc.close(callState, fd);
        }
        arena.close();
    }

    /**
     * @return the callback count (consumed by JMH).
     */
    @Benchmark
    public long iteration()
    {
        base.loop(EventBase.LOOP_NONBLOCK | EventBase.LOOP_ONCE);
        return callbacks;
    }
}
