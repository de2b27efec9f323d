package io.panamax.internal.backend;

import io.panamax.Ev;

/**
 * The kernel side of a loop (libevent's {@code struct eventop}): it is told the union of interest per fd, waits,
 * and reports readiness. Interest bits are {@link Ev#READ}, {@link Ev#WRITE}, {@link Ev#CLOSED} and {@link Ev#ET}
 * (ET applies to the fd as a whole: all its events are ET or none).
 * <p>
 * Implementations record changes in {@link #changeInterest} and apply them at the start of {@link #dispatch}, so
 * an fd costs at most one control call per iteration whatever happened to it in between.
 * <p>
 * <b>Thread-safety:</b> confined to the loop thread of its base, {@link #close()} included; {@link #wake()} from any thread.
 */
public sealed interface Backend extends AutoCloseable permits EpollBackend, KqueueBackend, PollBackend
{
    /** Interest bits a backend understands. */
    int INTEREST_MASK = Ev.READ | Ev.WRITE | Ev.CLOSED | Ev.ET;
    /** Wait for ever. */
    long INFINITE = -1;

    /**
     * @return libevent's method name: {@code "epoll"}, {@code "poll"}, {@code "kqueue"}.
     */
    String method();

    /**
     * @return {@code EventBaseConfig.FEATURE_*} bits.
     */
    int features();

    /**
     * @return true when the backend has a kernel wake-up of its own ({@code EVFILT_USER} on kqueue), which the loop
     *         then uses instead of an eventfd or a pipe.
     */
    default boolean hasUserWakeup()
    {
        return false;
    }

    /**
     * Wake a {@link #dispatch} that waits, from any thread (only when {@link #hasUserWakeup()}).
     *
     * @throws UnsupportedOperationException when the backend has no wake-up of its own.
     */
    default void wake()
    {
        throw new UnsupportedOperationException(method() + " has no wake-up of its own");
    }

    /**
     * @return true when the {@link ReadyHandler} may run event callbacks while {@link #dispatch} walks its results:
     *         the walk reads results the callbacks cannot change, and interest changes made meanwhile wait for the
     *         next wait (or {@link #flush}, which must not disturb the walk either).
     */
    default boolean callbacksDuringWalk()
    {
        return false;
    }

    /**
     * Record that the fd's interest changes (applied at the next {@link #dispatch} or {@link #flush}).
     *
     * @param fd          the fd.
     * @param oldInterest interest before, 0 when the fd was not registered.
     * @param newInterest interest after, 0 to unregister.
     */
    void changeInterest(int fd, int oldInterest, int newInterest);

    /**
     * Apply a pending change for this fd now (before the caller closes it).
     *
     * @param fd the fd.
     */
    void flush(int fd);

    /**
     * Apply pending changes, wait up to {@code timeoutNs}, report what is ready.
     *
     * @param timeoutNs 0 = poll, {@link #INFINITE} = block, otherwise nanoseconds (a backend with a millisecond
     *                  wait rounds down when {@code roundDown}, up otherwise).
     * @param roundDown true when the loop will finish a sub-millisecond rest itself (precise timers).
     * @param handler   receives each ready fd.
     * @return fds reported (0 on timeout or EINTR), or {@code -errno} when the wait itself failed.
     */
    int dispatch(long timeoutNs, boolean roundDown, ReadyHandler handler);

    /**
     * Release the kernel object and every off-heap byte; idempotent.
     */
    @Override
    void close();

    /**
     * @param timeoutNs nanoseconds, 0 or {@link #INFINITE}.
     * @param roundDown floor instead of ceiling.
     * @return the {@code int} milliseconds a {@code poll}/{@code epoll_wait} takes.
     */
    static int toMillis(final long timeoutNs, final boolean roundDown)
    {
        if (timeoutNs < 0)
        {
            return -1;
        }
        final long ms = roundDown ? timeoutNs / 1_000_000L : Math.ceilDiv(timeoutNs, 1_000_000L);
        return (int)Math.min(ms, Integer.MAX_VALUE);
    }
}
