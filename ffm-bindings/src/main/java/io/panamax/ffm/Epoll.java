package io.panamax.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Linux epoll (native-abi.md §3.9). Linked on first use: touching this class on macOS fails with a clear message.
 * <p>
 * Wrappers return the C result or {@code -errno}, never throw for a failed call and never allocate.
 * <p>
 * <b>Thread-safety:</b> stateless; each thread passes its own call-state segment.
 */
public final class Epoll
{
    /** Register a descriptor. */
    public static final int EPOLL_CTL_ADD = 1;
    /** Remove a descriptor. */
    public static final int EPOLL_CTL_DEL = 2;
    /** Change a registration. */
    public static final int EPOLL_CTL_MOD = 3;
    /** Readable. */
    public static final int EPOLLIN = 0x1;
    /** Urgent data. */
    public static final int EPOLLPRI = 0x2;
    /** Writable. */
    public static final int EPOLLOUT = 0x4;
    /** Error (always reported). */
    public static final int EPOLLERR = 0x8;
    /** Hang-up (always reported). */
    public static final int EPOLLHUP = 0x10;
    /** Peer closed or shut down writing. */
    public static final int EPOLLRDHUP = 0x2000;
    /** Wake one waiter only (ADD only). */
    public static final int EPOLLEXCLUSIVE = 0x10000000;
    /** Disarm after one event. */
    public static final int EPOLLONESHOT = 0x40000000;
    /** Edge-triggered (1 &lt;&lt; 31). */
    public static final int EPOLLET = 0x80000000;
    /** {@code epoll_create1} flag: close on exec (= O_CLOEXEC). */
    public static final int EPOLL_CLOEXEC = 0x80000;

    private static final FunctionDescriptor WAIT = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle EPOLL_CREATE1 = NativeLibrary.blocking("epoll_create1",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL = NativeLibrary.critical("epoll_ctl",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    // A critical call holds off every safepoint until it returns: critical only for timeout 0.
    private static final MethodHandle EPOLL_WAIT = NativeLibrary.blocking("epoll_wait", WAIT);
    private static final MethodHandle EPOLL_WAIT_NOW = NativeLibrary.critical("epoll_wait", WAIT);

    private Epoll()
    {
    }

    /**
     * {@code epoll_create1(2)}.
     *
     * @param callState the caller's call-state segment.
     * @param flags     0 or {@link #EPOLL_CLOEXEC}.
     * @return the epoll descriptor or {@code -errno}.
     */
    public static int epollCreate1(final MemorySegment callState, final int flags)
    {
        try
        {
            final int rc = (int)EPOLL_CREATE1.invokeExact(callState, flags);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("epoll_create1", ex);
        }
    }

    /**
     * {@code epoll_ctl(2)}.
     *
     * @param callState the caller's call-state segment.
     * @param epfd      the epoll descriptor.
     * @param op        {@link #EPOLL_CTL_ADD}, {@link #EPOLL_CTL_MOD} or {@link #EPOLL_CTL_DEL}.
     * @param fd        the target descriptor.
     * @param event     one off-heap {@code epoll_event} ({@link EpollEventDescriptor}); ignored for DEL.
     * @return 0 or {@code -errno}.
     */
    public static int epollCtl(
        final MemorySegment callState, final int epfd, final int op, final int fd, final MemorySegment event)
    {
        try
        {
            final int rc = (int)EPOLL_CTL.invokeExact(callState, epfd, op, fd, event);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("epoll_ctl", ex);
        }
    }

    /**
     * {@code epoll_wait(2)}; timeout 0 uses a critical handle, any other does not.
     *
     * @param callState the caller's call-state segment.
     * @param epfd      the epoll descriptor.
     * @param events    an off-heap {@code epoll_event[]} of at least {@code maxEvents} entries.
     * @param maxEvents entries available.
     * @param timeoutMs milliseconds; 0 returns at once, -1 waits for ever.
     * @return ready entries, 0 on timeout, or {@code -errno} ({@code -EINTR} when a signal interrupted it).
     */
    public static int epollWait(
        final MemorySegment callState, final int epfd, final MemorySegment events, final int maxEvents,
        final int timeoutMs)
    {
        try
        {
            final int rc = 0 == timeoutMs ?
                (int)EPOLL_WAIT_NOW.invokeExact(callState, epfd, events, maxEvents, timeoutMs) :
                (int)EPOLL_WAIT.invokeExact(callState, epfd, events, maxEvents, timeoutMs);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("epoll_wait", ex);
        }
    }
}
