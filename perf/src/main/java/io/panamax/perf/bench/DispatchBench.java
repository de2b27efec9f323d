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

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * libevent's {@code test/bench.c} workload on Panamax (libevent-contracts.md §3.1), the twin of
 * {@code perf/native/bench_libevent.c}: N socketpairs with a persistent READ event each; A of them get one byte;
 * every read callback reads its byte and, while the write budget W lasts, sends one byte to the next pair, with
 * {@code recv}/{@code send} as bench.c (not {@code read}/{@code write}: the kernel's VFS path costs more). Prints
 * the elapsed microseconds of each timed run (dispatch + callbacks only), the involuntary context switches and
 * thread CPU microseconds in it ({@link RunMeter}) on stdout, after untimed warm-up runs that let the JIT compile
 * the loop; {@code -I 1} then serves rounds of runs on request ({@link BenchArgs#warmUpAndPrint}).
 * <p>
 * Usage: {@code DispatchBench -n pipes -a active -w writes [-r runs] [-W warmupRuns] [-m method] [-I 1]}.
 * <p>
 * <b>Thread-safety:</b> a single-threaded program.
 */
public final class DispatchBench
{
    private final int pipeCount;
    private final int activeCount;
    private final int writeBudget;
    private final EventBase base;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment callState = Errno.allocateCallState(arena);
    private final MemorySegment byteBuffer = arena.allocate(8);
    private final RunMeter meter = new RunMeter();
    private final int[] fds;
    private final Event[] events;
    private long readsDone;
    private long bytesSent;
    private int writesLeft;

    private DispatchBench(final int pipeCount, final int activeCount, final int writeBudget, final String method)
    {
        this.pipeCount = pipeCount;
        this.activeCount = activeCount;
        this.writeBudget = writeBudget;
        final EventBaseConfig config = EventBaseConfig.create();
        if (null != method)
        {
            config.method(method);
        }
        this.base = EventBase.create(config);
        this.fds = new int[pipeCount * 2];
        this.events = new Event[pipeCount];
        final MemorySegment pair = arena.allocate(8);
        byteBuffer.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte)'e');
        for (int i = 0; i < pipeCount; i++)
        {
            if (Sockets.socketpair(callState, Sockets.AF_UNIX, Sockets.SOCK_STREAM, 0, pair) < 0)
            {
                throw new IllegalStateException("socketpair failed at pair " + i);
            }
            fds[2 * i] = pair.getAtIndex(JAVA_INT, 0);
            fds[2 * i + 1] = pair.getAtIndex(JAVA_INT, 1);
            Libc.setFlags(callState, fds[2 * i], Libc.O_NONBLOCK);
        }
    }

    private void onRead(final int index, final int fd)
    {
        if (1 == Sockets.recv(callState, fd, byteBuffer, 1, 0))
        {
            readsDone++;
        }
        if (writesLeft > 0)
        {
            final int next = index + 1 == pipeCount ? 0 : index + 1;
            byteBuffer.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte)'e');
            if (1 == Sockets.send(callState, fds[2 * next + 1], byteBuffer, 1, 0))
            {
                bytesSent++;
            }
            writesLeft--;
        }
    }

    private long runOnce()
    {
        for (int i = 0; i < pipeCount; i++)
        {
            // bench.c: event_del + event_assign + event_add on storage it owns; here: del + add of one Event.
            if (null == events[i])
            {
                final int index = i;
                events[i] = Event.create(base, fds[2 * i], Ev.READ | Ev.PERSIST, (fd, what) -> onRead(index, fd));
            }
            events[i].del();
            events[i].add();
        }
        base.loop(EventBase.LOOP_ONCE | EventBase.LOOP_NONBLOCK);
        bytesSent = 0;
        readsDone = 0;
        writesLeft = writeBudget;
        final int spacing = pipeCount / activeCount;
        for (int i = 0; i < activeCount; i++)
        {
            if (1 == Sockets.send(callState, fds[2 * (i * spacing) + 1], byteBuffer, 1, 0))
            {
                bytesSent++;
            }
        }
        meter.start();
        do
        {
            base.loop(EventBase.LOOP_ONCE | EventBase.LOOP_NONBLOCK);
        }
        while (readsDone != bytesSent);
        return meter.stop();
    }

    private void close()
    {
        base.close();
        for (final int fd : fds)
        {
            Libc.close(callState, fd);
        }
        arena.close();
    }

    /**
     * @param args {@code -n pipes -a active -w writes [-r runs] [-W warmupRuns] [-m method] [-I 1]}.
     */
    public static void main(final String[] args)
    {
        final BenchArgs options = new BenchArgs(args, "-n", "-a", "-w", "-r", "-W", "-m", "-I");
        final int pipes = options.intValue("-n", 100);
        final int active = options.intValue("-a", 1);
        final int writes = options.intValue("-w", 100);
        final int runs = options.intValue("-r", 25);
        final int warmup = options.intValue("-W", 2000);
        final String method = options.value("-m");
        final DispatchBench bench = new DispatchBench(pipes, active, writes, method);
        System.err.println("Panamax, method " + bench.base.method() + ", warm-up runs " + warmup);
        BenchArgs.warmUpAndPrint(bench::runOnce, bench.meter, warmup, runs, 1 == options.intValue("-I", 0));
        bench.close();
    }
}
