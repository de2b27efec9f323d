package io.panamax.perf.jmh;

import io.panamax.Event;
import io.panamax.EventBase;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Timer add + cancel with {@code pendingTimers} other timers in the heap (libevent's min-heap, index kept in the
 * event). {@code addCancel} adds one timer at a random deadline among the others and deletes it;
 * {@code reschedule} moves one already-pending timer to a new deadline (adjusted in place).
 * Run with {@code -prof gc}: {@code gc.alloc.rate.norm} must be ≈ 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
public class TimerBenchmark
{
    @Param({ "1000", "100000", "1000000" })
    int pendingTimers;

    private EventBase base;
    private Event[] timers;
    private Event probe;
    private long[] delaysNs;
    private int next;

    @Setup(Level.Trial)
    public void setUp()
    {
        base = EventBase.create();
        final SplittableRandom random = new SplittableRandom(7);
        timers = new Event[pendingTimers];
        for (int i = 0; i < pendingTimers; i++)
        {
            timers[i] = Event.timer(base, (fd, what) -> { });
            timers[i].add(3_600_000_000_000L + random.nextLong(3_600_000_000_000L), TimeUnit.NANOSECONDS);
        }
        delaysNs = new long[4096];
        for (int i = 0; i < delaysNs.length; i++)
        {
            delaysNs[i] = 3_600_000_000_000L + random.nextLong(3_600_000_000_000L);
        }
        probe = Event.timer(base, (fd, what) -> { });
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        base.close();
    }

    @Benchmark
    public int addCancel()
    {
        final int i = next++ & (delaysNs.length - 1);
        probe.add(delaysNs[i], TimeUnit.NANOSECONDS);
        probe.del();
        return i;
    }

    @Benchmark
    public int reschedule()
    {
        final int i = next++ & (delaysNs.length - 1);
        timers[(int)(delaysNs[i] % pendingTimers)].add(delaysNs[i], TimeUnit.NANOSECONDS);
        return i;
    }
}
