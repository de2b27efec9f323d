package io.panamax.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import io.panamax.ffm.SyscallFaults.Call;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code sendfile}: a different function on each OS (native-abi.md §4.6), behind <b>one</b> Java entry point,
 * {@link #sendfile}, with one meaning on both.
 * <ul>
 *   <li>Linux: {@code ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count)} — socket first,
 *       offset in/out through a pointer, bytes sent returned.</li>
 *   <li>macOS: {@code int sendfile(int fd, int s, off_t offset, off_t *len, struct sf_hdtr *hdtr, int flags)} —
 *       file first, offset by value, bytes sent in {@code *len} (also on {@code EAGAIN}/{@code EINTR}, when some
 *       were sent before the error), 0 returned.</li>
 * </ul>
 * Each OS's function is linked in its own holder class, so neither is linked on the other OS.
 * <p>
 * <b>Thread-safety:</b> stateless; each thread passes its own call-state and scratch segments.
 */
public final class SendFile
{
    /** Bytes of caller-owned scratch {@link #sendfile} needs (one {@code off_t}). */
    public static final long SCRATCH_LENGTH = Long.BYTES;
    /** Bytes of caller-owned scratch {@link #sendfileNoSigpipe} needs (an {@code off_t}, three sigsets, an int). */
    public static final long NOSIGPIPE_SCRATCH_LENGTH = 2 * Long.BYTES + 3 * Signals.SIGSET_LENGTH;

    private SendFile()
    {
    }

    /**
     * Send {@code count} bytes of a regular file, from {@code offset}, to a stream socket, without copying them
     * through user space. The file position is not used or changed. Not critical: it may wait for disk.
     *
     * @param callState the caller's call-state segment.
     * @param socketFd  a connected stream socket (non-blocking for an event loop).
     * @param fileFd    a regular file open for reading.
     * @param offset    where in the file to start.
     * @param count     bytes to send, at least 1.
     * @param scratch   {@link #SCRATCH_LENGTH} caller-owned off-heap bytes.
     * @return bytes sent (possibly fewer than {@code count}; on macOS also when the call failed after sending
     *     some), or {@code -errno} when nothing was sent ({@code -EAGAIN} on a full socket buffer).
     */
    public static long sendfile(
        final MemorySegment callState, final int socketFd, final int fileFd, final long offset, final long count,
        final MemorySegment scratch)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.SENDFILE, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            if (Platform.IS_LINUX)
            {
                scratch.set(JAVA_LONG, 0, offset);
                final long rc = (long)LinuxOnly.SENDFILE.invokeExact(callState, socketFd, fileFd, scratch, count);
                return rc >= 0 ? rc : -Errno.errno(callState);
            }
            scratch.set(JAVA_LONG, 0, count);
            final int rc = (int)MacOnly.SENDFILE.invokeExact(
                callState, fileFd, socketFd, offset, scratch, MemorySegment.NULL, 0);
            final long sent = scratch.get(JAVA_LONG, 0);
            return rc >= 0 || sent > 0 ? sent : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("sendfile", ex);
        }
    }

    /**
     * {@link #sendfile} that never leaves a SIGPIPE behind: sendfile has no {@code MSG_NOSIGNAL}, and on Linux a
     * peer that is gone makes it raise SIGPIPE. SIGPIPE is blocked on the calling thread for the call; if the call
     * fails with EPIPE and raised one, it is taken ({@code sigwait}, only when {@code sigpending} shows it, so it
     * never waits), unless one was already pending before; then the thread's mask is restored. Two
     * {@code pthread_sigmask} calls per send (plus {@code sigpending} when SIGPIPE was blocked already or the
     * send failed with EPIPE).
     *
     * @param callState the caller's call-state segment.
     * @param socketFd  a connected stream socket (non-blocking for an event loop).
     * @param fileFd    a regular file open for reading.
     * @param offset    where in the file to start.
     * @param count     bytes to send, at least 1.
     * @param scratch   {@link #NOSIGPIPE_SCRATCH_LENGTH} caller-owned off-heap bytes.
     * @return as {@link #sendfile}.
     */
    public static long sendfileNoSigpipe(
        final MemorySegment callState, final int socketFd, final int fileFd, final long offset, final long count,
        final MemorySegment scratch)
    {
        final long setLength = Signals.SIGSET_LENGTH;
        final MemorySegment pipe = scratch.asSlice(Long.BYTES, setLength);
        final MemorySegment old = scratch.asSlice(Long.BYTES + setLength, setLength);
        final MemorySegment pending = scratch.asSlice(Long.BYTES + 2 * setLength, setLength);
        Signals.sigsetAdd(pipe, Signals.SIGPIPE);
        if (Signals.pthreadSigmask(callState, Signals.SIG_BLOCK, pipe, old) < 0)
        {
            return sendfile(callState, socketFd, fileFd, offset, count, scratch);
        }
        final boolean wasBlocked = Signals.sigsetHas(old, Signals.SIGPIPE);
        final boolean pendingBefore = wasBlocked && sigpipePending(callState, pending);
        final long rc = sendfile(callState, socketFd, fileFd, offset, count, scratch);
        if (-Errno.EPIPE == rc && !pendingBefore && sigpipePending(callState, pending))
        {
            Signals.sigwait(callState, pipe, scratch.asSlice(Long.BYTES + 3 * setLength, Integer.BYTES));
        }
        if (!wasBlocked)
        {
            Signals.pthreadSigmask(callState, Signals.SIG_SETMASK, old, MemorySegment.NULL);
        }
        return rc;
    }

    private static boolean sigpipePending(final MemorySegment callState, final MemorySegment pending)
    {
        return 0 == Signals.sigpending(callState, pending) && Signals.sigsetHas(pending, Signals.SIGPIPE);
    }

    /** Linux's sendfile, linked on first use. */
    private static final class LinuxOnly
    {
        static final MethodHandle SENDFILE = NativeLibrary.blocking("sendfile",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    }

    /** macOS's sendfile, linked on first use. */
    private static final class MacOnly
    {
        static final MethodHandle SENDFILE = NativeLibrary.blocking("sendfile",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT));
    }
}
