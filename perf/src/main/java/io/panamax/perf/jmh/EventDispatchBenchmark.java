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
 * Cost of one loop iteration that runs active events: {@code activeManual} activates {@code activeEvents} events
 * by {@code Event.active} (no kernel readiness, but one non-blocking wait); {@code socketRead} makes one socketpair
 * readable and lets the backend report it (write 1 byte, one iteration, the callback reads it back).
 * Run with {@code -prof gc}: {@code gc.alloc.rate.norm} must be ≈ 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class EventDispatchBenchmark
{
    @Param({ "epoll", "poll" })
    String method;

    @Param({ "1", "16" })
    int activeEvents;

    private EventBase base;
    private Event[] events;
    private Event reader;
    private Arena arena;
    private MemorySegment callState;
    private MemorySegment buffer;
    private int readFd;
    private int writeFd;
    private long callbacks;

    @Setup(Level.Trial)
    public void setUp()
    {
        base = EventBase.create(EventBaseConfig.create().method(method));
        events = new Event[activeEvents];
        for (int i = 0; i < activeEvents; i++)
        {
            events[i] = Event.timer(base, (fd, what) -> callbacks++);
        }
        arena = Arena.ofConfined();
        callState = Errno.allocateCallState(arena);
        buffer = arena.allocate(64);
        final MemorySegment fds = arena.allocate(8);
        if (Sockets.socketpair(callState, Sockets.AF_UNIX, Sockets.SOCK_STREAM, 0, fds) < 0)
        {
            throw new IllegalStateException("socketpair");
        }
        readFd = fds.getAtIndex(JAVA_INT, 0);
        writeFd = fds.getAtIndex(JAVA_INT, 1);
        Libc.setFlags(callState, readFd, Libc.O_NONBLOCK);
        reader = Event.create(base, readFd, Ev.READ | Ev.PERSIST, (fd, what) ->
        {
            Libc.read(callState, fd, buffer, 64);
            callbacks++;
        });
        reader.add();
        base.loop(EventBase.LOOP_NONBLOCK | EventBase.LOOP_ONCE);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        base.close();
        Libc.close(callState, readFd);
        Libc.close(callState, writeFd);
        arena.close();
    }

    @Benchmark
    public long activeManual()
    {
        final Event[] events = this.events;
        for (int i = 0; i < events.length; i++)
        {
            events[i].active(Ev.TIMEOUT);
        }
        base.loop(EventBase.LOOP_NONBLOCK | EventBase.LOOP_ONCE);
        return callbacks;
    }

    @Benchmark
    public long socketRead()
    {
        Libc.write(callState, writeFd, buffer, 1);
        base.loop(EventBase.LOOP_NONBLOCK | EventBase.LOOP_ONCE);
        return callbacks;
    }
}
