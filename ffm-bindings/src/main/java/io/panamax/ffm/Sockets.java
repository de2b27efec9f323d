package io.panamax.ffm;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import io.panamax.ffm.SyscallFaults.Call;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Socket calls and their constants (native-abi.md §3.3, §3.6, §3.8, §3.13); options are in {@link SocketOptions},
 * addresses in {@link SocketAddresses}.
 * <p>
 * Wrappers return the C result or {@code -errno}, never throw for a failed call and never allocate. {@code send},
 * {@code sendmsg}, {@code recv}, {@code getsockname} and {@code getpeername} are critical: use {@code send},
 * {@code sendmsg} and {@code recv} on non-blocking sockets only (a blocking one would hold off GC safepoints while it waits). Every wrapper passes
 * through the {@link SyscallFaults} seam.
 * <p>
 * <b>Thread-safety:</b> stateless; each thread passes its own call-state segment.
 */
public final class Sockets
{
    /** Unspecified family (getaddrinfo hints). */
    public static final int AF_UNSPEC = Constants.TABLE.value("AF_UNSPEC");
    /** Unix-domain sockets (= AF_LOCAL). */
    public static final int AF_UNIX = Constants.TABLE.value("AF_UNIX");
    /** IPv4. */
    public static final int AF_INET = Constants.TABLE.value("AF_INET");
    /** IPv6 (10 Linux, 30 macOS). */
    public static final int AF_INET6 = Constants.TABLE.value("AF_INET6");
    /** Stream socket. */
    public static final int SOCK_STREAM = Constants.TABLE.value("SOCK_STREAM");
    /** Datagram socket. */
    public static final int SOCK_DGRAM = Constants.TABLE.value("SOCK_DGRAM");
    /** True where {@link #SOCK_NONBLOCK} and {@link #SOCK_CLOEXEC} exist (Linux). */
    public static final boolean HAS_SOCK_NONBLOCK = Constants.TABLE.has("SOCK_NONBLOCK");
    /** Linux only (0 on macOS, where ORing it in changes nothing): create non-blocking. */
    public static final int SOCK_NONBLOCK = Constants.TABLE.value("SOCK_NONBLOCK");
    /** Linux only (0 on macOS): create close-on-exec. */
    public static final int SOCK_CLOEXEC = Constants.TABLE.value("SOCK_CLOEXEC");
    /** Out-of-band data. */
    public static final int MSG_OOB = Constants.TABLE.value("MSG_OOB");
    /** Look without consuming. */
    public static final int MSG_PEEK = Constants.TABLE.value("MSG_PEEK");
    /** Non-blocking for this call only (0x40 Linux, 0x80 macOS). */
    public static final int MSG_DONTWAIT = Constants.TABLE.value("MSG_DONTWAIT");
    /** Wait for the full request (0x100 Linux, 0x40 macOS). */
    public static final int MSG_WAITALL = Constants.TABLE.value("MSG_WAITALL");
    /** Return the real length of a truncated datagram (0x20 Linux, 0x10 macOS). */
    public static final int MSG_TRUNC = Constants.TABLE.value("MSG_TRUNC");
    /**
     * No SIGPIPE for this send (0x4000 Linux, 0x80000 macOS; macOS 11+ honours it in send/sendto/sendmsg, and
     * {@link SocketOptions#SO_NOSIGPIPE} covers older macOS and write/writev). {@link #send} always passes it.
     */
    public static final int MSG_NOSIGNAL = Constants.TABLE.value("MSG_NOSIGNAL");
    /** True where {@link #MSG_MORE} exists (Linux). */
    public static final boolean HAS_MSG_MORE = Constants.TABLE.has("MSG_MORE");
    /** Linux only (0 on macOS): more data follows (cork this send). */
    public static final int MSG_MORE = Constants.TABLE.value("MSG_MORE");
    /** Stop receiving. */
    public static final int SHUT_RD = Constants.TABLE.value("SHUT_RD");
    /** Stop sending (sends FIN). */
    public static final int SHUT_WR = Constants.TABLE.value("SHUT_WR");
    /** Both. */
    public static final int SHUT_RDWR = Constants.TABLE.value("SHUT_RDWR");
    /** Header value of the largest listen backlog (4096 glibc, 128 macOS); the kernel clamps to its sysctl. */
    public static final int SOMAXCONN = Constants.TABLE.value("SOMAXCONN");
    /** Bytes of a dotted IPv4 string with its NUL. */
    public static final int INET_ADDRSTRLEN = Constants.TABLE.value("INET_ADDRSTRLEN");
    /** Bytes of an IPv6 string with its NUL. */
    public static final int INET6_ADDRSTRLEN = Constants.TABLE.value("INET6_ADDRSTRLEN");

    private static final FunctionDescriptor INT3 = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor ADDR = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final FunctionDescriptor ADDR_OUT = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final FunctionDescriptor XFER =
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle SOCKET = NativeLibrary.blocking("socket", INT3);
    private static final MethodHandle SOCKETPAIR = NativeLibrary.blocking("socketpair",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle BIND = NativeLibrary.blocking("bind", ADDR);
    private static final MethodHandle LISTEN = NativeLibrary.blocking("listen",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    // accept/connect block on a blocking socket: not critical.
    private static final MethodHandle ACCEPT = NativeLibrary.blocking("accept", ADDR_OUT);
    private static final MethodHandle CONNECT = NativeLibrary.blocking("connect", ADDR);
    private static final MethodHandle GETSOCKNAME = NativeLibrary.critical("getsockname", ADDR_OUT);
    private static final MethodHandle GETPEERNAME = NativeLibrary.critical("getpeername", ADDR_OUT);
    private static final MethodHandle SHUTDOWN = NativeLibrary.blocking("shutdown",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    // The hot transfers bypass glibc's cancellation bracket on Linux (RawSyscalls): send and recv are sendto and
    // recvfrom with no address, as in glibc.
    private static final MethodHandle SEND = RawSyscalls.critical("send", XFER, RawSyscalls.NR_SENDTO,
        RawSyscalls.NULL, 0L);
    private static final MethodHandle SEND_ADDRESS = RawSyscalls.critical("send",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT), RawSyscalls.NR_SENDTO,
        RawSyscalls.NULL, 0L);
    private static final MethodHandle RECV = RawSyscalls.critical("recv", XFER, RawSyscalls.NR_RECVFROM,
        RawSyscalls.NULL, RawSyscalls.NULL);
    private static final MethodHandle SENDMSG = RawSyscalls.critical("sendmsg",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), RawSyscalls.NR_SENDMSG);

    private Sockets()
    {
    }

    /**
     * {@code socket(2)} as asked.
     *
     * @param callState the caller's call-state segment.
     * @param domain    {@link #AF_INET}, {@link #AF_INET6}, {@link #AF_UNIX}.
     * @param type      {@link #SOCK_STREAM}, ... (Linux: may carry {@link #SOCK_NONBLOCK} | {@link #SOCK_CLOEXEC}).
     * @param protocol  0.
     * @return the descriptor or {@code -errno}.
     */
    public static int socket(final MemorySegment callState, final int domain, final int type, final int protocol)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.SOCKET, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final int rc = (int)SOCKET.invokeExact(callState, domain, type, protocol);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("socket", ex);
        }
    }

    /**
     * A socket ready for an event loop: non-blocking, close-on-exec, and (macOS) {@code SO_NOSIGPIPE}. Linux
     * passes {@code SOCK_NONBLOCK | SOCK_CLOEXEC} to {@code socket}; macOS follows {@code socket} with two
     * {@code fcntl}s and a {@code setsockopt}.
     *
     * @param callState the caller's call-state segment.
     * @param domain    {@link #AF_INET}, {@link #AF_INET6}, {@link #AF_UNIX}.
     * @param type      {@link #SOCK_STREAM} or {@link #SOCK_DGRAM}.
     * @param protocol  0.
     * @return the descriptor or {@code -errno}; on failure no descriptor is left open.
     */
    public static int socketNonBlocking(
        final MemorySegment callState, final int domain, final int type, final int protocol)
    {
        if (HAS_SOCK_NONBLOCK)
        {
            return socket(callState, domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
        }
        return socketThenFcntl(callState, domain, type, protocol);
    }

    /** macOS's socketNonBlocking (package-private so Linux tests run it too). */
    static int socketThenFcntl(final MemorySegment callState, final int domain, final int type, final int protocol)
    {
        final int fd = socket(callState, domain, type, protocol);
        return fd < 0 ? fd : prepare(callState, fd, Libc.O_NONBLOCK | Libc.O_CLOEXEC);
    }

    /**
     * {@code socketpair(2)}.
     *
     * @param callState the caller's call-state segment.
     * @param domain    {@link #AF_UNIX}.
     * @param type      {@link #SOCK_STREAM} (Linux: may carry {@link #SOCK_NONBLOCK} | {@link #SOCK_CLOEXEC}).
     * @param protocol  0.
     * @param fds       two {@code int}s, off-heap.
     * @return 0 or {@code -errno}.
     */
    public static int socketpair(
        final MemorySegment callState, final int domain, final int type, final int protocol, final MemorySegment fds)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.SOCKETPAIR, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final int rc = (int)SOCKETPAIR.invokeExact(callState, domain, type, protocol, fds);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("socketpair", ex);
        }
    }

    /**
     * {@code bind(2)}.
     *
     * @param callState the caller's call-state segment.
     * @param fd        the socket.
     * @param addr      a {@code sockaddr} ({@link SocketAddresses#write}).
     * @param addrLen   its length.
     * @return 0 or {@code -errno}.
     */
    public static int bind(final MemorySegment callState, final int fd, final MemorySegment addr, final int addrLen)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.BIND, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final int rc = (int)BIND.invokeExact(callState, fd, addr, addrLen);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("bind", ex);
        }
    }

    /**
     * {@code listen(2)}.
     *
     * @param callState the caller's call-state segment.
     * @param fd        a bound socket.
     * @param backlog   the queue length asked for (the kernel clamps it).
     * @return 0 or {@code -errno}.
     */
    public static int listen(final MemorySegment callState, final int fd, final int backlog)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.LISTEN, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final int rc = (int)LISTEN.invokeExact(callState, fd, backlog);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("listen", ex);
        }
    }

    /**
     * Accept a connection: {@code accept4(fd, addr, addrLen, flags)} on Linux; {@code accept} then {@code fcntl}
     * per flag on macOS (where {@code SO_NOSIGPIPE} is inherited from the listener).
     *
     * @param callState the caller's call-state segment.
     * @param fd        a listening socket.
     * @param addr      receives the peer address, or {@link MemorySegment#NULL}.
     * @param addrLen   one {@code socklen_t}: capacity of {@code addr} in, its length out; NULL with a NULL addr.
     * @param flags     {@link Libc#O_NONBLOCK} and/or {@link Libc#O_CLOEXEC} (on Linux equal to
     *                  {@link #SOCK_NONBLOCK}/{@link #SOCK_CLOEXEC}), or 0.
     * @return the new descriptor or {@code -errno} ({@code -EAGAIN} when none is pending on a non-blocking
     *     listener); on failure no descriptor is left open.
     */
    public static int accept(
        final MemorySegment callState, final int fd, final MemorySegment addr, final MemorySegment addrLen,
        final int flags)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.ACCEPT, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            if (Platform.IS_LINUX)
            {
                final int rc = (int)LinuxOnly.ACCEPT4.invokeExact(callState, fd, addr, addrLen, flags);
                return rc >= 0 ? rc : -Errno.errno(callState);
            }
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("accept4", ex);
        }
        return acceptThenFcntl(callState, fd, addr, addrLen, flags);
    }

    /** macOS's accept4: {@code accept}, then {@code fcntl} per flag (package-private so Linux tests run it too). */
    static int acceptThenFcntl(
        final MemorySegment callState, final int fd, final MemorySegment addr, final MemorySegment addrLen,
        final int flags)
    {
        final int rc;
        try
        {
            rc = (int)ACCEPT.invokeExact(callState, fd, addr, addrLen);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("accept", ex);
        }
        if (rc < 0)
        {
            return -Errno.errno(callState);
        }
        final int set = Libc.setFlags(callState, rc, flags);
        if (set < 0)
        {
            Libc.close(callState, rc);
            return set;
        }
        return rc;
    }

    /**
     * {@code connect(2)}.
     *
     * @param callState the caller's call-state segment.
     * @param fd        the socket.
     * @param addr      a {@code sockaddr} ({@link SocketAddresses#write}).
     * @param addrLen   its length.
     * @return 0, or {@code -errno}: {@code -EINPROGRESS} on a non-blocking socket (then wait for writability and
     *     read {@link SocketOptions#SO_ERROR}), {@code -ECONNREFUSED}, ...
     */
    public static int connect(
        final MemorySegment callState, final int fd, final MemorySegment addr, final int addrLen)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.CONNECT, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final int rc = (int)CONNECT.invokeExact(callState, fd, addr, addrLen);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("connect", ex);
        }
    }

    /**
     * {@code getsockname(2)}.
     *
     * @param callState the caller's call-state segment.
     * @param fd        the socket.
     * @param addr      receives the local address ({@code sockaddr_storage} fits any).
     * @param addrLen   one {@code socklen_t}: capacity in, length out.
     * @return 0 or {@code -errno}.
     */
    public static int getsockname(
        final MemorySegment callState, final int fd, final MemorySegment addr, final MemorySegment addrLen)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.GETSOCKNAME, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final int rc = (int)GETSOCKNAME.invokeExact(callState, fd, addr, addrLen);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("getsockname", ex);
        }
    }

    /**
     * {@code getpeername(2)}.
     *
     * @param callState the caller's call-state segment.
     * @param fd        a connected socket.
     * @param addr      receives the peer address.
     * @param addrLen   one {@code socklen_t}: capacity in, length out.
     * @return 0 or {@code -errno} ({@code -ENOTCONN} when not connected).
     */
    public static int getpeername(
        final MemorySegment callState, final int fd, final MemorySegment addr, final MemorySegment addrLen)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.GETPEERNAME, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final int rc = (int)GETPEERNAME.invokeExact(callState, fd, addr, addrLen);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("getpeername", ex);
        }
    }

    /**
     * {@code shutdown(2)}.
     *
     * @param callState the caller's call-state segment.
     * @param fd        a connected socket.
     * @param how       {@link #SHUT_RD}, {@link #SHUT_WR} or {@link #SHUT_RDWR}.
     * @return 0 or {@code -errno}.
     */
    public static int shutdown(final MemorySegment callState, final int fd, final int how)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.SHUTDOWN, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final int rc = (int)SHUTDOWN.invokeExact(callState, fd, how);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("shutdown", ex);
        }
    }

    /**
     * {@code send(fd, buf, count, flags | MSG_NOSIGNAL)}: a peer that is gone gives {@code -EPIPE} (or
     * {@code -ECONNRESET}), never SIGPIPE. Critical: non-blocking sockets only.
     *
     * @param callState the caller's call-state segment.
     * @param fd        a connected socket.
     * @param buf       off-heap source.
     * @param count     bytes at most.
     * @param flags     extra {@code MSG_*} flags, usually 0.
     * @return bytes sent or {@code -errno}.
     */
    public static long send(
        final MemorySegment callState, final int fd, final MemorySegment buf, final long count, final int flags)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.SEND, callState))
        {
            return -Errno.errno(callState);
        }
        final long n = SyscallFaults.ENABLED ? Libc.shorter(Call.SEND, count) : count;
        try
        {
            final long rc = (long)SEND.invokeExact(callState, fd, buf, n, flags | MSG_NOSIGNAL);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("send", ex);
        }
    }

    /**
     * {@link #send} from native memory given by its address: for callers that already hold the address of memory
     * they keep alive for the call (an evbuffer chunk), saving the segment {@link #send} needs and the iovec array
     * and msghdr a one-buffer {@link #sendmsg} needs. Same seam ({@link SyscallFaults.Call#SEND}) and results as
     * {@link #send}: {@code MSG_NOSIGNAL} is always added.
     *
     * @param callState the caller's call-state segment.
     * @param fd        a connected socket.
     * @param address   the address of at least {@code count} readable bytes of native memory that stays allocated
     *                  for the call (the caller's responsibility: nothing checks it).
     * @param count     bytes at most.
     * @param flags     extra {@code MSG_*} flags, usually 0.
     * @return bytes sent or {@code -errno} ({@code -ENOTSOCK} when {@code fd} is not a socket).
     */
    public static long sendFromAddress(
        final MemorySegment callState, final int fd, final long address, final long count, final int flags)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.SEND, callState))
        {
            return -Errno.errno(callState);
        }
        final long n = SyscallFaults.ENABLED ? Libc.shorter(Call.SEND, count) : count;
        try
        {
            final long rc = (long)SEND_ADDRESS.invokeExact(callState, fd, address, n, flags | MSG_NOSIGNAL);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("send", ex);
        }
    }

    /**
     * {@code sendmsg(fd, msghdr, flags)}: the vectored send, the only gathering write that takes
     * {@link #MSG_NOSIGNAL} (native-abi.md §4.4). The flags go to the kernel as given: pass {@link #MSG_NOSIGNAL}
     * for a send that never raises SIGPIPE. Critical: non-blocking sockets only. A non-socket fd gives
     * {@code -ENOTSOCK}.
     *
     * @param callState the caller's call-state segment.
     * @param fd        a connected socket.
     * @param msghdr    an off-heap {@code msghdr} ({@link MsghdrDescriptor#iov}) whose iovec array is off-heap.
     * @param flags     {@code MSG_*} flags.
     * @return bytes sent or {@code -errno}.
     */
    public static long sendmsg(final MemorySegment callState, final int fd, final MemorySegment msghdr, final int flags)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.SENDMSG, callState))
        {
            return -Errno.errno(callState);
        }
        try
        {
            final long rc = SyscallFaults.ENABLED ?
                shortenedSendmsg(callState, fd, msghdr, flags) :
                (long)SENDMSG.invokeExact(callState, fd, msghdr, flags);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("sendmsg", ex);
        }
    }

    /** sendmsg through the seam's short count: the msghdr's iovec array cut, and its count, restored after. */
    @SuppressWarnings("restricted")
    private static long shortenedSendmsg(
        final MemorySegment callState, final int fd, final MemorySegment msghdr, final int flags) throws Throwable
    {
        final int iovlen = MsghdrDescriptor.iovlen(msghdr);
        final MemorySegment iov = msghdr.get(ADDRESS, MsghdrDescriptor.IOV_OFFSET)
            .reinterpret(iovlen * IovecDescriptor.LENGTH);
        return Libc.shortened(Call.SENDMSG, iov, iovlen, (n) ->
        {
            MsghdrDescriptor.iovlen(msghdr, n);
            try
            {
                return (long)SENDMSG.invokeExact(callState, fd, msghdr, flags);
            }
            finally
            {
                MsghdrDescriptor.iovlen(msghdr, iovlen);
            }
        });
    }

    /**
     * {@code recv(2)}. Critical: non-blocking sockets only.
     *
     * @param callState the caller's call-state segment.
     * @param fd        a connected socket.
     * @param buf       off-heap destination.
     * @param count     bytes at most.
     * @param flags     {@code MSG_*} flags, usually 0.
     * @return bytes received, 0 at end of stream, or {@code -errno}.
     */
    public static long recv(
        final MemorySegment callState, final int fd, final MemorySegment buf, final long count, final int flags)
    {
        if (SyscallFaults.ENABLED && SyscallFaults.fail(Call.RECV, callState))
        {
            return -Errno.errno(callState);
        }
        final long n = SyscallFaults.ENABLED ? Libc.shorter(Call.RECV, count) : count;
        try
        {
            final long rc = (long)RECV.invokeExact(callState, fd, buf, n, flags);
            return rc >= 0 ? rc : -Errno.errno(callState);
        }
        catch (final Throwable ex)
        {
            throw new AssertionError("recv", ex);
        }
    }

    /** macOS: make a new socket non-blocking / close-on-exec and SIGPIPE-free, closing it on failure. */
    private static int prepare(final MemorySegment callState, final int fd, final int flags)
    {
        int rc = Libc.setFlags(callState, fd, flags);
        if (rc >= 0 && SocketOptions.HAS_SO_NOSIGPIPE)
        {
            rc = SocketOptions.setsockoptOne(callState, fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_NOSIGPIPE);
        }
        if (rc < 0)
        {
            Libc.close(callState, fd);
            return rc;
        }
        return fd;
    }

    /** {@code accept4}, linked on first use: macOS lacks it. */
    private static final class LinuxOnly
    {
        static final MethodHandle ACCEPT4 = NativeLibrary.blocking("accept4",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    }
}
