package io.panamax.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The one symbol lookup (libc through the JDK's default lookup) and the linker options every binding uses.
 * <p>
 * <b>Thread-safety:</b> stateless; safe from any thread.
 */
@SuppressWarnings("restricted")
public final class NativeLibrary
{
    static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();

    /** Capture errno right after the call, into the caller's call-state segment (always the first argument). */
    static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    /** For calls that cannot block and take only off-heap memory: no thread-state transition. */
    static final Linker.Option CRITICAL = Linker.Option.critical(false);

    private NativeLibrary()
    {
    }

    /**
     * Find a libc symbol.
     *
     * @param name the C symbol name.
     * @return its address.
     * @throws UnsupportedOperationException when the platform is unsupported or the symbol is absent.
     */
    static MemorySegment find(final String name)
    {
        Platform.current();
        return LOOKUP.find(name).orElseThrow(
            () -> new UnsupportedOperationException("libc symbol not found: " + name + " on " + Platform.current()));
    }

    /**
     * @param name the C symbol name.
     * @return true when the default lookup finds it.
     */
    public static boolean has(final String name)
    {
        return LOOKUP.find(name).isPresent();
    }

    /** A downcall that captures errno and may block (not critical). */
    static MethodHandle blocking(final String name, final FunctionDescriptor descriptor)
    {
        return LINKER.downcallHandle(find(name), descriptor, ERRNO);
    }

    /**
     * A downcall that may block and does not capture errno: for the blocking waits. The JDK slices the capture
     * segment on every capturing call, and on a blocking wait's path the JIT does not reliably remove that slice
     * (40 B per wait were measured); a failed wait learns its errno again from a zero-timeout critical call.
     */
    static MethodHandle blockingWithoutErrno(final String name, final FunctionDescriptor descriptor)
    {
        return LINKER.downcallHandle(find(name), descriptor);
    }

    /**
     * A downcall that cannot block (critical, off-heap arguments only) and does not capture errno: for the zero-timeout
     * waits a loop makes on every iteration while events are active. As with {@link #blockingWithoutErrno}, the JIT
     * did not reliably remove the capture segment's slice there (40 B per wait in most JMH forks of
     * {@code ReadyFdsBenchmark}); a failed call learns its errno again from the capturing twin.
     */
    static MethodHandle criticalWithoutErrno(final String name, final FunctionDescriptor descriptor)
    {
        return LINKER.downcallHandle(find(name), descriptor, CRITICAL);
    }

    /** A downcall that captures errno and cannot block (critical, off-heap arguments only). */
    static MethodHandle critical(final String name, final FunctionDescriptor descriptor)
    {
        return LINKER.downcallHandle(find(name), descriptor, CRITICAL, ERRNO);
    }

    /** A variadic downcall (fixed arguments before {@code firstVariadic}) that captures errno. */
    static MethodHandle variadic(final String name, final FunctionDescriptor descriptor, final int firstVariadic)
    {
        return LINKER.downcallHandle(find(name), descriptor, Linker.Option.firstVariadicArg(firstVariadic), ERRNO);
    }

    /** A variadic downcall that cannot block (critical, off-heap arguments only) and captures errno. */
    static MethodHandle variadicCritical(
        final String name, final FunctionDescriptor descriptor, final int firstVariadic)
    {
        return LINKER.downcallHandle(
            find(name), descriptor, Linker.Option.firstVariadicArg(firstVariadic), CRITICAL, ERRNO);
    }

    /** A downcall that neither captures errno nor blocks, e.g. {@code strerror} (not critical: it is rare). */
    static MethodHandle plain(final String name, final FunctionDescriptor descriptor)
    {
        return LINKER.downcallHandle(find(name), descriptor);
    }

    /**
     * Read a NUL-terminated string a C function returned (setup path; allocates).
     *
     * @param pointer the returned {@code char *} (a zero-length segment).
     * @param ifNull  what to return for a NULL pointer.
     * @return the string.
     */
    static String cString(final MemorySegment pointer, final String ifNull)
    {
        return MemorySegment.NULL.equals(pointer) ? ifNull : pointer.reinterpret(Integer.MAX_VALUE).getString(0);
    }

    /**
     * Every libc symbol the bindings link on a platform (native-abi.md §4.1).
     *
     * @param platform a platform.
     * @return the symbol names, common ones first.
     */
    public static List<String> expectedSymbols(final Platform platform)
    {
        final List<String> names = new ArrayList<>(List.of(
            "read", "write", "readv", "writev", "close", "dup", "dup2", "open", "pipe", "fcntl", "ioctl", "poll",
            "strerror",
            "socket", "socketpair", "bind", "listen", "accept", "connect", "getsockopt", "setsockopt",
            "getsockname", "getpeername", "shutdown", "send", "recv", "getaddrinfo", "freeaddrinfo",
            "gai_strerror", "sendfile", "getrlimit", "setrlimit", "sendmsg", "pthread_sigmask", "sigpending",
            "sigwait", "memchr", "lseek", "pread"));
        names.addAll(platform.isLinux() ?
            List.of("accept4", "pipe2", "eventfd", "epoll_create1", "epoll_ctl", "epoll_wait", "syscall") :
            List.of("kqueue", "kevent"));
        return names;
    }

    /**
     * The startup self-test: which of this platform's {@link #expectedSymbols(Platform)} the lookup cannot find.
     * An empty list means every binding of this platform can link.
     *
     * @return the missing symbol names (setup path; allocates).
     * @throws UnsupportedOperationException on an unsupported platform.
     */
    public static List<String> missingSymbols()
    {
        return missingSymbols(expectedSymbols(Platform.current()));
    }

    /**
     * @param names symbol names.
     * @return those the lookup cannot find, in order.
     */
    static List<String> missingSymbols(final List<String> names)
    {
        final List<String> missing = new ArrayList<>();
        for (final String name : names)
        {
            if (!has(name))
            {
                missing.add(name);
            }
        }
        return missing;
    }
}
