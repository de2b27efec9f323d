package io.panamax;

/**
 * Options of {@link BufferEvent#trigger} and {@link BufferEvent#triggerEvent}, with libevent's names
 * ({@code BEV_TRIG_*}) and values.
 * <p>
 * <b>Thread-safety:</b> constants only.
 */
public final class BevTrig
{
    /** Run the callback even when the watermark is not met. */
    public static final int IGNORE_WATERMARKS = 1 << 16;
    /** Run the callback later, from the base's deferred queue (equal to {@link BevOpt#DEFER_CALLBACKS}). */
    public static final int DEFER_CALLBACKS = BevOpt.DEFER_CALLBACKS;

    private BevTrig()
    {
    }
}
