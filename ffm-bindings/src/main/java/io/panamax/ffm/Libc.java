package io.panamax.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import io.panamax.ffm.SyscallFaults.Call;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * POSIX calls present on Linux and macOS: file-descriptor I/O, pipes, fcntl, ioctl FIONREAD, poll, rlimits.
 * <p>
 * Every wrapper takes the caller's call-state segment first ({@link Errno#allocateCallState}), returns the C
 * result when it is non-negative and {@code -errno} otherwise, never throws for a failed call and never
 * allocates. Calls that cannot block are linked critical and must be given off-heap memory. Each wrapper passes
 * through the {@link SyscallFaults} seam, which costs nothing unless the seam is on.
 * <p>
 * <b>Thread-safety:</b> stateless; each thread passes its own call-state segment.
 */
public final class Libc
{
    /** {@code fcntl} command: duplicate a descriptor. */
    public static final int F_DUPFD = Constants.TABLE.value("F_DUPFD");
    /** {@code fcntl} command: get file-descriptor flags. */
    public static final int F_GETFD = Constants.TABLE.value("F_GETFD");
    /** {@code fcntl} command: set file-descriptor flags. */
    public static final int F_SETFD = Constants.TABLE.value("F_SETFD");
    /** {@code fcntl} command: get status flags. */
    public static final int F_GETFL = Constants.TABLE.value("F_GETFL");
    /** {@code fcntl} command: set status flags. */
    public static final int F_SETFL = Constants.TABLE.value("F_SETFL");
    /** {@code fcntl} command: duplicate with close-on-exec (0x406 Linux, 0x43 macOS). */
    public static final int F_DUPFD_CLOEXEC = Constants.TABLE.value("F_DUPFD_CLOEXEC");
    /** True where {@link #F_SETNOSIGPIPE} and {@link #F_GETNOSIGPIPE} exist (macOS). */
    public static final boolean HAS_F_SETNOSIGPIPE = Constants.TABLE.has("F_SETNOSIGPIPE");
    /** macOS only (0 elsewhere): per-descriptor SIGPIPE suppression, pipes included. */
    public static final int F_SETNOSIGPIPE = Constants.TABLE.value("F_SETNOSIGPIPE");
    /** macOS only (0 elsewhere): read the per-descriptor SIGPIPE suppression. */
    public static final int F_GETNOSIGPIPE = Constants.TABLE.value("F_GETNOSIGPIPE");
    /** File-descriptor flag: close on exec. */
    public static final int FD_CLOEXEC = Constants.TABLE.value("FD_CLOEXEC");
    /** {@code open} access mode: read only. */
    public static final int O_RDONLY = Constants.TABLE.value("O_RDONLY");
    /** {@code open} access mode: write only. */
    public static final int O_WRONLY = Constants.TABLE.value("O_WRONLY");
    /** {@code open} access mode: read and write. */
    public static final int O_RDWR = Constants.TABLE.value("O_RDWR");
    /** Status flag: non-blocking (0x800 Linux, 4 macOS). */
    public static final int O_NONBLOCK = Constants.TABLE.value("O_NONBLOCK");
    /** {@code open}/{@code pipe2} flag: close on exec (0x80000 Linux, 0x1000000 macOS). */
    public static final int O_CLOEXEC = Constants.TABLE.value("O_CLOEXEC");
    /** {@code ioctl} request: bytes readable now (0x541b Linux, 0x4004667f macOS). */
    public static final long FIONREAD = Constants.TABLE.longValue("FIONREAD");
    /** {@code getrlimit}/{@code setrlimit} resource: open descriptors (7 Linux, 8 macOS). */
    public static final int RLIMIT_NOFILE = Constants.TABLE.value("RLIMIT_NOFILE");
    /** "No limit" in a {@code struct rlimit} field (all ones on Linux, {@code Long.MAX_VALUE} on macOS). */
    public static final long RLIM_INFINITY = Constants.TABLE.longValue("RLIM_INFINITY");

    private static final FunctionDescriptor IO = FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final FunctionDescriptor IOV = FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    // The hot transfers bypass glibc's cancellation bracket on Linux (RawSyscalls): same handle types either way.
    private static final MethodHandle READ = RawSyscalls.critical("read", IO, RawSyscalls.NR_READ);
    private static final MethodHandle WRITE = RawSyscalls.critical("write", IO, RawSyscalls.NR_WRITE);
    private static final MethodHandle READV = RawSyscalls.critical("readv", IOV, RawSyscalls.NR_READV);
    private static final MethodHandle WRITEV = RawSyscalls.critical("writev", IOV, RawSyscalls.NR_WRITEV);
    // read(2) into a raw address: the buffer travels as a long (the same INTEGER register as a pointer), so the
    // downcall takes no segment for it (no session acquire/release, no slice to make).
    private static final MethodHandle READ_ADDRESS = RawSyscalls.critical("read",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG), RawSyscalls.NR_READ);
    // close(2) can block (SO_LINGER with a timeout), so it is not critical.
    private static final MethodHandle CLOSE = NativeLibrary.blocking("close",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    // dup(2)/dup2(2) only touch the fd table, but dup2 closes its target first, which may block like close(2).
    private static final MethodHandle DUP = NativeLibrary.critical("dup", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle DUP2 = NativeLibrary.blocking("dup2",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle PIPE = NativeLibrary.blocking("pipe",
        FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FCNTL = NativeLibrary.variadic("fcntl",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), 2);
    // open(const char *, int, ...): the mode is variadic.
    private static final MethodHandle OPEN = NativeLibrary.variadic("open",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 2);
    // ioctl(int, unsigned long, ...): the int* is variadic (on macOS arm64 it goes on the stack).
    private static final MethodHandle IOCTL = NativeLibrary.variadicCritical("ioctl",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), 2);
    private static final FunctionDescriptor POLL_DESCRIPTOR = FunctionDescriptor.of(JAVA_INT, ADDRESS,
        PollfdDescriptor.NFDS_IS_LONG ? JAVA_LONG : JAVA_INT, JAVA_INT);
    private static final MethodHandle POLL = NativeLibrary.blockingWithoutErrno("poll", POLL_DESCRIPTOR);
    private static final MethodHandle POLL_QUIET = NativeLibrary.criticalWithoutErrno("poll", POLL_DESCRIPTOR);
    private static final MethodHandle POLL_NOW = NativeLibrary.critical("poll", POLL_DESCRIPTOR);
    private static final FunctionDescriptor RLIMIT = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle GETRLIMIT = NativeLibrary.blocking("getrlimit", RLIMIT);
    private static final MethodHandle SETRLIMIT = NativeLibrary.blocking("setrlimit", RLIMIT);
    private static final MethodHandle STRERROR = NativeLibrary.plain("strerror",
        FunctionDescriptor.of(ADDRESS, JAVA_INT));

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
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.READ, callState))
        {
            return -Errno.errno(callState);
        }
        final long n = SyscallFaults.ENABLED ? shorter(Call.READ, count) : count;
        try
        {
            final long rc = (long)READ.invokeExact(callState, fd, buf, n);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("read", ex);
        }
    }

    /**
     * {@code read(2)} into native memory given by its address: for callers that already hold the address of memory
     * they keep alive for the call (an evbuffer chunk's free tail), saving the segment a {@link #read} needs. Same
     * seam ({@link SyscallFaults.Call#READ}) and results as {@link #read}.
     *
     * @param callState the caller's call-state segment.
     * @param fd        the descriptor.
     * @param address   the address of at least {@code count} writable bytes of native memory that stays allocated
     *                  for the call (the caller's responsibility: nothing checks it).
     * @param count     bytes at most.
     * @return bytes read, 0 at end of file, or {@code -errno}.
     */
    public static long readToAddress(final MemorySegment callState, final int fd, final long address, final long count)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.READ, callState))
        {
            return -Errno.errno(callState);
        }
        final long n = SyscallFaults.ENABLED ? shorter(Call.READ, count) : count;
        try
        {
            final long rc = (long)READ_ADDRESS.invokeExact(callState, fd, address, n);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("read", ex);
        }
    }

    /**
     * {@code write(2)}. On a socket whose peer is gone this raises SIGPIPE, which the JVM ignores (the call then
     * returns {@code -EPIPE}); prefer {@link Sockets#send} with {@link Sockets#MSG_NOSIGNAL} for sockets.
     *
     * @param callState the caller's call-state segment.
     * @param fd        the descriptor.
     * @param buf       off-heap source.
     * @param count     bytes at most.
     * @return bytes written or {@code -errno}.
     */
    public static long write(final MemorySegment callState, final int fd, final MemorySegment buf, final long count)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.WRITE, callState))
        {
            return -Errno.errno(callState);
        }
        final long n = SyscallFaults.ENABLED ? shorter(Call.WRITE, count) : count;
        try
        {
            final long rc = (long)WRITE.invokeExact(callState, fd, buf, n);
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
     * @param iovcnt    entries used, at most {@link IovecDescriptor#IOV_MAX}.
     * @return bytes read, 0 at end of file, or {@code -errno}.
     */
    public static long readv(final MemorySegment callState, final int fd, final MemorySegment iov, final int iovcnt)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.READV, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final long rc = SyscallFaults.ENABLED ?
                vectored(READV, Call.READV, callState, fd, iov, iovcnt) :
                (long)READV.invokeExact(callState, fd, iov, iovcnt);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("readv", ex);
        }
    }

    /**
     * {@code writev(2)}. SIGPIPE as for {@link #write}.
     *
     * @param callState the caller's call-state segment.
     * @param fd        the descriptor.
     * @param iov       an off-heap {@code struct iovec[]} ({@link IovecDescriptor}).
     * @param iovcnt    entries used, at most {@link IovecDescriptor#IOV_MAX}.
     * @return bytes written or {@code -errno}.
     */
    public static long writev(final MemorySegment callState, final int fd, final MemorySegment iov, final int iovcnt)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.WRITEV, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final long rc = SyscallFaults.ENABLED ?
                vectored(WRITEV, Call.WRITEV, callState, fd, iov, iovcnt) :
                (long)WRITEV.invokeExact(callState, fd, iov, iovcnt);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("writev", ex);
        }
    }

    /**
     * {@code close(2)}. Not critical: a socket with {@code SO_LINGER} may block in close.
     *
     * @param callState the caller's call-state segment.
     * @param fd        the descriptor.
     * @return 0 or {@code -errno}.
     */
    public static int close(final MemorySegment callState, final int fd)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.CLOSE, callState))
        {
            return -Errno.errno(callState);
        }
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
     * {@code dup(2)}: a new descriptor (the lowest free number) for the same open file description, without
     * close-on-exec. Events registered on one of the two are not registered on the other.
     *
     * @param callState the caller's call-state segment.
     * @param fd        the descriptor to duplicate.
     * @return the new descriptor or {@code -errno} ({@code -EBADF}, {@code -EMFILE}).
     */
    public static int dup(final MemorySegment callState, final int fd)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.DUP, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final int rc = (int)DUP.invokeExact(callState, fd);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("dup", ex);
        }
    }

    /**
     * {@code dup2(2)}: make {@code newFd} refer to {@code fd}'s open file description, closing what {@code newFd}
     * referred to first (silently); {@code fd == newFd} only checks {@code fd}. Not critical: that close may block.
     *
     * @param callState the caller's call-state segment.
     * @param fd        the descriptor to duplicate.
     * @param newFd     the number the duplicate gets.
     * @return {@code newFd} or {@code -errno}.
     */
    public static int dup2(final MemorySegment callState, final int fd, final int newFd)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.DUP, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final int rc = (int)DUP2.invokeExact(callState, fd, newFd);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("dup2", ex);
        }
    }

    /**
     * {@code open(path, flags, mode)}, e.g. a file for {@link SendFile}. Not critical: it may wait for disk.
     *
     * @param callState the caller's call-state segment.
     * @param path      a NUL-terminated path, off-heap.
     * @param flags     {@link #O_RDONLY}, {@link #O_CLOEXEC}, ... (creating files is not supported: no mode bits).
     * @return the descriptor or {@code -errno}.
     */
    public static int open(final MemorySegment callState, final MemorySegment path, final int flags)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.OPEN, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final int rc = (int)OPEN.invokeExact(callState, path, flags, 0);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("open", ex);
        }
    }

    /**
     * {@code pipe2(fds, flags)} on Linux; {@code pipe(fds)} then {@code fcntl} for each flag on macOS (where
     * both ends also get {@link #F_SETNOSIGPIPE}).
     *
     * @param callState the caller's call-state segment.
     * @param fds       two {@code int}s, off-heap: read end, write end.
     * @param flags     {@link #O_NONBLOCK} and/or {@link #O_CLOEXEC}.
     * @return 0 or {@code -errno}; on failure no descriptor is left open.
     */
    public static int pipe2(final MemorySegment callState, final MemorySegment fds, final int flags)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.PIPE, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            if (Platform.IS_LINUX)
            {
                final int rc = (int)LinuxOnly.PIPE2.invokeExact(callState, fds, flags);
                return rc >= 0 ? rc : -Errno.errno(callState);
            }
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("pipe2", ex);
        }
        return pipeThenFcntl(callState, fds, flags);
    }

    /** macOS's pipe2: {@code pipe}, then {@code fcntl} per end (package-private so Linux tests run it too). */
    static int pipeThenFcntl(final MemorySegment callState, final MemorySegment fds, final int flags)
    {
        final int rc;
        try
        {
            rc = (int)PIPE.invokeExact(callState, fds);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("pipe", ex);
        }
        if (rc < 0)
        {
            return -Errno.errno(callState);
        }
        for (int i = 0; i < 2; i++)
        {
            final int fd = fds.getAtIndex(JAVA_INT, i);
            int set = setFlags(callState, fd, flags);
            if (set >= 0 && HAS_F_SETNOSIGPIPE)
            {
                set = fcntl(callState, fd, F_SETNOSIGPIPE, 1);
            }
            if (set < 0)
            {
                close(callState, fds.getAtIndex(JAVA_INT, 0));
                close(callState, fds.getAtIndex(JAVA_INT, 1));
                return set;
            }
        }
        return 0;
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
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.FCNTL, callState))
        {
            return -Errno.errno(callState);
        }
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
     * {@code ioctl(fd, FIONREAD, intOut)}: how many bytes a read would return now (linked variadic and critical).
     *
     * @param callState the caller's call-state segment.
     * @param fd        a socket or pipe.
     * @param intOut    one off-heap {@code int}, overwritten with the count.
     * @return the count or {@code -errno}.
     */
    public static int ioctlFionread(final MemorySegment callState, final int fd, final MemorySegment intOut)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.IOCTL, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final int rc = (int)IOCTL.invokeExact(callState, fd, FIONREAD, intOut);
            return rc >= 0 ? intOut.get(JAVA_INT, 0) : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("ioctl", ex);
        }
    }

    /**
     * {@code poll(2)}; a zero timeout uses a critical handle, any other a blocking one, and neither captures errno
     * (allocation-free whatever the JIT inlines); when that fails, a zero-timeout critical call that captures errno
     * reports the error.
     *
     * @param callState the caller's call-state segment.
     * @param fds       an off-heap {@code struct pollfd[]} ({@link PollfdDescriptor}).
     * @param nfds      entries used.
     * @param timeoutMs milliseconds to wait; 0 returns at once, -1 waits for ever.
     * @return ready entries, 0 on timeout, or {@code -errno}; a wait a signal interrupted returns the entries ready
     *         right after it (often 0), never {@code -EINTR} (only the fault seam injects that).
     */
    public static int poll(final MemorySegment callState, final MemorySegment fds, final int nfds, final int timeoutMs)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.POLL, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            int rc;
            if (0 != timeoutMs)
            {
                rc = PollfdDescriptor.NFDS_IS_LONG ?
                    (int)POLL.invokeExact(fds, (long)nfds, timeoutMs) :
                    (int)POLL.invokeExact(fds, nfds, timeoutMs);
            }
            else
            {
                rc = PollfdDescriptor.NFDS_IS_LONG ?
                    (int)POLL_QUIET.invokeExact(fds, (long)nfds, 0) :
                    (int)POLL_QUIET.invokeExact(fds, nfds, 0);
            }
            if (rc < 0)
            {
                // Timeout 0, or a blocking wait failed without capturing errno: a zero-timeout call reports an error
                // that persists (EINVAL, EFAULT) and, after a signal (EINTR), the entries ready now.
                rc = PollfdDescriptor.NFDS_IS_LONG ?
                    (int)POLL_NOW.invokeExact(callState, fds, (long)nfds, 0) :
                    (int)POLL_NOW.invokeExact(callState, fds, nfds, 0);
            }
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("poll", ex);
        }
    }

    /**
     * {@code getrlimit(2)}.
     *
     * @param callState the caller's call-state segment.
     * @param resource  e.g. {@link #RLIMIT_NOFILE}.
     * @param rlimit    one off-heap {@code struct rlimit} ({@link RlimitDescriptor}), filled on success.
     * @return 0 or {@code -errno}.
     */
    public static int getrlimit(final MemorySegment callState, final int resource, final MemorySegment rlimit)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.GETRLIMIT, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final int rc = (int)GETRLIMIT.invokeExact(callState, resource, rlimit);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("getrlimit", ex);
        }
    }

    /**
     * {@code setrlimit(2)}.
     *
     * @param callState the caller's call-state segment.
     * @param resource  e.g. {@link #RLIMIT_NOFILE}.
     * @param rlimit    one off-heap {@code struct rlimit} ({@link RlimitDescriptor}) with the new limits.
     * @return 0 or {@code -errno} ({@code -EPERM} when raising the hard limit unprivileged, {@code -EINVAL}
     *     when the soft limit exceeds the hard one).
     */
    public static int setrlimit(final MemorySegment callState, final int resource, final MemorySegment rlimit)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.SETRLIMIT, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final int rc = (int)SETRLIMIT.invokeExact(callState, resource, rlimit);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("setrlimit", ex);
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
            return NativeLibrary.cString(msg, "errno " + errno);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("strerror", ex);
        }
    }

    /** The seam's short count for a scalar transfer: {@code count} or less. */
    static long shorter(final Call call, final long count)
    {
        final long max = SyscallFaults.shortCount(call);
        return max < 0 ? count : Math.min(count, max);
    }

    /**
     * readv/writev through the seam: when a short count is armed, cut the iovec array at that many bytes for one
     * real call (the entry where the cut falls is shortened and restored afterwards).
     */
    private static long vectored(
        final MethodHandle handle, final Call call, final MemorySegment callState, final int fd,
        final MemorySegment iov, final int iovcnt) throws Throwable
    {
        return shortened(call, iov, iovcnt, (n) -> (long)handle.invokeExact(callState, fd, iov, n));
    }

    /**
     * The seam's short count for any vectored call: when one is armed for {@code call}, make the call with the
     * iovec array cut at that many bytes (the entry where the cut falls is shortened and restored afterwards).
     *
     * @param call   the call's seam entry.
     * @param iov    the iovec array.
     * @param iovcnt entries used.
     * @param body   makes the real call with the entry count it is given.
     * @return what {@code body} returned.
     */
    static long shortened(final Call call, final MemorySegment iov, final int iovcnt, final VectoredCall body)
        throws Throwable
    {
        final long max = SyscallFaults.shortCount(call);
        if (max >= 0)
        {
            long total = 0;
            for (int i = 0; i < iovcnt; i++)
            {
                final long lenOffset = i * IovecDescriptor.LENGTH + IovecDescriptor.LEN_OFFSET;
                final long len = iov.get(JAVA_LONG, lenOffset);
                if (total + len >= max)
                {
                    iov.set(JAVA_LONG, lenOffset, max - total);
                    try
                    {
                        return body.call(i + 1);
                    }
                    finally
                    {
                        iov.set(JAVA_LONG, lenOffset, len);
                    }
                }
                total += len;
            }
        }
        return body.call(iovcnt);
    }

    /** A vectored call made with a given iovec count (the seam's short-count path only). */
    @FunctionalInterface
    interface VectoredCall
    {
        /**
         * @param iovcnt the entries to pass.
         * @return the call's raw result.
         * @throws Throwable what {@code invokeExact} may throw.
         */
        long call(int iovcnt) throws Throwable;
    }

    /** Symbols macOS lacks: linked on first use, which only Linux code paths reach. */
    private static final class LinuxOnly
    {
        static final MethodHandle PIPE2 = NativeLibrary.blocking("pipe2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }
}
