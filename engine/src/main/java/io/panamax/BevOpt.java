package io.panamax;

/**
 * Options of a {@link BufferEvent}, with libevent's names ({@code BEV_OPT_*}) and values.
 * <p>
 * <b>Thread-safety:</b> constants only.
 */
public final class BevOpt
{
    /** Closing the bufferevent closes its fd. */
    public static final int CLOSE_ON_FREE = 0x01;
    /**
     * One recursive lock shared by the bufferevent and its two buffers, so other threads may write to it and read
     * from it; reference counting keeps it alive until the last user is done.
     */
    public static final int THREADSAFE = 0x02;
    /** Read, write and event callbacks run from the base's deferred queue, never from inside an operation. */
    public static final int DEFER_CALLBACKS = 0x04;
    /** Deferred callbacks run without the bufferevent's lock; needs {@link #DEFER_CALLBACKS}. */
    public static final int UNLOCK_CALLBACKS = 0x08;

    private BevOpt()
    {
    }
}
