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
}
