package io.panamax.internal.buffer;

import java.lang.foreign.MemorySegment;

import io.panamax.ffm.Mem;

/**
 * Where a long copy from a Java array lands in a chain that holds no data yet. libc's {@code memcpy} of 16 KiB took
 * 250-370 ns or 110-150 ns on the benchmark machine (x86-64, glibc's {@code rep movsb} path) depending only on
 * {@code rel = (destination - source) mod 4096}: with the destination a little ahead of the source within a page,
 * later loads falsely wait on earlier stores to the same page offset (4 KiB aliasing); with the destination 128 to
 * 1024 bytes behind the source, and both at the same offset within 64 bytes, it ran fastest. The array's address is
 * learnt with {@link Mem#address} (a few ns) and the chain's start ({@code misalign}) is chosen so that the
 * copy has that relation. The collector may move the array later: a placement then only turns out slower, never
 * wrong, because the copy itself passes the array in place. The array is seen through the one view its thread's pool
 * keeps ({@link PoolScratch#arrayView}), so neither the address nor the copy creates an object.
 * <p>
 * Only the copies that go through {@code memcpy} are placed ({@link ChainList#NATIVE_COPY_MIN} bytes or more from
 * an array's first byte); for them a new chain is asked {@link #SLACK} bytes larger (up to {@link #SLACK_MAX}
 * bytes, so an add of exactly 16 KiB gets a 32 KiB chunk, as libevent's chain header makes it allocate) and the
 * bytes before the copy, at most {@code 4096 - (BAND_HI - BAND_LO)}, stay unused until the chain is freed.
 * <p>
 * <b>Thread-safety:</b> stateless; safe from any thread.
 */
final class CopyPlacement
{
    /** The room a placement needs at most: the shift is below one page. */
    static final long SLACK = 4096;
    /** Copies up to this length get a chunk with room for the shift; longer ones are placed when the room is there. */
    static final long SLACK_MAX = 64 * 1024;
    /** The lowest {@code rel} aimed at (the destination 1024 bytes behind the source within a page). */
    static final long BAND_LO = 3072;
    /**
     * The highest {@code rel} aimed at (the destination 256 bytes behind the source within a page): a scan of
     * {@code rel} 2048-3968 in steps of 128 (session 5, memcpy alone, best of 400×100) found 123-125 ns over 3072-3840
     * and 145 ns at 3968.
     */
    static final long BAND_HI = 3840;

    private static final long PAGE_MASK = 4095;
    private static final long LINE_MASK = 63;

    private CopyPlacement()
    {
    }

    /**
     * @param array  the source array, or null for a segment.
     * @param from   its first byte to copy.
     * @param len    bytes.
     * @return true when {@link ChainList} copies this through libc's {@code memcpy} (so it is worth placing).
     */
    static boolean viaMemcpy(final Object array, final long from, final long len)
    {
        return 0 == from && len >= ChainList.NATIVE_COPY_MIN && len <= ChainList.NATIVE_COPY_MAX &&
            array instanceof byte[];
    }

    /**
     * @param array  the source array, or null for a segment.
     * @param from   its first byte to copy.
     * @param len    bytes.
     * @return the bytes to ask for a new chain that will take this copy first.
     */
    static long request(final Object array, final long from, final long len)
    {
        return len <= SLACK_MAX && viaMemcpy(array, from, len) ? len + SLACK : len;
    }

    /**
     * Move the start of a chain that holds no data ({@code misalign}) to where the copy runs fastest, when the copy
     * is one that is placed and the chain has the room; otherwise leave the chain as it is.
     *
     * @param chain  the chain: no data, mutable.
     * @param view   a view of the source array ({@link PoolScratch#arrayView}), or null when the copy is not placed.
     * @param len    bytes.
     */
    static void place(final Chain chain, final MemorySegment view, final long len)
    {
        if (null == view || chain.bufferLen <= len || !chain.memory.isNative())
        {
            return;
        }
        final long shift = shift(chain.memory.address(), Mem.address(view));
        if (shift <= chain.bufferLen - len)
        {
            chain.misalign = shift;
        }
    }

    /**
     * The whole of a placed add into a list with no chain, addDrain's steady state (a buffer its reader empties):
     * one chunk with room for the shift, placed by the pool's address hint ({@link PoolScratch#arrayAddress}), one
     * memcpy, the list set to that chain. It skips the general add's checks that cannot fail here (the chunk is fresh,
     * native, mutable and at least {@code len + SLACK} bytes up to {@link #SLACK_MAX}).
     *
     * @param list  a list with no chain.
     * @param array the source, copied from its first byte ({@link #viaMemcpy} holds).
     * @param len   bytes.
     * @return 0, or -1 when the pool refuses a chunk (the list is then unchanged).
     */
    static int addToEmpty(final ChainList list, final byte[] array, final long len)
    {
        final ChunkPool pool = list.pool().forCurrentThread();
        // Straight from the pool: the list's spare (ChainList.SPARE_MAX) is smaller than any placed chunk.
        final Chain chain = pool.membuf(len <= SLACK_MAX ? len + SLACK : len);
        if (null == chain)
        {
            return -1;
        }
        final PoolScratch scratch = pool.scratch();
        final MemorySegment view = scratch.arrayView(array);
        final long address = chain.memory.address();
        final long shift = shift(address, scratch.arrayAddress());
        final long misalign = shift <= chain.bufferLen - len ? shift : 0;
        Mem.copy(view, address + misalign, len);
        chain.misalign = misalign;
        chain.off = len;
        list.first = chain;
        list.last = chain;
        list.lastWithData = chain;
        list.totalLen += len;
        list.nAddForCb += len;
        list.version++;
        return 0;
    }

    /**
     * @param destination where a copy would land unshifted.
     * @param source      where it comes from.
     * @return the fewest bytes, below 4096, to move the destination by so that its offset from the source within a
     *         page lies in {@code [BAND_LO, BAND_HI]} and is a multiple of 64.
     */
    static long shift(final long destination, final long source)
    {
        final long rel = (destination - source) & PAGE_MASK;
        if (rel >= BAND_LO && rel <= BAND_HI)
        {
            return -rel & LINE_MASK;
        }
        return (BAND_LO - rel) & PAGE_MASK;
    }
}
