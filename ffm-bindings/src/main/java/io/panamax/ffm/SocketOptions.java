package io.panamax.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import io.panamax.ffm.SyscallFaults.Call;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code getsockopt}/{@code setsockopt} and the option constants (native-abi.md §3.4, §3.5).
 * <p>
 * Platform-only options are 0 on the other OS and come with a {@code HAS_...} flag: check it before passing one
 * to the kernel. The {@code int} and linger helpers take a caller-owned scratch segment of
 * {@link #SCRATCH_LENGTH} bytes so they never allocate. Both calls are critical (they never block).
 * <p>
 * <b>Thread-safety:</b> stateless; each thread passes its own call-state and scratch segments.
 */
public final class SocketOptions
{
    /** Bytes of scratch the helpers need: a value (up to a {@code struct linger}) and a {@code socklen_t}. */
    public static final long SCRATCH_LENGTH = 16;

    /** The socket level (1 Linux, 0xffff macOS). */
    public static final int SOL_SOCKET = Constants.TABLE.value("SOL_SOCKET");
    /** Allow binding a port in TIME_WAIT. */
    public static final int SO_REUSEADDR = Constants.TABLE.value("SO_REUSEADDR");
    /** Share a port: load-balanced between listeners on Linux, BSD duplicate binding on macOS. */
    public static final int SO_REUSEPORT = Constants.TABLE.value("SO_REUSEPORT");
    /** Pending socket error, read-and-clear (connect result after EINPROGRESS). */
    public static final int SO_ERROR = Constants.TABLE.value("SO_ERROR");
    /** TCP keep-alive probes. */
    public static final int SO_KEEPALIVE = Constants.TABLE.value("SO_KEEPALIVE");
    /** Receive buffer size. */
    public static final int SO_RCVBUF = Constants.TABLE.value("SO_RCVBUF");
    /** Send buffer size. */
    public static final int SO_SNDBUF = Constants.TABLE.value("SO_SNDBUF");
    /** Linger on close ({@code struct linger}); on macOS the unit is clock ticks: use {@link #setLinger}. */
    public static final int SO_LINGER = Constants.TABLE.value("SO_LINGER");
    /** True where {@link #SO_LINGER_SEC} exists (macOS). */
    public static final boolean HAS_SO_LINGER_SEC = Constants.TABLE.has("SO_LINGER_SEC");
    /** macOS only (0 on Linux): linger on close, in seconds. */
    public static final int SO_LINGER_SEC = Constants.TABLE.value("SO_LINGER_SEC");
    /** True where {@link #SO_NOSIGPIPE} exists (macOS). */
    public static final boolean HAS_SO_NOSIGPIPE = Constants.TABLE.has("SO_NOSIGPIPE");
    /** macOS only (0 on Linux): no SIGPIPE for any write to this socket. */
    public static final int SO_NOSIGPIPE = Constants.TABLE.value("SO_NOSIGPIPE");
    /** True where {@link #SO_BUSY_POLL} exists (Linux). */
    public static final boolean HAS_SO_BUSY_POLL = Constants.TABLE.has("SO_BUSY_POLL");
    /** Linux only (0 on macOS): busy-poll microseconds. */
    public static final int SO_BUSY_POLL = Constants.TABLE.value("SO_BUSY_POLL");
    /** Socket type. */
    public static final int SO_TYPE = Constants.TABLE.value("SO_TYPE");
    /** Whether the socket listens. */
    public static final int SO_ACCEPTCONN = Constants.TABLE.value("SO_ACCEPTCONN");
    /** Allow broadcast datagrams. */
    public static final int SO_BROADCAST = Constants.TABLE.value("SO_BROADCAST");
    /** Out-of-band data inline. */
    public static final int SO_OOBINLINE = Constants.TABLE.value("SO_OOBINLINE");
    /** Receive low-water mark. */
    public static final int SO_RCVLOWAT = Constants.TABLE.value("SO_RCVLOWAT");
    /** Send low-water mark. */
    public static final int SO_SNDLOWAT = Constants.TABLE.value("SO_SNDLOWAT");
    /** True where {@link #SO_NREAD} and {@link #SO_NWRITE} exist (macOS). */
    public static final boolean HAS_SO_NREAD = Constants.TABLE.has("SO_NREAD");
    /** macOS only (0 on Linux): bytes readable. */
    public static final int SO_NREAD = Constants.TABLE.value("SO_NREAD");
    /** macOS only (0 on Linux): bytes not yet sent. */
    public static final int SO_NWRITE = Constants.TABLE.value("SO_NWRITE");
    /** True where {@link #SO_DOMAIN}, {@link #SO_PROTOCOL} and {@link #SO_INCOMING_CPU} exist (Linux). */
    public static final boolean HAS_SO_DOMAIN = Constants.TABLE.has("SO_DOMAIN");
    /** Linux only (0 on macOS): the socket's family. */
    public static final int SO_DOMAIN = Constants.TABLE.value("SO_DOMAIN");
    /** Linux only (0 on macOS): the socket's protocol. */
    public static final int SO_PROTOCOL = Constants.TABLE.value("SO_PROTOCOL");
    /** Linux only (0 on macOS): the CPU that handles the socket's packets. */
    public static final int SO_INCOMING_CPU = Constants.TABLE.value("SO_INCOMING_CPU");

    /** IP level. */
    public static final int IPPROTO_IP = Constants.TABLE.value("IPPROTO_IP");
    /** TCP level. */
    public static final int IPPROTO_TCP = Constants.TABLE.value("IPPROTO_TCP");
    /** UDP level. */
    public static final int IPPROTO_UDP = Constants.TABLE.value("IPPROTO_UDP");
    /** IPv6 level. */
    public static final int IPPROTO_IPV6 = Constants.TABLE.value("IPPROTO_IPV6");
    /** IPv6 socket refuses IPv4-mapped traffic (26 Linux, 27 macOS). */
    public static final int IPV6_V6ONLY = Constants.TABLE.value("IPV6_V6ONLY");
    /** Disable Nagle. */
    public static final int TCP_NODELAY = Constants.TABLE.value("TCP_NODELAY");
    /** Maximum segment size. */
    public static final int TCP_MAXSEG = Constants.TABLE.value("TCP_MAXSEG");
    /** True where {@link #TCP_QUICKACK}, {@link #TCP_KEEPIDLE}, {@link #TCP_CORK}, {@link #TCP_USER_TIMEOUT} exist. */
    public static final boolean HAS_TCP_QUICKACK = Constants.TABLE.has("TCP_QUICKACK");
    /** Linux only (0 on macOS): ack at once; not permanent. */
    public static final int TCP_QUICKACK = Constants.TABLE.value("TCP_QUICKACK");
    /** Linux only (0 on macOS; there {@link #TCP_KEEPALIVE}): idle seconds before keep-alive probes. */
    public static final int TCP_KEEPIDLE = Constants.TABLE.value("TCP_KEEPIDLE");
    /** True where {@link #TCP_KEEPALIVE}, {@link #TCP_NOPUSH}, {@link #TCP_CONNECTIONTIMEOUT} exist (macOS). */
    public static final boolean HAS_TCP_KEEPALIVE = Constants.TABLE.has("TCP_KEEPALIVE");
    /** macOS only (0 on Linux): idle seconds before keep-alive probes (not SO_KEEPALIVE). */
    public static final int TCP_KEEPALIVE = Constants.TABLE.value("TCP_KEEPALIVE");
    /** Seconds between keep-alive probes (5 Linux, 0x101 macOS). */
    public static final int TCP_KEEPINTVL = Constants.TABLE.value("TCP_KEEPINTVL");
    /** Keep-alive probes before dropping (6 Linux, 0x102 macOS). */
    public static final int TCP_KEEPCNT = Constants.TABLE.value("TCP_KEEPCNT");
    /** Linux only (0 on macOS): cork. */
    public static final int TCP_CORK = Constants.TABLE.value("TCP_CORK");
    /** macOS only (0 on Linux): the BSD analogue of TCP_CORK. */
    public static final int TCP_NOPUSH = Constants.TABLE.value("TCP_NOPUSH");
    /** TCP fast open (23 Linux, 0x105 macOS). */
    public static final int TCP_FASTOPEN = Constants.TABLE.value("TCP_FASTOPEN");
    /** Unsent-data low-water mark (25 Linux, 0x201 macOS). */
    public static final int TCP_NOTSENT_LOWAT = Constants.TABLE.value("TCP_NOTSENT_LOWAT");
    /** Linux only (0 on macOS): milliseconds unacknowledged data may wait. */
    public static final int TCP_USER_TIMEOUT = Constants.TABLE.value("TCP_USER_TIMEOUT");
    /** macOS only (0 on Linux): connection-establishment timeout. */
    public static final int TCP_CONNECTIONTIMEOUT = Constants.TABLE.value("TCP_CONNECTIONTIMEOUT");
    /** True where {@link #TCP_DEFER_ACCEPT} exists (Linux). */
    public static final boolean HAS_TCP_DEFER_ACCEPT = Constants.TABLE.has("TCP_DEFER_ACCEPT");
    /** Linux only (0 on macOS): wake a listener only when data arrives (seconds to wait for it). */
    public static final int TCP_DEFER_ACCEPT = Constants.TABLE.value("TCP_DEFER_ACCEPT");

    private static final FunctionDescriptor SOCKOPT =
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle GETSOCKOPT = NativeLibrary.critical("getsockopt",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    // The same call with socklen_t* as a raw address, so a helper can point into its scratch without a slice.
    private static final MethodHandle GETSOCKOPT_RAW_LEN = NativeLibrary.critical("getsockopt",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle SETSOCKOPT = NativeLibrary.critical("setsockopt", SOCKOPT);
    /** A read-only {@code int} 1 shared by every thread: the kernel only reads it. */
    private static final MemorySegment ONE = Arena.global().allocateFrom(JAVA_INT, 1);
    private static final long LEN_OFFSET = 8;

    private SocketOptions()
    {
    }

    /**
     * {@code getsockopt(2)}.
     *
     * @param callState the caller's call-state segment.
     * @param fd        the socket.
     * @param level     {@link #SOL_SOCKET}, {@link #IPPROTO_TCP}, ...
     * @param name      the option.
     * @param value     receives the value.
     * @param valueLen  one {@code socklen_t}: capacity in, length out.
     * @return 0 or {@code -errno}.
     */
    public static int getsockopt(
        final MemorySegment callState, final int fd, final int level, final int name, final MemorySegment value,
        final MemorySegment valueLen)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.GETSOCKOPT, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final int rc = (int)GETSOCKOPT.invokeExact(callState, fd, level, name, value, valueLen);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("getsockopt", ex);
        }
    }

    /**
     * {@code setsockopt(2)}.
     *
     * @param callState the caller's call-state segment.
     * @param fd        the socket.
     * @param level     {@link #SOL_SOCKET}, {@link #IPPROTO_TCP}, ...
     * @param name      the option.
     * @param value     the value.
     * @param valueLen  its length.
     * @return 0 or {@code -errno}.
     */
    public static int setsockopt(
        final MemorySegment callState, final int fd, final int level, final int name, final MemorySegment value,
        final int valueLen)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.SETSOCKOPT, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final int rc = (int)SETSOCKOPT.invokeExact(callState, fd, level, name, value, valueLen);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("setsockopt", ex);
        }
    }

    /**
     * Read an {@code int} option.
     *
     * @param callState the caller's call-state segment.
     * @param fd        the socket.
     * @param level     the level.
     * @param name      the option.
     * @param scratch   {@link #SCRATCH_LENGTH} caller-owned off-heap bytes.
     * @return the value (options Panamax reads are never negative) or {@code -errno}.
     */
    public static int getsockoptInt(
        final MemorySegment callState, final int fd, final int level, final int name, final MemorySegment scratch)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.GETSOCKOPT, callState))
        {
            return -Errno.errno(callState);
        }
        scratch.set(JAVA_INT, 0, 0);
        scratch.set(JAVA_INT, LEN_OFFSET, Integer.BYTES);
        try
        {
            final int rc = (int)GETSOCKOPT_RAW_LEN.invokeExact(
                callState, fd, level, name, scratch, scratch.address() + LEN_OFFSET);
            return rc >= 0 ? scratch.get(JAVA_INT, 0) : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("getsockopt", ex);
        }
    }

    /**
     * Set an {@code int} option.
     *
     * @param callState the caller's call-state segment.
     * @param fd        the socket.
     * @param level     the level.
     * @param name      the option.
     * @param value     the value (non-zero = on for boolean options).
     * @param scratch   {@link #SCRATCH_LENGTH} caller-owned bytes.
     * @return 0 or {@code -errno}.
     */
    public static int setsockoptInt(
        final MemorySegment callState, final int fd, final int level, final int name, final int value,
        final MemorySegment scratch)
    {
        scratch.set(JAVA_INT, 0, value);
        return setsockopt(callState, fd, level, name, scratch, Integer.BYTES);
    }

    /**
     * The pending error of a socket, read and cleared ({@code SO_ERROR}): how a non-blocking connect ended.
     *
     * @param callState the caller's call-state segment.
     * @param fd        the socket.
     * @param scratch   {@link #SCRATCH_LENGTH} caller-owned bytes.
     * @return 0 (no error), a positive errno, or {@code -errno} when getsockopt itself failed.
     */
    public static int socketError(final MemorySegment callState, final int fd, final MemorySegment scratch)
    {
        return getsockoptInt(callState, fd, SOL_SOCKET, SO_ERROR, scratch);
    }

    /**
     * Set linger-on-close in seconds on every platform: {@code SO_LINGER} on Linux, {@code SO_LINGER_SEC} on macOS
     * (whose {@code SO_LINGER} counts clock ticks). {@code on} with 0 seconds makes close send a RST.
     *
     * @param callState the caller's call-state segment.
     * @param fd        the socket.
     * @param on        whether to linger.
     * @param seconds   how long close may wait (at most 327 on macOS).
     * @param scratch   {@link #SCRATCH_LENGTH} caller-owned bytes.
     * @return 0 or {@code -errno}.
     */
    public static int setLinger(
        final MemorySegment callState, final int fd, final boolean on, final int seconds,
        final MemorySegment scratch)
    {
        scratch.set(JAVA_INT, LingerDescriptor.ONOFF_OFFSET, on ? 1 : 0);
        scratch.set(JAVA_INT, LingerDescriptor.LINGER_OFFSET, seconds);
        return setsockopt(callState, fd, SOL_SOCKET, HAS_SO_LINGER_SEC ? SO_LINGER_SEC : SO_LINGER, scratch,
            (int)LingerDescriptor.LENGTH);
    }

    /** Turn a boolean option on without a scratch segment (the value 1 lives in global read-only memory). */
    static int setsockoptOne(final MemorySegment callState, final int fd, final int level, final int name)
    {
        return setsockopt(callState, fd, level, name, ONE, Integer.BYTES);
    }
}
