package io.panamax.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Socket calls and their constants (native-abi.md §3.3–§3.6).
 * <p>
 * Wrappers return the C result or {@code -errno}, never throw for a failed call and never allocate.
 * <p>
 * <b>Thread-safety:</b> stateless; each thread passes its own call-state segment.
 */
public final class Sockets
{
    /** Unix-domain sockets. */
    public static final int AF_UNIX = 1;
    /** IPv4. */
    public static final int AF_INET = 2;
    /** IPv6 (10 Linux, 30 macOS). */
    public static final int AF_INET6 = Constants.PLATFORM.pick(10, 30);
    /** Stream socket. */
    public static final int SOCK_STREAM = 1;

    private static final MethodHandle SOCKETPAIR = NativeLibrary.blocking("socketpair",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));

    private Sockets()
    {
    }

    /**
     * {@code socketpair(2)}.
     *
     * @param callState the caller's call-state segment.
     * @param domain    {@link #AF_UNIX}.
     * @param type      {@link #SOCK_STREAM}.
     * @param protocol  0.
     * @param fds       two {@code int}s, off-heap.
     * @return 0 or {@code -errno}.
     */
    public static int socketpair(
        final MemorySegment callState, final int domain, final int type, final int protocol, final MemorySegment fds)
    {
        try
        {
            final int rc = (int)SOCKETPAIR.invokeExact(callState, domain, type, protocol, fds);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("socketpair", ex);
        }
    }
}
