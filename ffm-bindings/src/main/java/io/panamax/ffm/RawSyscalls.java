package io.panamax.ffm;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The hot I/O calls on Linux made through glibc's {@code long syscall(long number, ...)} instead of the libc
 * wrappers of the same name.
 * <p>
 * glibc's {@code read}, {@code write}, {@code readv}, {@code writev}, {@code send}, {@code recv}, {@code sendmsg} and
 * {@code epoll_wait} are POSIX cancellation points: in a multi-threaded process (every JVM) each call brackets the
 * system call with {@code __pthread_enable_asynccancel}/{@code __pthread_disable_asynccancel}, two atomic updates
 * of the thread's cancel state that a Java thread never needs (the JVM does not use {@code pthread_cancel}).
 * {@code syscall(2)} is not a cancellation point: it moves its arguments into place, traps, and on failure stores
 * errno and returns -1, so the call-state capture sees errno exactly as it does for the libc wrapper.
 * <p>
 * Each binding asks {@link #critical} or {@link #blockingWithoutErrno} for its handle with the libc name, the libc
 * descriptor and the system call number; it gets a handle of exactly the libc handle's type either way, so its
 * wrapper code (and the {@link SyscallFaults} seam) is the same on both paths. Every argument goes to
 * {@code syscall} as a {@code long} (a Java {@code int} is sign-extended, as the C compiler would), because glibc
 * reads each one with {@code va_arg(ap, long)} and moves whole registers.
 * <p>
 * The raw path is {@link #ACTIVE} on Linux (x86_64 and aarch64) unless the JVM starts with
 * {@code -Dpanamax.syscall.libc=true} ({@link #LIBC_PROPERTY}), e.g. to compare both in a benchmark. macOS always
 * calls libc: its {@code syscall(2)} is deprecated and its system call ABI is private.
 * <p>
 * System call numbers (kernel ABI, never renumbered): x86_64 from torvalds/linux
 * {@code arch/x86/entry/syscalls/syscall_64.tbl} (read at 17ae69aba89d); aarch64 from
 * {@code include/uapi/asm-generic/unistd.h} (read at 009f77383651; arm64 uses the generic table), cross-checked with
 * glibc's generated {@code sysdeps/unix/sysv/linux/aarch64/arch-syscall.h} (bminor/glibc at 03d9cb23b813). glibc's
 * {@code sysdeps/unix/sysv/linux/x86_64/syscall.S} shows the wrapper: number to {@code rax}, arguments shifted one
 * register, {@code syscall}, and a result in [-4095, -1] sent to the errno setter.
 * <p>
 * <b>Thread-safety:</b> immutable; the handles may be invoked from any thread.
 */
@SuppressWarnings("restricted")
public final class RawSyscalls
{
    /** The system property that forces the libc wrappers ({@code -Dpanamax.syscall.libc=true}). */
    public static final String LIBC_PROPERTY = "panamax.syscall.libc";
    /**
     * True when the hot calls go through {@code syscall(2)}: Linux, {@link #LIBC_PROPERTY} not set, and the C
     * library exports {@code syscall} (glibc and musl do).
     */
    public static final boolean ACTIVE =
        Platform.IS_LINUX && !Boolean.getBoolean(LIBC_PROPERTY) && NativeLibrary.has("syscall");

    /** {@code read}: x86_64 0, aarch64 63. */
    static final long NR_READ = nr(0, 63);
    /** {@code write}: x86_64 1, aarch64 64. */
    static final long NR_WRITE = nr(1, 64);
    /** {@code readv}: x86_64 19, aarch64 65. */
    static final long NR_READV = nr(19, 65);
    /** {@code writev}: x86_64 20, aarch64 66. */
    static final long NR_WRITEV = nr(20, 66);
    /** {@code sendto} (glibc's {@code send} is {@code sendto} with no address): x86_64 44, aarch64 206. */
    static final long NR_SENDTO = nr(44, 206);
    /** {@code recvfrom} (glibc's {@code recv} is {@code recvfrom} with no address): x86_64 45, aarch64 207. */
    static final long NR_RECVFROM = nr(45, 207);
    /** {@code sendmsg}: x86_64 46, aarch64 211. */
    static final long NR_SENDMSG = nr(46, 211);
    /**
     * {@code epoll_wait} on x86_64 (232); aarch64 has no {@code epoll_wait} and glibc calls {@code epoll_pwait}
     * (22) with a null signal mask there, which the kernel treats exactly as {@code epoll_wait}.
     */
    static final long NR_EPOLL_WAIT = nr(232, 22);
    /** A null pointer argument ({@code sendto}'s address, {@code epoll_pwait}'s signal mask). */
    static final long NULL = 0L;
    /**
     * {@code epoll_pwait}'s last argument, the kernel's {@code sizeof(sigset_t)}: 8 on both 64-bit ABIs ({@code _NSIG}
     * 64 / 8), checked only when the mask is not null. x86_64's {@code epoll_wait} ignores both extra arguments.
     */
    static final long KERNEL_SIGSET_BYTES = 8L;

    private static final String SYSCALL = "syscall";

    private RawSyscalls()
    {
    }

    /**
     * A critical, errno-capturing handle of the type {@code NativeLibrary.critical(name, descriptor)} has: that very
     * handle when the raw path is off, else {@code syscall(number, args..., trailing...)} adapted to it.
     *
     * @param name       the libc function.
     * @param descriptor its descriptor (int, long and pointer arguments; int or long result).
     * @param number     its system call number here.
     * @param trailing   constant arguments the system call takes after the libc function's.
     * @return the handle.
     */
    static MethodHandle critical(
        final String name, final FunctionDescriptor descriptor, final long number, final long... trailing)
    {
        if (!ACTIVE)
        {
            return NativeLibrary.critical(name, descriptor);
        }
        final MethodHandle raw = NativeLibrary.LINKER.downcallHandle(NativeLibrary.find(SYSCALL),
            rawDescriptor(descriptor, trailing.length), Linker.Option.firstVariadicArg(1),
            NativeLibrary.CRITICAL, NativeLibrary.ERRNO);
        final MethodType libcType = descriptor.toMethodType().insertParameterTypes(0, MemorySegment.class);
        return adapt(raw, 1, number, trailing, libcType);
    }

    /**
     * A critical handle without errno capture, of the type {@code NativeLibrary.criticalWithoutErrno(name,
     * descriptor)} has (for the zero-timeout waits); as {@link #critical} otherwise.
     *
     * @param name       the libc function.
     * @param descriptor its descriptor.
     * @param number     its system call number here.
     * @param trailing   constant arguments the system call takes after the libc function's.
     * @return the handle.
     */
    static MethodHandle criticalWithoutErrno(
        final String name, final FunctionDescriptor descriptor, final long number, final long... trailing)
    {
        if (!ACTIVE)
        {
            return NativeLibrary.criticalWithoutErrno(name, descriptor);
        }
        final MethodHandle raw = NativeLibrary.LINKER.downcallHandle(NativeLibrary.find(SYSCALL),
            rawDescriptor(descriptor, trailing.length), Linker.Option.firstVariadicArg(1), NativeLibrary.CRITICAL);
        return adapt(raw, 0, number, trailing, descriptor.toMethodType());
    }

    /**
     * A blocking handle without errno capture, of the type {@code NativeLibrary.blockingWithoutErrno(name,
     * descriptor)} has (for the blocking waits); as {@link #critical} otherwise.
     *
     * @param name       the libc function.
     * @param descriptor its descriptor.
     * @param number     its system call number here.
     * @param trailing   constant arguments the system call takes after the libc function's.
     * @return the handle.
     */
    static MethodHandle blockingWithoutErrno(
        final String name, final FunctionDescriptor descriptor, final long number, final long... trailing)
    {
        if (!ACTIVE)
        {
            return NativeLibrary.blockingWithoutErrno(name, descriptor);
        }
        final MethodHandle raw = NativeLibrary.LINKER.downcallHandle(NativeLibrary.find(SYSCALL),
            rawDescriptor(descriptor, trailing.length), Linker.Option.firstVariadicArg(1));
        return adapt(raw, 0, number, trailing, descriptor.toMethodType());
    }

    /**
     * {@code long syscall(long number, ...)} for a libc function: pointers stay pointers, every other argument
     * becomes a {@code long}, then {@code trailing} more {@code long}s.
     */
    static FunctionDescriptor rawDescriptor(final FunctionDescriptor libc, final int trailing)
    {
        final List<MemoryLayout> args = new ArrayList<>();
        args.add(JAVA_LONG);
        for (final MemoryLayout layout : libc.argumentLayouts())
        {
            if (layout instanceof AddressLayout)
            {
                args.add(ADDRESS);
            }
            else if (JAVA_INT.equals(layout) || JAVA_LONG.equals(layout))
            {
                args.add(JAVA_LONG);
            }
            else
            {
                throw new IllegalArgumentException("syscall(2) takes int, long and pointer arguments, not " + layout);
            }
        }
        for (int i = 0; i < trailing; i++)
        {
            args.add(JAVA_LONG);
        }
        return FunctionDescriptor.of(JAVA_LONG, args.toArray(new MemoryLayout[0]));
    }

    /**
     * Bind the number (at {@code at}, after the call-state segment when there is one) and the trailing constants,
     * then cast to the libc handle's type ({@code int} arguments widen to {@code long}, a {@code long} result
     * narrows to {@code int} where libc returns {@code int}: the kernel's result fits).
     */
    private static MethodHandle adapt(
        final MethodHandle raw, final int at, final long number, final long[] trailing, final MethodType libcType)
    {
        MethodHandle h = MethodHandles.insertArguments(raw, at, number);
        if (trailing.length > 0)
        {
            final Object[] values = new Object[trailing.length];
            for (int i = 0; i < trailing.length; i++)
            {
                values[i] = trailing[i];
            }
            h = MethodHandles.insertArguments(h, h.type().parameterCount() - trailing.length, values);
        }
        return MethodHandles.explicitCastArguments(h, libcType);
    }

    /** This machine's number: {@code x86_64} or {@code aarch64}; -1 off Linux (never used there). */
    private static long nr(final long x86_64, final long aarch64)
    {
        if (!Platform.IS_LINUX)
        {
            return -1;
        }
        return Platform.IS_X86_64 ? x86_64 : aarch64;
    }
}
