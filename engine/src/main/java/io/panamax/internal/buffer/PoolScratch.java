package io.panamax.internal.buffer;

import java.lang.foreign.MemorySegment;

import io.panamax.ffm.Mem;

/**
 * A pool's scratch segments for syscall arguments (the iovec array, a {@code struct msghdr}, the call state, small
 * out-parameters), each allocated once from the pool's arena on first use and reused by every call after, the
 * arrays a read fills its chains with, and the segment view of the last array copied with libc's {@code memcpy}.
 * <p>
 * <b>Thread-safety:</b> owner thread of the pool only (checked); one syscall at a time uses each segment.
 */
public final class PoolScratch
{
    private static final int IOV = 0;
    private static final int MSGHDR = 1;
    private static final int SENDFILE = 2;
    private static final int CALL_STATE = 3;
    private static final int OUT = 4;
    /** Placed adds of one array per reading of its address (a power of two). */
    static final int ADDRESS_READ_EVERY = 64;

    /** The chains a read fills ({@link ChainIo}); owner thread, one read at a time. */
    final Chain[] readChains = new Chain[ChainIo.NUM_READ_IOVEC];
    /** Bytes to read into each of {@link #readChains}. */
    final long[] readLengths = new long[ChainIo.NUM_READ_IOVEC];
    private final ChunkPool pool;
    private final MemorySegment[] segments = new MemorySegment[5];
    private byte[] viewedArray;
    private MemorySegment arrayView = MemorySegment.NULL;
    private long viewAddress;
    private int addressUses;
    private MemorySegment ownerCallState;

    PoolScratch(final ChunkPool pool)
    {
        this.pool = pool;
    }

    /**
     * A scratch iovec array of {@link ChunkPool#IOV_ENTRIES} entries for one readv/writev at a time.
     *
     * @param entryBytes the size of one iovec.
     * @return the array.
     */
    public MemorySegment iov(final long entryBytes)
    {
        return slot(IOV, entryBytes * ChunkPool.IOV_ENTRIES, 16);
    }

    /**
     * A zeroed {@code struct msghdr} for one sendmsg at a time.
     *
     * @param bytes its size.
     * @return the segment.
     */
    public MemorySegment msghdr(final long bytes)
    {
        return slot(MSGHDR, bytes, 16);
    }

    /**
     * Zeroed scratch for one sendfile with SIGPIPE blocked.
     *
     * @param bytes its size.
     * @return the segment.
     */
    public MemorySegment sendfile(final long bytes)
    {
        return slot(SENDFILE, bytes, 16);
    }

    /**
     * A call-state segment for this thread's syscalls.
     *
     * @param bytes its size.
     * @param align its alignment.
     * @return the segment.
     */
    public MemorySegment callState(final long bytes, final long align)
    {
        return slot(CALL_STATE, bytes, align);
    }

    /**
     * {@link #callState} for a caller that already knows it runs on the owner thread (it got the pool from
     * {@link ChunkPool#forCurrentThread} or {@link ChunkPool#threadDefault}): one field load once allocated, no
     * second owner check and no slot array on every syscall of a read or write.
     *
     * @param bytes its size.
     * @param align its alignment.
     * @return the segment.
     */
    MemorySegment ownerCallState(final long bytes, final long align)
    {
        final MemorySegment segment = ownerCallState;
        return null != segment ? segment : (ownerCallState = slot(CALL_STATE, bytes, align));
    }

    /**
     * Sixteen bytes for syscall out-parameters (FIONREAD's count, sendfile's offset).
     *
     * @return the segment.
     */
    public MemorySegment out()
    {
        return slot(OUT, 16, 8);
    }

    /**
     * A segment view of {@code array} for a downcall that takes it in place ({@link io.panamax.ffm.Mem#copy},
     * {@link io.panamax.ffm.Mem#address}). The view of the last array asked for is kept, so adding the same array
     * again (a sender's reused buffer) creates no object whatever the JIT does; a view made per call was removed only
     * when the JIT inlined the whole downcall, and one JMH fork in about twenty kept it (40 B per add). The cost is
     * that the pool keeps its thread's last such array (16 KiB to 1 MiB) reachable until another one replaces it.
     *
     * @param array the array.
     * @return a view of all of it.
     */
    MemorySegment arrayView(final byte[] array)
    {
        pool.checkOwner();
        if (array != viewedArray)
        {
            arrayView = MemorySegment.ofArray(array);
            viewedArray = array;
            addressUses = 0;
        }
        return arrayView;
    }

    /**
     * Where the array of the last {@link #arrayView} lies, as a placement hint: read with {@link Mem#address} on the
     * first call for an array and then on every {@value #ADDRESS_READ_EVERY}th, the calls between reusing the last
     * reading (the downcall was ~4-9 ns of a 16 KiB add). The collector may have moved the array since: then up to
     * that many copies land where memcpy runs slower, never wrongly, as the copy passes the array itself.
     *
     * @return the address of the array's first byte when last read.
     */
    long arrayAddress()
    {
        if (0 == (addressUses++ & (ADDRESS_READ_EVERY - 1)))
        {
            viewAddress = Mem.address(arrayView);
        }
        return viewAddress;
    }

    /** Forget every segment (the pool is closing its arena). */
    void clear()
    {
        java.util.Arrays.fill(segments, null);
        ownerCallState = null;
        viewedArray = null;
        arrayView = MemorySegment.NULL;
    }

    private MemorySegment slot(final int slot, final long bytes, final long align)
    {
        pool.checkOwner();
        MemorySegment segment = segments[slot];
        if (null == segment)
        {
            segment = pool.allocateScratch(bytes, align);
            segments[slot] = segment;
        }
        return segment;
    }
}
