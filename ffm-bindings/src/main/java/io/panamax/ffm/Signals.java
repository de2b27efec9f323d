package io.panamax.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import io.panamax.ffm.SyscallFaults.Call;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Signal numbers (native-abi.md §3.14), for {@code EVFILT_SIGNAL} and the engine's signal events, and the
 * per-thread signal mask calls ({@code pthread_sigmask}, {@code sigpending}, {@code sigwait}) with a
 * {@code sigset_t} built in Java.
 * <p>
 * {@code sigset_t} is not in native-abi.md; from the primary headers: glibc {@code
 * signal/bits/types/__sigset_t.h} makes it {@code unsigned long __val[1024 / (8 * sizeof(unsigned long))]}, 128
 * bytes on both Linux targets (rust-lang/libc {@code linux_like/linux/gnu/b64}: {@code [u64; 16]}); XNU {@code
 * bsd/sys/_types.h} makes it {@code __darwin_sigset_t}, a {@code __uint32_t} (4 bytes; rust-lang/libc {@code
 * bsd/apple}: {@code u32}). Both are little-endian bit arrays where signal {@code n} is bit {@code n - 1} (glibc
 * {@code __sigmask}: bit {@code (n - 1) % 64} of word {@code (n - 1) / 64}; XNU {@code __sigbits}: {@code 1 << (n -
 * 1)}), so {@link #sigsetAdd} and {@link #sigsetHas} address byte {@code (n - 1) / 8}, bit {@code (n - 1) % 8} on
 * every supported platform. The kernel fills only the first 8 bytes on Linux; the rest stay as written.
 * <p>
 * The mask calls pass through the {@link SyscallFaults} seam as {@link Call#SIGMASK}; they are not critical.
 * <p>
 * <b>Thread-safety:</b> stateless; {@code pthread_sigmask} and {@code sigwait} act on the calling thread.
 */
public final class Signals
{
    /** Hang-up. */
    public static final int SIGHUP = Constants.TABLE.value("SIGHUP");
    /** Interrupt. */
    public static final int SIGINT = Constants.TABLE.value("SIGINT");
    /** Quit. */
    public static final int SIGQUIT = Constants.TABLE.value("SIGQUIT");
    /** Kill (cannot be caught). */
    public static final int SIGKILL = Constants.TABLE.value("SIGKILL");
    /** Write to a broken pipe or socket (the JVM ignores it). */
    public static final int SIGPIPE = Constants.TABLE.value("SIGPIPE");
    /** Alarm clock. */
    public static final int SIGALRM = Constants.TABLE.value("SIGALRM");
    /** Termination. */
    public static final int SIGTERM = Constants.TABLE.value("SIGTERM");
    /** User signal 1 (10 Linux, 30 macOS). */
    public static final int SIGUSR1 = Constants.TABLE.value("SIGUSR1");
    /** User signal 2 (12 Linux, 31 macOS). */
    public static final int SIGUSR2 = Constants.TABLE.value("SIGUSR2");
    /** Child status changed (17 Linux, 20 macOS). */
    public static final int SIGCHLD = Constants.TABLE.value("SIGCHLD");
    /** Urgent socket data (23 Linux, 16 macOS). */
    public static final int SIGURG = Constants.TABLE.value("SIGURG");
    /** I/O possible (29 Linux, 23 macOS). */
    public static final int SIGIO = Constants.TABLE.value("SIGIO");
    /** Window size change. */
    public static final int SIGWINCH = Constants.TABLE.value("SIGWINCH");
    /** {@code pthread_sigmask}: add the set to the mask (0 Linux, 1 macOS). */
    public static final int SIG_BLOCK = Constants.TABLE.value("SIG_BLOCK");
    /** {@code pthread_sigmask}: remove the set from the mask (1 Linux, 2 macOS). */
    public static final int SIG_UNBLOCK = Constants.TABLE.value("SIG_UNBLOCK");
    /** {@code pthread_sigmask}: replace the mask (2 Linux, 3 macOS). */
    public static final int SIG_SETMASK = Constants.TABLE.value("SIG_SETMASK");
    /** {@code sizeof(sigset_t)}: 128 Linux (glibc), 4 macOS (see the class comment for the sources). */
    public static final long SIGSET_LENGTH = Constants.PLATFORM.isLinux() ? 128 : 4;

    private static final MethodHandle PTHREAD_SIGMASK = NativeLibrary.blocking("pthread_sigmask",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SIGPENDING = NativeLibrary.blocking("sigpending",
        FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle SIGWAIT = NativeLibrary.blocking("sigwait",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

    private Signals()
    {
    }

    /**
     * @param signal a signal number of this platform.
     * @return its name ({@code "SIGINT"}), or {@code "signal N"} when it is not one of the above.
     */
    public static String name(final int signal)
    {
        for (final String name : Constants.TABLE.names())
        {
            if (name.startsWith("SIG") && !name.startsWith("SIG_") && Constants.TABLE.value(name) == signal)
            {
                return name;
            }
        }
        return "signal " + signal;
    }

    /**
     * Empty a {@code sigset_t} ({@code sigemptyset}).
     *
     * @param set at least {@link #SIGSET_LENGTH} bytes, off-heap or on-heap.
     */
    public static void sigsetClear(final MemorySegment set)
    {
        set.asSlice(0, SIGSET_LENGTH).fill((byte)0);
    }

    /**
     * Add a signal to a {@code sigset_t} ({@code sigaddset}).
     *
     * @param set    at least {@link #SIGSET_LENGTH} bytes.
     * @param signal a signal number, {@code 1 <= signal <= 8 * SIGSET_LENGTH}.
     */
    public static void sigsetAdd(final MemorySegment set, final int signal)
    {
        final long index = byteIndex(signal);
        set.set(JAVA_BYTE, index, (byte)(set.get(JAVA_BYTE, index) | bit(signal)));
    }

    /**
     * Whether a {@code sigset_t} holds a signal ({@code sigismember}).
     *
     * @param set    at least {@link #SIGSET_LENGTH} bytes.
     * @param signal a signal number, {@code 1 <= signal <= 8 * SIGSET_LENGTH}.
     * @return true when the signal's bit is set.
     */
    public static boolean sigsetHas(final MemorySegment set, final int signal)
    {
        return 0 != (set.get(JAVA_BYTE, byteIndex(signal)) & bit(signal));
    }

    /**
     * {@code pthread_sigmask(how, set, oldset)} for the calling thread.
     *
     * @param callState the caller's call-state segment (the seam's errno goes there).
     * @param how       {@link #SIG_BLOCK}, {@link #SIG_UNBLOCK} or {@link #SIG_SETMASK}.
     * @param set       an off-heap {@code sigset_t}, or {@link MemorySegment#NULL} to only read the mask.
     * @param oldset    receives the previous mask, or {@link MemorySegment#NULL}.
     * @return 0 or {@code -errno} (pthread_sigmask returns the error number instead of setting errno).
     */
    public static int pthreadSigmask(
        final MemorySegment callState, final int how, final MemorySegment set, final MemorySegment oldset)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.SIGMASK, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final int rc = (int)PTHREAD_SIGMASK.invokeExact(callState, how, set, oldset);
            return 0 == rc ? 0 : -rc;
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("pthread_sigmask", ex);
        }
    }

    /**
     * {@code sigpending(set)}: the signals pending for the calling thread or the process (blocked ones stay
     * pending until unblocked or taken by {@link #sigwait}).
     *
     * @param callState the caller's call-state segment.
     * @param set       receives the pending set; an off-heap {@code sigset_t}.
     * @return 0 or {@code -errno}.
     */
    public static int sigpending(final MemorySegment callState, final MemorySegment set)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.SIGMASK, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final int rc = (int)SIGPENDING.invokeExact(callState, set);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("sigpending", ex);
        }
    }

    /**
     * {@code sigwait(set, sig)}: take one pending signal of {@code set} (blocked on this thread), waiting until
     * one is pending. Blocking: call it only when {@link #sigpending} shows one.
     *
     * @param callState the caller's call-state segment.
     * @param set       an off-heap {@code sigset_t} of blocked signals.
     * @param signal    receives the signal taken; one off-heap {@code int}.
     * @return 0 or {@code -errno} (sigwait returns the error number instead of setting errno).
     */
    public static int sigwait(final MemorySegment callState, final MemorySegment set, final MemorySegment signal)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.SIGMASK, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final int rc = (int)SIGWAIT.invokeExact(callState, set, signal);
            return 0 == rc ? 0 : -rc;
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("sigwait", ex);
        }
    }

    private static long byteIndex(final int signal)
    {
        if (signal < 1 || signal > 8 * SIGSET_LENGTH)
        {
            throw new IllegalArgumentException("not a signal number: " + signal);
        }
        return (signal - 1) / 8;
    }

    private static int bit(final int signal)
    {
        return 1 << ((signal - 1) % 8);
    }
}
