package io.panamax.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import io.panamax.ffm.SyscallFaults.Call;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Linux {@code eventfd(2)}; read and write it with {@link Libc#read}/{@link Libc#write} of exactly 8 bytes.
 * Linux only: the constants are 0 on macOS, and {@code eventfd} is linked on its first call (a holder class), which
 * on macOS fails with a clear message.
 * <p>
 * <b>Thread-safety:</b> stateless; each thread passes its own call-state segment.
 */
public final class EventFd
{
    /** Semaphore semantics. */
    public static final int EFD_SEMAPHORE = Constants.TABLE.value("EFD_SEMAPHORE");
    /** Non-blocking (= O_NONBLOCK on Linux). */
    public static final int EFD_NONBLOCK = Constants.TABLE.value("EFD_NONBLOCK");
    /** Close on exec (= O_CLOEXEC on Linux). */
    public static final int EFD_CLOEXEC = Constants.TABLE.value("EFD_CLOEXEC");
    /** Bytes of one eventfd read or write ({@code uint64_t}). */
    public static final int VALUE_LENGTH = 8;

    private EventFd()
    {
    }

    /**
     * {@code eventfd(initval, flags)}.
     *
     * @param callState the caller's call-state segment.
     * @param initval   the initial counter.
     * @param flags     {@link #EFD_NONBLOCK}, {@link #EFD_CLOEXEC}, {@link #EFD_SEMAPHORE}.
     * @return the descriptor or {@code -errno}.
     */
    public static int eventfd(final MemorySegment callState, final int initval, final int flags)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.EVENTFD, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final int rc = (int)LinuxOnly.EVENTFD.invokeExact(callState, initval, flags);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("eventfd", ex);
        }
    }

    /** {@code eventfd}, linked on first use: macOS lacks it. */
    private static final class LinuxOnly
    {
        static final MethodHandle EVENTFD = NativeLibrary.blocking("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }
}
