package io.panamax;

/**
 * Modes of {@link BufferEvent#flush}, libevent's {@code enum bufferevent_flush_mode}.
 * <p>
 * <b>Thread-safety:</b> constants only.
 */
public final class BevFlush
{
    /** libevent's {@code BEV_NORMAL}: usual processing. */
    public static final int NORMAL = 0;
    /** libevent's {@code BEV_FLUSH}: push all data out now. */
    public static final int FLUSH = 1;
    /** libevent's {@code BEV_FINISHED}: push everything out and signal that no more is coming. */
    public static final int FINISHED = 2;

    private BevFlush()
    {
    }
}
