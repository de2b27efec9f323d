package io.panamax.internal.net;

import io.panamax.ffm.Errno;
import io.panamax.ffm.SockaddrDescriptor;
import io.panamax.ffm.SocketAddresses;
import io.panamax.ffm.SocketOptions;
import io.panamax.ffm.Sockets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * Per-thread native scratch for the socket setup calls of bufferevents and listeners (connect, getsockopt,
 * accept, close): a call-state segment, an option scratch, a {@code sockaddr_storage} and a {@code socklen_t}.
 * Allocated once per thread from an automatic arena, so no object owns or closes it.
 * <p>
 * <b>Thread-safety:</b> each thread gets its own instance through {@link #get()}; never share one.
 */
public final class NetScratch
{
    private static final ThreadLocal<NetScratch> SCRATCH = ThreadLocal.withInitial(NetScratch::new);

    /** Errno capture for the calls. */
    public final MemorySegment callState;
    /** {@link SocketOptions#SCRATCH_LENGTH} bytes for the int option helpers. */
    public final MemorySegment option;
    /** A {@code sockaddr_storage}. */
    public final MemorySegment address;
    /** One {@code socklen_t}. */
    public final MemorySegment addressLength;

    private NetScratch()
    {
        final Arena arena = Arena.ofAuto();
        callState = Errno.allocateCallState(arena);
        option = arena.allocate(SocketOptions.SCRATCH_LENGTH, 8);
        address = arena.allocate(SockaddrDescriptor.STORAGE_LENGTH, 8);
        addressLength = arena.allocate(ValueLayout.JAVA_INT);
    }

    /**
     * @return the calling thread's scratch.
     */
    public static NetScratch get()
    {
        return SCRATCH.get();
    }

    /**
     * @param address an {@link InetSocketAddress} (resolved) or a {@link UnixDomainSocketAddress}.
     * @return its socket family: {@code AF_INET}, {@code AF_INET6} or {@code AF_UNIX}.
     * @throws IllegalArgumentException for any other address.
     */
    public static int family(final SocketAddress address)
    {
        if (address instanceof InetSocketAddress inet)
        {
            return inet.getAddress() instanceof Inet6Address ? Sockets.AF_INET6 : Sockets.AF_INET;
        }
        if (address instanceof UnixDomainSocketAddress)
        {
            return Sockets.AF_UNIX;
        }
        throw new IllegalArgumentException("unsupported address: " + address);
    }

    /**
     * Write a socket address into {@link #address}.
     *
     * @param socketAddress as for {@link #family}.
     * @return the {@code sockaddr}'s length.
     * @throws IllegalArgumentException for an unsupported address.
     */
    public int writeAddress(final SocketAddress socketAddress)
    {
        if (socketAddress instanceof InetSocketAddress inet)
        {
            return SocketAddresses.write(address, inet);
        }
        if (socketAddress instanceof UnixDomainSocketAddress unix)
        {
            return SocketAddresses.write(address, unix);
        }
        throw new IllegalArgumentException("unsupported address: " + socketAddress);
    }
}
