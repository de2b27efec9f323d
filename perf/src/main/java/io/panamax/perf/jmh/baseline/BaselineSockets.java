package io.panamax.perf.jmh.baseline;

import io.panamax.ffm.Errno;
import io.panamax.ffm.Libc;
import io.panamax.ffm.Sockets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Set-up shared by the socketpair benchmarks (the baselines and the engine's): a non-blocking AF_UNIX stream pair and a
 * check of a binding's result.
 * <p>
 * <b>Thread-safety:</b> stateless; each call uses only its arguments.
 */
public final class BaselineSockets
{
    private BaselineSockets()
    {
    }

    /**
     * A connected AF_UNIX stream pair, both ends non-blocking and close-on-exec.
     *
     * @param callState the caller's call-state segment.
     * @param arena     where the two-int result of {@code socketpair} is allocated.
     * @return the two fds: [0] the end the benchmarks write, [1] the end they read.
     * @throws IllegalStateException when a call fails.
     */
    public static int[] nonBlockingPair(final MemorySegment callState, final Arena arena)
    {
        final MemorySegment fds = arena.allocate(JAVA_INT, 2);
        check(Sockets.socketpair(callState, Sockets.AF_UNIX, Sockets.SOCK_STREAM, 0, fds), "socketpair");
        final int[] pair = { fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1) };
        for (final int fd : pair)
        {
            check(Libc.setFlags(callState, fd, Libc.O_NONBLOCK | Libc.O_CLOEXEC), "fcntl");
        }
        return pair;
    }

    /**
     * @param rc   a binding's result (negative: -errno).
     * @param call the call's name for the message.
     * @throws IllegalStateException when {@code rc} is negative.
     */
    static void check(final int rc, final String call)
    {
        if (rc < 0)
        {
            throw new IllegalStateException(call + ": " + Errno.describe(-rc));
        }
    }
}
