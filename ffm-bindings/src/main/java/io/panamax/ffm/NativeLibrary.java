package io.panamax.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

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
}
