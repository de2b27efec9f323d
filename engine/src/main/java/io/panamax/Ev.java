package io.panamax;

/**
 * Event flags, with libevent's names ({@code EV_*}) and values ({@code include/event2/event.h}).
 * <p>
 * <b>Thread-safety:</b> constants only.
 */
public final class Ev
{
    /** The event's timeout expired (never needed at creation). */
    public static final int TIMEOUT = 0x01;
    /** The fd is readable. */
    public static final int READ = 0x02;
    /** The fd is writable. */
    public static final int WRITE = 0x04;
    /** A signal arrived; the event's fd is the signal number. Cannot be combined with READ, WRITE or CLOSED. */
    public static final int SIGNAL = 0x08;
    /** The event stays pending after it fires; with a timeout, the timeout is re-armed on each fire. */
    public static final int PERSIST = 0x10;
    /** Edge-triggered, where the backend supports it ({@link EventBaseConfig#FEATURE_ET}). */
    public static final int ET = 0x20;
    /** libevent's {@code EV_FINALIZE}; accepted for compatibility, it changes nothing in Panamax. */
    public static final int FINALIZE = 0x40;
    /** The peer closed or shut down its write side ({@link EventBaseConfig#FEATURE_EARLY_CLOSE}). */
    public static final int CLOSED = 0x80;

    private Ev()
    {
    }
}
