package io.panamax;

/**
 * Flags of a {@link ConnListener}, with libevent's names ({@code LEV_OPT_*}) and values
 * ({@code include/event2/listener.h}).
 * <p>
 * <b>Thread-safety:</b> constants only.
 */
public final class LevOpt
{
    /** Leave accepted sockets blocking (by default they are non-blocking). */
    public static final int LEAVE_SOCKETS_BLOCKING = 1;
    /** Closing the listener closes its socket. */
    public static final int CLOSE_ON_FREE = 1 << 1;
    /** Close-on-exec on the listener and on accepted sockets. */
    public static final int CLOSE_ON_EXEC = 1 << 2;
    /** {@code SO_REUSEADDR}; rejected for Unix-domain addresses. */
    public static final int REUSEABLE = 1 << 3;
    /** A lock, so other threads may enable, disable and close the listener. */
    public static final int THREADSAFE = 1 << 4;
    /** Create the listener disabled. */
    public static final int DISABLED = 1 << 5;
    /** {@code TCP_DEFER_ACCEPT} on TCP listeners, as libevent: on Linux only (macOS has no such option). */
    public static final int DEFERRED_ACCEPT = 1 << 6;
    /** {@code SO_REUSEPORT}, for sharding accepts over several loops; rejected for Unix-domain addresses. */
    public static final int REUSEABLE_PORT = 1 << 7;
    /** {@code IPV6_V6ONLY} on. */
    public static final int BIND_IPV6ONLY = 1 << 8;
    /** {@code IPV6_V6ONLY} off. */
    public static final int BIND_IPV4_AND_IPV6 = 1 << 9;

    private LevOpt()
    {
    }
}
