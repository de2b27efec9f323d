package io.panamax;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Bounded ways to run a loop in tests: until a condition holds or a deadline passes.
 */
final class Loops
{
    private Loops()
    {
    }

    /**
     * Run iterations (woken at least every 5 ms) until {@code done} or {@code timeoutMs}.
     *
     * @return whether {@code done} holds.
     */
    static boolean runUntil(final EventBase base, final BooleanSupplier done, final long timeoutMs)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        final Event tick = Event.create(base, -1, Ev.PERSIST, (fd, what) -> { });
        tick.add(5, TimeUnit.MILLISECONDS);
        try
        {
            while (!done.getAsBoolean() && System.nanoTime() - deadline < 0)
            {
                base.loop(EventBase.LOOP_ONCE);
            }
        }
        finally
        {
            tick.close();
        }
        return done.getAsBoolean();
    }

    /**
     * A non-blocking socketpair that {@link TestFds} does not track, for tests whose bufferevent closes an end
     * ({@code CLOSE_ON_FREE}); close what is left with {@link #closeFd(int)}.
     *
     * @return the two fds.
     */
    static int[] untrackedPair()
    {
        final io.panamax.internal.net.NetScratch s = io.panamax.internal.net.NetScratch.get();
        final int rc = io.panamax.ffm.Sockets.socketpair(s.callState, io.panamax.ffm.Sockets.AF_UNIX,
            io.panamax.ffm.Sockets.SOCK_STREAM, 0, s.address);
        if (rc < 0)
        {
            throw new IllegalStateException("socketpair: " + io.panamax.ffm.Errno.describe(-rc));
        }
        final int[] pair = { s.address.getAtIndex(java.lang.foreign.ValueLayout.JAVA_INT, 0),
            s.address.getAtIndex(java.lang.foreign.ValueLayout.JAVA_INT, 1) };
        for (final int fd : pair)
        {
            io.panamax.ffm.Libc.setFlags(s.callState, fd, io.panamax.ffm.Libc.O_NONBLOCK);
        }
        return pair;
    }

    /**
     * Close an fd of {@link #untrackedPair()}.
     */
    static void closeFd(final int fd)
    {
        io.panamax.ffm.Libc.close(io.panamax.internal.net.NetScratch.get().callState, fd);
    }

    /**
     * Run the loop for {@code ms} (to see that nothing more happens).
     */
    static void runFor(final EventBase base, final long ms)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        runUntil(base, () -> System.nanoTime() - deadline >= 0, ms + 1000);
    }
}
