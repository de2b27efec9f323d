package io.panamax.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * POSIX calls present on Linux and macOS: file-descriptor I/O, pipes, fcntl and poll.
 * <p>
 * Every wrapper takes the caller's call-state segment first ({@link Errno#allocateCallState}), returns the C
 * result when it is non-negative and {@code -errno} otherwise, never throws for a failed call and never
 * allocates. Calls that cannot block are linked critical and must be given off-heap memory.
 * <p>
 * <b>Thread-safety:</b> stateless; each thread passes its own call-state segment.
 */
@SuppressWarnings("restricted")
public final class Libc
{
    /** {@code fcntl} command: get file-descriptor flags. */
    public static final int F_GETFD = 1;
    /** {@code fcntl} command: set file-descriptor flags. */
    public static final int F_SETFD = 2;
    /** {@code fcntl} command: get status flags. */
    public static final int F_GETFL = 3;
    /** {@code fcntl} command: set status flags. */
    public static final int F_SETFL = 4;
    /** File-descriptor flag: close on exec. */
    public static final int FD_CLOEXEC = 1;
    /** Status flag: non-blocking (0x800 Linux, 4 macOS). */
    public static final int O_NONBLOCK = Constants.PLATFORM.pick(0x800, 0x4);
    /** {@code open}/{@code pipe2} flag: close on exec (0x80000 Linux, 0x1000000 macOS). */
    public static final int O_CLOEXEC = Constants.PLATFORM.pick(0x80000, 0x1000000);

    private static final MethodHandle READ = NativeLibrary.critical("read",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = NativeLibrary.critical("write",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle READV = NativeLibrary.critical("readv",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle WRITEV = NativeLibrary.critical("writev",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    // close(2) can block (SO_LINGER with a timeout), so it is not critical.
    private static final MethodHandle CLOSE = NativeLibrary.blocking("close",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle PIPE = NativeLibrary.blocking("pipe",
        FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FCNTL = NativeLibrary.variadic("fcntl",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), 2);
    private static final FunctionDescriptor POLL_DESCRIPTOR = FunctionDescriptor.of(JAVA_INT, ADDRESS,
        PollfdDescriptor.NFDS_IS_LONG ? JAVA_LONG : JAVA_INT, JAVA_INT);
    private static final MethodHandle POLL = NativeLibrary.blocking("poll", POLL_DESCRIPTOR);
    private static final MethodHandle POLL_NOW = NativeLibrary.critical("poll", POLL_DESCRIPTOR);
    private static final MethodHandle STRERROR = NativeLibrary.LINKER.downcallHandle(
        NativeLibrary.find("strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc()
    {
    }

    /**
     * {@code read(2)}.
     *
     * @param callState the caller's call-state segment.
     * @param fd        the descriptor.
     * @param buf       off-heap destination.
     * @param count     bytes at most.
     * @return bytes read, 0 at end of file, or {@code -errno}.
     */
    public static long read(final MemorySegment callState, final int fd, final MemorySegment buf, final long count)
    {
        try
        {
            final long rc = (long)READ.invokeExact(callState, fd, buf, count);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("read", ex);
        }
    }

    /**
     * {@code write(2)}.
     *
     * @param callState the caller's call-state segment.
     * @param fd        the descriptor.
     * @param buf       off-heap source.
     * @param count     bytes at most.
     * @return bytes written or {@code -errno}.
     */
    public static long write(final MemorySegment callState, final int fd, final MemorySegment buf, final long count)
    {
        try
        {
            final long rc = (long)WRITE.invokeExact(callState, fd, buf, count);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("write", ex);
        }
    }

    /**
     * {@code readv(2)}.
     *
     * @param callState the caller's call-state segment.
     * @param fd        the descriptor.
     * @param iov       an off-heap {@code struct iovec[]} ({@link IovecDescriptor}).
     * @param iovcnt    entries used.
     * @return bytes read, 0 at end of file, or {@code -errno}.
     */
    public static long readv(final MemorySegment callState, final int fd, final MemorySegment iov, final int iovcnt)
    {
        try
        {
            final long rc = (long)READV.invokeExact(callState, fd, iov, iovcnt);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("readv", ex);
        }
    }

    /**
     * {@code writev(2)}.
     *
     * @param callState the caller's call-state segment.
     * @param fd        the descriptor.
     * @param iov       an off-heap {@code struct iovec[]} ({@link IovecDescriptor}).
     * @param iovcnt    entries used.
     * @return bytes written or {@code -errno}.
     */
    public static long writev(final MemorySegment callState, final int fd, final MemorySegment iov, final int iovcnt)
    {
        try
        {
            final long rc = (long)WRITEV.invokeExact(callState, fd, iov, iovcnt);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("writev", ex);
        }
    }

    /**
     * {@code close(2)}.
     *
     * @param callState the caller's call-state segment.
     * @param fd        the descriptor.
     * @return 0 or {@code -errno}.
     */
    public static int close(final MemorySegment callState, final int fd)
    {
        try
        {
            final int rc = (int)CLOSE.invokeExact(callState, fd);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("close", ex);
        }
    }

    /**
     * {@code pipe2(fds, flags)} on Linux; {@code pipe(fds)} then {@code fcntl} for each flag on macOS.
     *
     * @param callState the caller's call-state segment.
     * @param fds       two {@code int}s, off-heap: read end, write end.
     * @param flags     {@link #O_NONBLOCK} and/or {@link #O_CLOEXEC}.
     * @return 0 or {@code -errno}.
     */
    public static int pipe2(final MemorySegment callState, final MemorySegment fds, final int flags)
    {
        try
        {
            if (Platform.IS_LINUX)
            {
                final int rc = (int)LinuxOnly.PIPE2.invokeExact(callState, fds, flags);
                return rc >= 0 ? rc : -Errno.errno(callState);
            }
            final int rc = (int)PIPE.invokeExact(callState, fds);
            if (rc < 0)
            {
                return -Errno.errno(callState);
            }
            for (int i = 0; i < 2; i++)
            {
                final int fd = fds.getAtIndex(JAVA_INT, i);
                final int set = setFlags(callState, fd, flags);
                if (set < 0)
                {
                    close(callState, fds.getAtIndex(JAVA_INT, 0));
                    close(callState, fds.getAtIndex(JAVA_INT, 1));
                    return set;
                }
            }
            return 0;
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("pipe2", ex);
        }
    }

    /**
     * {@code fcntl(fd, cmd, arg)} with an {@code int} argument (linked variadic, as macOS arm64 requires).
     *
     * @param callState the caller's call-state segment.
     * @param fd        the descriptor.
     * @param cmd       e.g. {@link #F_GETFL}, {@link #F_SETFL}.
     * @param arg       the argument; 0 for the getters.
     * @return the C result or {@code -errno}.
     */
    public static int fcntl(final MemorySegment callState, final int fd, final int cmd, final int arg)
    {
        try
        {
            final int rc = (int)FCNTL.invokeExact(callState, fd, cmd, arg);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("fcntl", ex);
        }
    }

    /**
     * Add {@link #O_NONBLOCK} and/or close-on-exec to a descriptor (read-modify-write of the flags).
     *
     * @param callState the caller's call-state segment.
     * @param fd        the descriptor.
     * @param flags     {@link #O_NONBLOCK} and/or {@link #O_CLOEXEC}.
     * @return 0 or {@code -errno}.
     */
    public static int setFlags(final MemorySegment callState, final int fd, final int flags)
    {
        if (0 != (flags & O_NONBLOCK))
        {
            final int fl = fcntl(callState, fd, F_GETFL, 0);
            if (fl < 0)
            {
                return fl;
            }
            final int rc = fcntl(callState, fd, F_SETFL, fl | O_NONBLOCK);
            if (rc < 0)
            {
                return rc;
            }
        }
        if (0 != (flags & O_CLOEXEC))
        {
            final int rc = fcntl(callState, fd, F_SETFD, FD_CLOEXEC);
            if (rc < 0)
            {
                return rc;
            }
        }
        return 0;
    }

    /**
     * {@code poll(2)}; a zero timeout uses a critical handle, any other may block and does not.
     *
     * @param callState the caller's call-state segment.
     * @param fds       an off-heap {@code struct pollfd[]} ({@link PollfdDescriptor}).
     * @param nfds      entries used.
     * @param timeoutMs milliseconds to wait; 0 returns at once, -1 waits for ever.
     * @return ready entries, 0 on timeout, or {@code -errno}.
     */
    public static int poll(final MemorySegment callState, final MemorySegment fds, final int nfds, final int timeoutMs)
    {
        try
        {
            final int rc;
            if (PollfdDescriptor.NFDS_IS_LONG)
            {
                rc = 0 == timeoutMs ?
                    (int)POLL_NOW.invokeExact(callState, fds, (long)nfds, timeoutMs) :
                    (int)POLL.invokeExact(callState, fds, (long)nfds, timeoutMs);
            }
            else
            {
                rc = 0 == timeoutMs ?
                    (int)POLL_NOW.invokeExact(callState, fds, nfds, timeoutMs) :
                    (int)POLL.invokeExact(callState, fds, nfds, timeoutMs);
            }
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("poll", ex);
        }
    }

    /**
     * {@code strerror(3)}, for messages on the setup path (allocates a String).
     *
     * @param errno a positive errno value.
     * @return the C library's message.
     */
    public static String strerror(final int errno)
    {
        try
        {
            final MemorySegment msg = (MemorySegment)STRERROR.invokeExact(errno);
            return MemorySegment.NULL.equals(msg) ? "errno " + errno : msg.reinterpret(1024).getString(0);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("strerror", ex);
        }
    }

    /** Symbols macOS lacks: linked on first use, which only Linux code paths reach. */
    private static final class LinuxOnly
    {
        static final MethodHandle PIPE2 = NativeLibrary.blocking("pipe2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }
}
