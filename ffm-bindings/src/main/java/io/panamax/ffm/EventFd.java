package io.panamax.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Linux {@code eventfd(2)}; read and write it with {@link Libc#read}/{@link Libc#write} of exactly 8 bytes.
 * Linked on first use: touching this class on macOS fails with a clear message.
 * <p>
 * <b>Thread-safety:</b> stateless; each thread passes its own call-state segment.
 */
public final class EventFd
{
    /** Semaphore semantics. */
    public static final int EFD_SEMAPHORE = 0x1;
    /** Non-blocking (= O_NONBLOCK on Linux). */
    public static final int EFD_NONBLOCK = 0x800;
    /** Close on exec (= O_CLOEXEC on Linux). */
    public static final int EFD_CLOEXEC = 0x80000;
    /** Bytes of one eventfd read or write ({@code uint64_t}). */
    public static final int VALUE_LENGTH = 8;

    private static final MethodHandle EVENTFD = NativeLibrary.blocking("eventfd",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

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
        try
        {
            final int rc = (int)EVENTFD.invokeExact(callState, initval, flags);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("eventfd", ex);
        }
    }
}
