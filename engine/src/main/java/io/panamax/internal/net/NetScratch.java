package io.panamax.internal.net;

import io.panamax.ffm.Errno;
import io.panamax.ffm.SockaddrDescriptor;
import io.panamax.ffm.SocketOptions;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

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
}
