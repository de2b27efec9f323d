package io.panamax.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import io.panamax.ffm.SyscallFaults.Call;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * macOS kqueue (native-abi.md §3.10–§3.12, §5.1–§5.3). The constants are macOS-only (0 on Linux); the functions are
 * linked on their first call, in a holder class, so Linux never links them (there the first call fails with a
 * clear message). Arrays of {@code struct kevent} are described by {@link KeventDescriptor}.
 * <p>
 * <b>Thread-safety:</b> stateless; each thread passes its own call-state segment.
 */
public final class Kqueue
{
    /** Readable (data = bytes readable, or the accept backlog). */
    public static final short EVFILT_READ = (short)Constants.TABLE.value("EVFILT_READ");
    /** Writable (data = free send-buffer space). */
    public static final short EVFILT_WRITE = (short)Constants.TABLE.value("EVFILT_WRITE");
    /** Asynchronous I/O (unsupported by macOS). */
    public static final short EVFILT_AIO = (short)Constants.TABLE.value("EVFILT_AIO");
    /** File changes. */
    public static final short EVFILT_VNODE = (short)Constants.TABLE.value("EVFILT_VNODE");
    /** Process events. */
    public static final short EVFILT_PROC = (short)Constants.TABLE.value("EVFILT_PROC");
    /** Signal delivered to the process (ident = signal number). */
    public static final short EVFILT_SIGNAL = (short)Constants.TABLE.value("EVFILT_SIGNAL");
    /** Timer (ident = any id, data = period). */
    public static final short EVFILT_TIMER = (short)Constants.TABLE.value("EVFILT_TIMER");
    /** Mach port. */
    public static final short EVFILT_MACHPORT = (short)Constants.TABLE.value("EVFILT_MACHPORT");
    /** File-system events. */
    public static final short EVFILT_FS = (short)Constants.TABLE.value("EVFILT_FS");
    /** User event: the cross-thread wake-up (trigger with NOTE_TRIGGER). */
    public static final short EVFILT_USER = (short)Constants.TABLE.value("EVFILT_USER");
    /** Virtual-memory events. */
    public static final short EVFILT_VM = (short)Constants.TABLE.value("EVFILT_VM");
    /** Exceptional conditions (out-of-band data). */
    public static final short EVFILT_EXCEPT = (short)Constants.TABLE.value("EVFILT_EXCEPT");
    /** Add (or modify) the event. */
    public static final int EV_ADD = Constants.TABLE.value("EV_ADD");
    /** Delete the event. */
    public static final int EV_DELETE = Constants.TABLE.value("EV_DELETE");
    /** Enable delivery. */
    public static final int EV_ENABLE = Constants.TABLE.value("EV_ENABLE");
    /** Disable delivery, keep the registration. */
    public static final int EV_DISABLE = Constants.TABLE.value("EV_DISABLE");
    /** Delete after one delivery. */
    public static final int EV_ONESHOT = Constants.TABLE.value("EV_ONESHOT");
    /** Reset state after delivery: edge-triggered. */
    public static final int EV_CLEAR = Constants.TABLE.value("EV_CLEAR");
    /** Return an EV_ERROR record (data 0 = ok) for each change. */
    public static final int EV_RECEIPT = Constants.TABLE.value("EV_RECEIPT");
    /** Disable after delivery (like EPOLLONESHOT). */
    public static final int EV_DISPATCH = Constants.TABLE.value("EV_DISPATCH");
    /** Registration is unique per udata. */
    public static final int EV_UDATA_SPECIFIC = Constants.TABLE.value("EV_UDATA_SPECIFIC");
    /** EV_DISPATCH | EV_UDATA_SPECIFIC. */
    public static final int EV_DISPATCH2 = Constants.TABLE.value("EV_DISPATCH2");
    /** Returned: the source vanished. */
    public static final int EV_VANISHED = Constants.TABLE.value("EV_VANISHED");
    /** Bits reserved by the system. */
    public static final int EV_SYSFLAGS = Constants.TABLE.value("EV_SYSFLAGS");
    /** Filter-specific flag 0 (= EV_POLL). */
    public static final int EV_FLAG0 = Constants.TABLE.value("EV_FLAG0");
    /** Filter-specific flag 1 (= EV_OOBAND). */
    public static final int EV_FLAG1 = Constants.TABLE.value("EV_FLAG1");
    /** Returned: registration failed, data holds the errno. */
    public static final int EV_ERROR = Constants.TABLE.value("EV_ERROR");
    /** Returned: end of file; fflags holds the socket error (0x8000, negative as a short). */
    public static final int EV_EOF = Constants.TABLE.value("EV_EOF");
    /** Poll-compatible readiness. */
    public static final int EV_POLL = Constants.TABLE.value("EV_POLL");
    /** Out-of-band data. */
    public static final int EV_OOBAND = Constants.TABLE.value("EV_OOBAND");
    /** EVFILT_USER: fire the event. */
    public static final int NOTE_TRIGGER = Constants.TABLE.value("NOTE_TRIGGER");
    /** EVFILT_USER: ignore the input fflags. */
    public static final int NOTE_FFNOP = Constants.TABLE.value("NOTE_FFNOP");
    /** EVFILT_USER: AND the input fflags in. */
    public static final int NOTE_FFAND = Constants.TABLE.value("NOTE_FFAND");
    /** EVFILT_USER: OR the input fflags in (bit 31). */
    public static final int NOTE_FFOR = Constants.TABLE.value("NOTE_FFOR");
    /** EVFILT_USER: copy the input fflags. */
    public static final int NOTE_FFCOPY = Constants.TABLE.value("NOTE_FFCOPY");
    /** EVFILT_USER: mask of the control bits. */
    public static final int NOTE_FFCTRLMASK = Constants.TABLE.value("NOTE_FFCTRLMASK");
    /** EVFILT_USER: mask of the user bits (low 24). */
    public static final int NOTE_FFLAGSMASK = Constants.TABLE.value("NOTE_FFLAGSMASK");
    /** EVFILT_READ/WRITE: data is a low-water mark. */
    public static final int NOTE_LOWAT = Constants.TABLE.value("NOTE_LOWAT");
    /** EVFILT_EXCEPT: out-of-band data. */
    public static final int NOTE_OOB = Constants.TABLE.value("NOTE_OOB");
    /** EVFILT_TIMER: data in seconds. */
    public static final int NOTE_SECONDS = Constants.TABLE.value("NOTE_SECONDS");
    /** EVFILT_TIMER: data in microseconds. */
    public static final int NOTE_USECONDS = Constants.TABLE.value("NOTE_USECONDS");
    /** EVFILT_TIMER: data in nanoseconds. */
    public static final int NOTE_NSECONDS = Constants.TABLE.value("NOTE_NSECONDS");
    /** EVFILT_TIMER: absolute deadline (one-shot). */
    public static final int NOTE_ABSOLUTE = Constants.TABLE.value("NOTE_ABSOLUTE");
    /** EVFILT_TIMER: ext[1] is leeway. */
    public static final int NOTE_LEEWAY = Constants.TABLE.value("NOTE_LEEWAY");
    /** EVFILT_TIMER: no coalescing. */
    public static final int NOTE_CRITICAL = Constants.TABLE.value("NOTE_CRITICAL");
    /** EVFILT_TIMER: may coalesce a lot. */
    public static final int NOTE_BACKGROUND = Constants.TABLE.value("NOTE_BACKGROUND");
    /** EVFILT_TIMER: data in Mach time units. */
    public static final int NOTE_MACHTIME = Constants.TABLE.value("NOTE_MACHTIME");
    /** kevent64 flags: none. */
    public static final int KEVENT_FLAG_NONE = Constants.TABLE.value("KEVENT_FLAG_NONE");
    /** kevent64 flags: poll, do not wait. */
    public static final int KEVENT_FLAG_IMMEDIATE = Constants.TABLE.value("KEVENT_FLAG_IMMEDIATE");
    /** kevent64 flags: only return change errors. */
    public static final int KEVENT_FLAG_ERROR_EVENTS = Constants.TABLE.value("KEVENT_FLAG_ERROR_EVENTS");

    private Kqueue()
    {
    }

    /**
     * The constant table of any platform, so kernel-free code that prepares {@code kevent} arrays (and its tests)
     * can be checked against macOS's numbers on Linux, where this class's own fields are 0.
     *
     * @param platform a platform.
     * @return its constants, looked up by C name ({@code "EVFILT_READ"}, {@code "EV_ADD"}, ...).
     */
    public static ConstantTable table(final Platform platform)
    {
        return Constants.table(platform);
    }

    /**
     * {@code kqueue(2)}.
     *
     * @param callState the caller's call-state segment.
     * @return the kqueue descriptor or {@code -errno}.
     */
    public static int kqueue(final MemorySegment callState)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.KQUEUE, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final int rc = (int)MacOnly.KQUEUE.invokeExact(callState);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("kqueue", ex);
        }
    }

    /**
     * {@code kevent(2)}: apply {@code nchanges} changes, then collect up to {@code nevents} events. A zero timeout
     * uses a critical handle that captures errno; NULL (wait for ever) or any other timeout may block and uses a
     * handle that does not capture errno, as {@code epoll_wait} and {@code poll} (the JDK's per-call slice of the
     * capture segment escaped on the blocking path and allocated on every sleeping iteration). When such a wait
     * fails, a zero-timeout capturing call without changes learns why ({@link #keventVia}).
     *
     * @param callState  the caller's call-state segment.
     * @param kq         the kqueue descriptor.
     * @param changeList an off-heap {@code kevent[]} of changes, or {@link MemorySegment#NULL}.
     * @param nchanges   changes used.
     * @param eventList  an off-heap {@code kevent[]} for results, or NULL; may be the change list (libevent's way).
     * @param nevents    result entries available (give at least {@code nchanges}, see native-abi.md §5.1).
     * @param timeout    one {@code struct timespec} ({@link TimespecDescriptor}), or NULL to wait for ever.
     * @return events (and EV_ERROR records) returned, 0 on timeout, or {@code -errno}; a blocking wait a signal
     *         interrupted returns the events ready right after it (often 0), never {@code -EINTR} (only the fault
     *         seam injects that).
     */
    public static int kevent(
        final MemorySegment callState, final int kq, final MemorySegment changeList, final int nchanges,
        final MemorySegment eventList, final int nevents, final MemorySegment timeout)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.KEVENT, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            return keventVia(MacOnly.KEVENT, MacOnly.KEVENT_NOW, MacOnly.ZERO_TIMEOUT,
                callState, kq, changeList, nchanges, eventList, nevents, timeout);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("kevent", ex);
        }
    }

    /**
     * The logic of {@link #kevent}, with its two handles as parameters so that it can be checked without a kernel.
     * A zero timeout makes one capturing call. Any other makes one call that captures nothing; if it fails, the
     * changes were applied before the wait (a change that fails comes back as an EV_ERROR record when the event list
     * has room for every change, as callers give it), so a second, capturing call asks again without changes and
     * without waiting: an error that persists (EBADF, EFAULT, EINVAL) comes back with its errno, and after a signal
     * (EINTR) the events ready now.
     *
     * @param blocking    {@code (kq, changeList, nchanges, eventList, nevents, timeout) -> int}, no capture.
     * @param now         {@code (callState, kq, changeList, nchanges, eventList, nevents, timeout) -> int}, capturing.
     * @param zeroTimeout a zero {@code struct timespec} for the second call.
     * @param callState   the caller's call-state segment.
     * @param kq          the kqueue descriptor.
     * @param changeList  changes, or NULL.
     * @param nchanges    changes used.
     * @param eventList   results, or NULL.
     * @param nevents     result entries available.
     * @param timeout     a {@code struct timespec}, or NULL to wait for ever.
     * @return as {@link #kevent}.
     * @throws Throwable what a handle throws.
     */
    static int keventVia(
        final MethodHandle blocking, final MethodHandle now, final MemorySegment zeroTimeout,
        final MemorySegment callState, final int kq, final MemorySegment changeList, final int nchanges,
        final MemorySegment eventList, final int nevents, final MemorySegment timeout) throws Throwable
    {
        int rc;
        if (TimespecDescriptor.isZero(timeout))
        {
            rc = (int)now.invokeExact(callState, kq, changeList, nchanges, eventList, nevents, timeout);
        }
        else
        {
            rc = (int)blocking.invokeExact(kq, changeList, nchanges, eventList, nevents, timeout);
            if (rc >= 0)
            {
                return rc;
            }
            rc = (int)now.invokeExact(callState, kq, MemorySegment.NULL, 0, eventList, nevents, zeroTimeout);
        }
        return rc >= 0 ? rc : -Errno.errno(callState);
    }

    /** The kqueue functions, linked on first use: Linux lacks them. */
    private static final class MacOnly
    {
        static final FunctionDescriptor KEVENT_DESCRIPTOR = FunctionDescriptor.of(
            JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
        static final MethodHandle KQUEUE = NativeLibrary.blocking("kqueue", FunctionDescriptor.of(JAVA_INT));
        static final MethodHandle KEVENT = NativeLibrary.blockingWithoutErrno("kevent", KEVENT_DESCRIPTOR);
        // A critical call holds off every safepoint until it returns: critical only for a zero timeout.
        static final MethodHandle KEVENT_NOW = NativeLibrary.critical("kevent", KEVENT_DESCRIPTOR);
        /** The second call's timeout after a failed blocking wait: zero, never written. */
        static final MemorySegment ZERO_TIMEOUT = Arena.global().allocate(TimespecDescriptor.LAYOUT);
    }
}
