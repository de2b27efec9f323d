package io.panamax.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import io.panamax.ffm.SyscallFaults.Call;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Linux epoll (native-abi.md §3.9). The constants are Linux-only (0 on macOS). The functions are linked on their
 * first call, in a holder class: on macOS that first call fails with a clear message, and nothing else does.
 * <p>
 * Wrappers return the C result or {@code -errno}, never throw for a failed call and never allocate.
 * <p>
 * <b>Thread-safety:</b> stateless; each thread passes its own call-state segment.
 */
public final class Epoll
{
    /** Register a descriptor. */
    public static final int EPOLL_CTL_ADD = Constants.TABLE.value("EPOLL_CTL_ADD");
    /** Remove a descriptor. */
    public static final int EPOLL_CTL_DEL = Constants.TABLE.value("EPOLL_CTL_DEL");
    /** Change a registration. */
    public static final int EPOLL_CTL_MOD = Constants.TABLE.value("EPOLL_CTL_MOD");
    /** Readable. */
    public static final int EPOLLIN = Constants.TABLE.value("EPOLLIN");
    /** Urgent data. */
    public static final int EPOLLPRI = Constants.TABLE.value("EPOLLPRI");
    /** Writable. */
    public static final int EPOLLOUT = Constants.TABLE.value("EPOLLOUT");
    /** Error (always reported). */
    public static final int EPOLLERR = Constants.TABLE.value("EPOLLERR");
    /** Hang-up (always reported). */
    public static final int EPOLLHUP = Constants.TABLE.value("EPOLLHUP");
    /** Peer closed or shut down writing. */
    public static final int EPOLLRDHUP = Constants.TABLE.value("EPOLLRDHUP");
    /** Wake one waiter only (ADD only). */
    public static final int EPOLLEXCLUSIVE = Constants.TABLE.value("EPOLLEXCLUSIVE");
    /** Keep the system from suspending while the event is pending (needs CAP_BLOCK_SUSPEND). */
    public static final int EPOLLWAKEUP = Constants.TABLE.value("EPOLLWAKEUP");
    /** Disarm after one event. */
    public static final int EPOLLONESHOT = Constants.TABLE.value("EPOLLONESHOT");
    /** Edge-triggered (1 &lt;&lt; 31). */
    public static final int EPOLLET = Constants.TABLE.value("EPOLLET");
    /** {@code epoll_create1} flag: close on exec (= O_CLOEXEC). */
    public static final int EPOLL_CLOEXEC = Constants.TABLE.value("EPOLL_CLOEXEC");

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
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.EPOLL_CREATE, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final int rc = (int)LinuxOnly.EPOLL_CREATE1.invokeExact(callState, flags);
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
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.EPOLL_CTL, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final int rc = (int)LinuxOnly.EPOLL_CTL.invokeExact(callState, epfd, op, fd, event);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("epoll_ctl", ex);
        }
    }

    /**
     * {@code epoll_wait(2)}; timeout 0 uses a critical handle, any other a blocking one, and neither captures errno
     * (allocation-free whatever the JIT inlines); when that fails, a zero-timeout critical call that captures errno
     * reports the error.
     *
     * @param callState the caller's call-state segment.
     * @param epfd      the epoll descriptor.
     * @param events    an off-heap {@code epoll_event[]} of at least {@code maxEvents} entries.
     * @param maxEvents entries available.
     * @param timeoutMs milliseconds; 0 returns at once, -1 waits for ever.
     * @return ready entries, 0 on timeout, or {@code -errno}; a wait a signal interrupted returns the entries ready
     *         right after it (often 0), never {@code -EINTR} (only the fault seam injects that).
     */
    public static int epollWait(
        final MemorySegment callState, final int epfd, final MemorySegment events, final int maxEvents,
        final int timeoutMs)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.EPOLL_WAIT, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            int rc = 0 != timeoutMs ?
                (int)LinuxOnly.EPOLL_WAIT.invokeExact(epfd, events, maxEvents, timeoutMs) :
                (int)LinuxOnly.EPOLL_WAIT_QUIET.invokeExact(epfd, events, maxEvents, 0);
            if (rc < 0)
            {
                // Timeout 0, or a blocking wait failed without capturing errno: a zero-timeout call reports an error
                // that persists (EBADF, EINVAL, EFAULT) and, after a signal (EINTR), the entries ready now.
                rc = (int)LinuxOnly.EPOLL_WAIT_NOW.invokeExact(callState, epfd, events, maxEvents, 0);
            }
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("epoll_wait", ex);
        }
    }

    /** The epoll functions, linked on first use: macOS lacks them. */
    private static final class LinuxOnly
    {
        static final FunctionDescriptor WAIT = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
        static final MethodHandle EPOLL_CREATE1 = NativeLibrary.blocking("epoll_create1",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle EPOLL_CTL = NativeLibrary.critical("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        // A critical call holds off every safepoint until it returns: critical only for timeout 0. Both bypass glibc's
        // cancellation bracket (RawSyscalls); aarch64 has only epoll_pwait, called with a null signal mask.
        static final MethodHandle EPOLL_WAIT = RawSyscalls.blockingWithoutErrno("epoll_wait", WAIT,
            RawSyscalls.NR_EPOLL_WAIT, RawSyscalls.NULL, RawSyscalls.KERNEL_SIGSET_BYTES);
        static final MethodHandle EPOLL_WAIT_QUIET = RawSyscalls.criticalWithoutErrno("epoll_wait", WAIT,
            RawSyscalls.NR_EPOLL_WAIT, RawSyscalls.NULL, RawSyscalls.KERNEL_SIGSET_BYTES);
        static final MethodHandle EPOLL_WAIT_NOW = RawSyscalls.critical("epoll_wait", WAIT,
            RawSyscalls.NR_EPOLL_WAIT, RawSyscalls.NULL, RawSyscalls.KERNEL_SIGSET_BYTES);
    }
}
