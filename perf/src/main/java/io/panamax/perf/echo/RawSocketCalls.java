package io.panamax.perf.echo;

import io.panamax.ffm.Errno;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * INTERIM, Linux x86_64/aarch64 only: the socket set-up calls the bare FFM echo server needs and
 * {@code io.panamax.ffm} does not have yet (socket, setsockopt, bind, listen, accept4), linked here on the class
 * path for a baseline. Replace every use with the bindings' own wrappers when they land; the ABI numbers below
 * are Linux's (native-abi.md §3) and belong in ffm-bindings, not here.
 * <p>
 * Wrappers follow the bindings' convention: call-state first, C result or {@code -errno}, no throw.
 * <p>
 * <b>Thread-safety:</b> stateless; each thread passes its own call-state segment.
 */
@SuppressWarnings("restricted")
final class RawSocketCalls
{
    static final int AF_INET = 2;
    static final int SOCK_STREAM = 1;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int IPPROTO_TCP = 6;
    static final int TCP_NODELAY = 1;
    static final long SOCKADDR_IN_LENGTH = 16;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final MethodHandle SOCKET = link("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = link("setsockopt",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle BIND = link("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = link("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACCEPT4 = link("accept4",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));

    private RawSocketCalls()
    {
    }

    private static MethodHandle link(final String name, final FunctionDescriptor descriptor)
    {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor, ERRNO);
    }

    private static int result(final MemorySegment callState, final int rc)
    {
        return rc >= 0 ? rc : -Errno.errno(callState);
    }

    static int socket(final MemorySegment callState, final int domain, final int type, final int protocol)
    {
        try
        {
            return result(callState, (int)SOCKET.invokeExact(callState, domain, type, protocol));
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("socket", ex);
        }
    }

    /** {@code setsockopt} with an {@code int} value, from {@code scratch} (at least 4 bytes, off-heap). */
    static int setIntOption(
        final MemorySegment callState, final int fd, final int level, final int option, final int value,
        final MemorySegment scratch)
    {
        scratch.set(JAVA_INT, 0, value);
        try
        {
            return result(callState, (int)SETSOCKOPT.invokeExact(callState, fd, level, option, scratch, 4));
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("setsockopt", ex);
        }
    }

    /** {@code bind} to 127.0.0.1:port. */
    static int bindLoopback(final MemorySegment callState, final int fd, final int port)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment sa = arena.allocate(SOCKADDR_IN_LENGTH, 4);
            sa.set(JAVA_SHORT, 0, (short)AF_INET);
            sa.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short)port);
            sa.set(JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN), 4, 0x7f000001);
            return result(callState, (int)BIND.invokeExact(callState, fd, sa, (int)SOCKADDR_IN_LENGTH));
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("bind", ex);
        }
    }

    static int listen(final MemorySegment callState, final int fd, final int backlog)
    {
        try
        {
            return result(callState, (int)LISTEN.invokeExact(callState, fd, backlog));
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("listen", ex);
        }
    }

    /** {@code accept4(fd, NULL, NULL, flags)}. */
    static int accept4(final MemorySegment callState, final int fd, final int flags)
    {
        try
        {
            return result(callState,
                (int)ACCEPT4.invokeExact(callState, fd, MemorySegment.NULL, MemorySegment.NULL, flags));
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("accept4", ex);
        }
    }
}
