package io.panamax;

/**
 * What each kind of {@link BufferEvent} does its own way (libevent's {@code struct bufferevent_ops}): socket now;
 * pair and filter later.
 * <p>
 * <b>Thread-safety:</b> called with the bufferevent's lock held (when it has one); implementations hand work that
 * needs the loop to the loop thread.
 */
sealed interface BevOps permits SocketBufferEvent
{
    /**
     * Start polling these directions (libevent's {@code enable}).
     *
     * @param what {@link Ev#READ} and/or {@link Ev#WRITE}.
     */
    void opEnable(int what);

    /**
     * Stop polling these directions (libevent's {@code disable}).
     *
     * @param what {@link Ev#READ} and/or {@link Ev#WRITE}.
     */
    void opDisable(int what);

    /**
     * Apply new timeouts to pending events (libevent's {@code adj_timeouts}).
     */
    void opAdjustTimeouts();

    /**
     * Release the kind's resources: events, fd (libevent's {@code destruct}).
     */
    void opDestruct();

    /**
     * libevent's {@code flush}.
     *
     * @param iotype {@link Ev#READ} and/or {@link Ev#WRITE}.
     * @param mode   a {@link BevFlush} mode.
     * @return 0 nothing flushed, 1 something flushed, -1 failure.
     */
    int opFlush(int iotype, int mode);

    /**
     * Work the loop runs for this bufferevent begins (an I/O handler, or its deferred callbacks): output the user
     * adds until the matching {@link #opEndLoopWork} may be written at that end, in the same loop iteration,
     * instead of waiting for writability.
     *
     * @return true for the outermost begin (pass it to {@link #opEndLoopWork}).
     */
    default boolean opBeginLoopWork()
    {
        return false;
    }

    /**
     * Work the loop runs for this bufferevent ends: write what was added meanwhile.
     *
     * @param outermost what the matching {@link #opBeginLoopWork} returned.
     */
    default void opEndLoopWork(final boolean outermost)
    {
    }
}
