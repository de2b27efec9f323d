package io.panamax.perf.bench;

import io.panamax.Ev;
import io.panamax.Event;
import io.panamax.EventBase;
import io.panamax.EventBaseConfig;
import io.panamax.ffm.Errno;
import io.panamax.ffm.Libc;
import io.panamax.ffm.Sockets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * libevent's {@code test/bench_cascade.c} workload on Panamax (libevent-contracts.md §3.2), the twin of
 * {@code perf/native/bench_cascade_libevent.c}: per run, N fresh socketpairs (not timed); then, timed, N
 * non-persistent READ events each with a 60 s timeout (so the timer heap holds N entries) are created and added,
 * one byte goes into pair 0, each callback reads its byte and sends one into the next pair ({@code recv}/{@code send}
 * as bench_cascade.c), and {@code dispatch}
 * returns when no event is left. Setup is part of the measure, as in bench_cascade.c: {@code Event.create} stands
 * for libevent's {@code event_set} on caller-owned storage. Prints the microseconds of each timed run, the
 * involuntary context switches and thread CPU microseconds in it ({@link RunMeter}) on stdout, after untimed warm-up
 * runs that let the JIT compile the loop; {@code -I 1} then serves rounds of runs on request
 * ({@link BenchArgs#warmUpAndPrint}).
 * <p>
 * Usage: {@code CascadeBench [-n pipes] [-r runs] [-W warmupRuns] [-m method] [-I 1]}.
 * <p>
 * <b>Thread-safety:</b> a single-threaded program.
 */
public final class CascadeBench
{
    private static final long TIMEOUT_SECONDS = 60;

    private final int pipeCount;
    private final EventBase base;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment callState = Errno.allocateCallState(arena);
    private final MemorySegment byteBuffer = arena.allocate(8);
    private final MemorySegment pair = arena.allocate(8);
    private final RunMeter meter = new RunMeter();
    private final int[] fds;
    private final Event[] events;
    private int fired;

    private CascadeBench(final int pipeCount, final String method)
    {
        this.pipeCount = pipeCount;
        final EventBaseConfig config = EventBaseConfig.create();
        if (null != method)
        {
            config.method(method);
        }
        this.base = EventBase.create(config);
        this.fds = new int[pipeCount * 2];
        this.events = new Event[pipeCount];
        byteBuffer.set(JAVA_BYTE, 0, (byte)'e');
    }

    private void onRead(final int fd, final int next)
    {
        Sockets.recv(callState, fd, byteBuffer, 1, 0);
        if (next >= 0)
        {
            byteBuffer.set(JAVA_BYTE, 0, (byte)'e');
            if (1 != Sockets.send(callState, next, byteBuffer, 1, 0))
            {
                throw new IllegalStateException("send to the next pair failed");
            }
        }
        fired++;
    }

    private long runOnce()
    {
        for (int i = 0; i < pipeCount; i++)
        {
            if (Sockets.socketpair(callState, Sockets.AF_UNIX, Sockets.SOCK_STREAM, 0, pair) < 0)
            {
                throw new IllegalStateException("socketpair failed at pair " + i + ": " +
                    Errno.describe(Errno.errno(callState)));
            }
            fds[2 * i] = pair.getAtIndex(JAVA_INT, 0);
            fds[2 * i + 1] = pair.getAtIndex(JAVA_INT, 1);
        }
        meter.start();
        for (int i = 0; i < pipeCount; i++)
        {
            final int next = i < pipeCount - 1 ? fds[2 * i + 3] : -1;
            events[i] = Event.create(base, fds[2 * i], Ev.READ, (fd, what) -> onRead(fd, next));
            events[i].add(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        fired = 0;
        if (1 != Sockets.send(callState, fds[1], byteBuffer, 1, 0))
        {
            throw new IllegalStateException("first send failed");
        }
        base.dispatch();
        final long elapsedUs = meter.stop();
        if (fired != pipeCount)
        {
            throw new IllegalStateException("only " + fired + " of " + pipeCount + " events fired");
        }
        for (int i = 0; i < pipeCount; i++)
        {
            events[i].del();
            events[i].close();
            Libc.close(callState, fds[2 * i]);
            Libc.close(callState, fds[2 * i + 1]);
        }
        return elapsedUs;
    }

    private void close()
    {
        base.close();
        arena.close();
    }

    /**
     * @param args {@code [-n pipes] [-r runs] [-W warmupRuns] [-m method] [-I 1]}.
     */
    public static void main(final String[] args)
    {
        final BenchArgs options = new BenchArgs(args, "-n", "-r", "-W", "-m", "-I");
        final int pipes = options.intValue("-n", 100);
        final int runs = options.intValue("-r", 25);
        final int warmup = options.intValue("-W", 500);
        final String method = options.value("-m");
        final CascadeBench bench = new CascadeBench(pipes, method);
        System.err.println("Panamax, method " + bench.base.method() + ", warm-up runs " + warmup);
        BenchArgs.warmUpAndPrint(bench::runOnce, bench.meter, warmup, runs, 1 == options.intValue("-I", 0));
        bench.close();
    }
}
