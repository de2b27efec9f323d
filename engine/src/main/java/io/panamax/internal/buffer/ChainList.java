package io.panamax.internal.buffer;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import io.panamax.ffm.Mem;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The chain list behind an {@code EvBuffer} and its structural operations, following libevent's {@code buffer.c}:
 * {@link #first}, {@link #last}, {@link #lastWithData} (the last chain holding data, or the first chain when none
 * does; libevent's {@code *last_with_datap}) and {@link #totalLen}. Bytes are copied from and to either a Java
 * array or a memory segment (one of the two is null), so no call allocates.
 * <p>
 * Freeze flags, locking, callbacks and argument checks live in {@code EvBuffer}; this class only keeps the list
 * right and counts bytes added and deleted for the callbacks. It holds adding, prepending and draining; moves
 * between lists are in {@link ChainMoves}, free space and read vectors in {@link ChainSpace}, references and file
 * ranges in {@link ChainRefs}, the invariant check in {@link ChainChecks}.
 * <p>
 * <b>Thread-safety:</b> none; the owning buffer serialises access.
 */
public final class ChainList
{
    /** libevent's {@code EVBUFFER_CHAIN_MAX_AUTO_SIZE}: doubling of new chains for small adds stops here. */
    public static final long MAX_AUTO_SIZE = 4096;
    static final long MAX_TO_COPY_IN_EXPAND = 4096;
    static final long MAX_TO_REALIGN_IN_EXPAND = 2048;
    /**
     * A copy of at least this many bytes from the start of a Java array goes through libc's memcpy
     * ({@link Mem#copy}, through the view {@link PoolScratch#arrayView} keeps): at 16 KiB it was 20-30 % faster than the JIT's copy stub whatever the array's
     * placement (the stub stalls on 4 KiB aliasing and unaligned 64-byte loads), while at 1-8 KiB the stub was as
     * fast or faster for most placements and the downcall's fixed cost weighs more. Such a copy into a chain with no
     * data is moved to where memcpy runs fastest ({@link CopyPlacement}).
     */
    static final long NATIVE_COPY_MIN = 16 * 1024;
    /**
     * The largest copy given to libc's memcpy: a critical downcall cannot stop at a safepoint, so a long copy would
     * hold up every other thread's GC pause (1 MiB takes some tens of µs; java.nio's buffers split their bulk
     * copies every 1 MiB for the same reason).
     */
    static final long NATIVE_COPY_MAX = 1024 * 1024;
    /**
     * The largest chunk a list keeps as its {@link #spare} when a drain empties it: the sizes small adds and reads
     * use (libevent's chains for them grow up to {@link #MAX_AUTO_SIZE}), so an empty buffer holds at most this.
     */
    static final long SPARE_MAX = MAX_AUTO_SIZE;

    /** First chain, or null. */
    public Chain first;
    /** Last chain, or null. */
    public Chain last;
    /** The last chain with data, or {@link #first} when no chain has data. */
    public Chain lastWithData;
    /** Readable bytes. */
    public long totalLen;
    /** Bytes added since the callbacks last ran. */
    public long nAddForCb;
    /** Bytes deleted since the callbacks last ran. */
    public long nDelForCb;
    /** Bumped by every change, so a stale position can be detected. */
    public long version;
    /** Set once a file segment may be in the list (cleared by {@link #hasFileSegment()} when none is). */
    public boolean mayHoldFiles;

    private final ChunkPool pool;
    /**
     * The chain a drain that emptied the list took out, kept (still lent by its pool) for the next new chain of its
     * size, or null: a buffer that is filled and emptied in turn (a message at a time) then skips giving its chunk
     * and descriptor back and borrowing them again. Only a small chunk of a pool that no other chain shares is kept
     * ({@link #keepsAsSpare}); {@link #freeSpare} gives it back (the buffer's close).
     */
    private Chain spare;

    /**
     * @param pool where new chunks come from (when the caller owns it).
     */
    public ChainList(final ChunkPool pool)
    {
        this.pool = pool;
    }

    /**
     * @return the pool this list lends from.
     */
    public ChunkPool pool()
    {
        return pool;
    }

    /**
     * A new chain over a fresh chunk of at least {@code size} bytes.
     *
     * @param size bytes wanted.
     * @return the chain, or null when the pool refuses.
     */
    public Chain newMembuf(final long size)
    {
        final Chain kept = spare;
        if (null != kept && size >= 0 && kept.bufferLen == ChunkPool.roundUp(size))
        {
            spare = null;
            return kept;
        }
        return pool.forCurrentThread().membuf(size);
    }

    /**
     * Give the {@link #spare} chain back to its pool (the owning buffer is closing).
     */
    public void freeSpare()
    {
        final Chain kept = spare;
        if (null != kept)
        {
            spare = null;
            kept.free();
        }
    }

    /**
     * @return the chain kept for the next new chain of its size, or null (for tests and accounting checks).
     */
    public Chain spare()
    {
        return spare;
    }

    /**
     * Give this list's {@link #spare} to {@code emptied}, a list that a move just emptied and that has none: the
     * list a move fills never asks for a new chain of its own (an echo's output), while the one it empties will
     * (the input's next read), so the output's drain keeps the chunk it emptied and the input takes it next time
     * instead of the pool.
     *
     * @param emptied the list the move emptied.
     */
    void handSpareTo(final ChainList emptied)
    {
        final Chain kept = spare;
        if (null != kept && null == emptied.spare)
        {
            spare = null;
            emptied.spare = kept;
        }
    }

    /** True when {@code chain}, the only one left, may become the {@link #spare} instead of being freed. */
    private boolean keepsAsSpare(final Chain chain)
    {
        final Chunk chunk = chain.chunk;
        // The size first (bufferLen is the chunk's capacity for a pool chain): an echo's read chunk is bigger, and
        // then no other field (nor the chunk) is loaded.
        return chain.bufferLen <= SPARE_MAX && null == spare && null == chain.next && 0 == chain.flags &&
            null != chunk && Chunk.REFERENCE != chunk.sizeClass && chunk.capacity <= SPARE_MAX && 1 == chunk.refCount();
    }

    /**
     * Forget every chain (they have been freed or moved).
     */
    public void zero()
    {
        first = null;
        last = null;
        lastWithData = null;
        totalLen = 0;
        version++;
    }

    /**
     * Free every chain (runs reference cleanups) and empty the list.
     */
    public void freeAll()
    {
        final Chain chain = first;
        zero();
        freeFrom(chain);
    }

    /**
     * @param chain the first chain to free, then every one after it.
     */
    public static void freeFrom(final Chain chain)
    {
        Chain c = chain;
        while (null != c)
        {
            final Chain next = c.next;
            c.free();
            c = next;
        }
    }

    /**
     * Free the empty chains after {@link #lastWithData} (all chains when none has data).
     *
     * @return the chain to link new chains after, or null when they go first ({@link #first} is then null).
     */
    Chain freeTrailingEmptyChains()
    {
        final Chain lwd = lastWithData;
        if (null == lwd)
        {
            return null;
        }
        if (0 != lwd.off)
        {
            final Chain victims = lwd.next;
            lwd.next = null;
            freeFrom(victims);
            return lwd;
        }
        final Chain victims = first;
        first = null;
        freeFrom(victims);
        return null;
    }

    /**
     * Append a chain, freeing trailing empty chains first (libevent's {@code evbuffer_chain_insert}).
     *
     * @param chain the chain; its bytes count as added to the length but not to the callback counters.
     */
    public void insert(final Chain chain)
    {
        if (null == first)
        {
            first = chain;
            last = chain;
            lastWithData = chain;
        }
        else
        {
            final Chain at = freeTrailingEmptyChains();
            if (null == at)
            {
                first = chain;
                lastWithData = chain;
            }
            else
            {
                at.next = chain;
                if (0 != chain.off)
                {
                    lastWithData = chain;
                }
            }
            last = chain;
        }
        totalLen += chain.off;
        version++;
    }

    /**
     * Move {@link #lastWithData} to the last chain that holds data.
     */
    public void advanceLastWithData()
    {
        Chain c = lastWithData;
        if (null == c)
        {
            return;
        }
        while (null != c.next)
        {
            c = c.next;
            if (0 != c.off)
            {
                lastWithData = c;
            }
        }
    }

    /**
     * @return the view of {@code array} to copy through libc's memcpy and to place the copy by, or null when this
     *         copy goes through the JIT's stub ({@link CopyPlacement#viaMemcpy}).
     */
    private MemorySegment memcpyView(final Object array, final long from, final long len)
    {
        return CopyPlacement.viaMemcpy(array, from, len) ? pool.forCurrentThread().scratch().arrayView((byte[])array) :
            null;
    }

    private void copyIn(
        final Chain chain, final long at, final Object array, final MemorySegment segment, final long from,
        final long len)
    {
        if (0 == len)
        {
            return;
        }
        if (null != array)
        {
            final MemorySegment memory = chain.memory;
            if (len >= NATIVE_COPY_MIN && memory.isNative() && CopyPlacement.viaMemcpy(array, from, len))
            {
                Objects.checkFromIndexSize(at, len, memory.byteSize());
                Mem.copy(memcpyView(array, from, len), memory.address() + at, len);
            }
            else
            {
                MemorySegment.copy(array, (int)from, memory, JAVA_BYTE, at, (int)len);
            }
        }
        else
        {
            MemorySegment.copy(segment, from, chain.memory, at, len);
        }
    }

    /**
     * Copy bytes of a chain out.
     *
     * @param chain   the chain.
     * @param at      offset in the chain's memory.
     * @param array   destination array, or null.
     * @param segment destination segment when {@code array} is null.
     * @param to      offset in the destination.
     * @param len     bytes.
     */
    public static void copyOut(
        final Chain chain, final long at, final Object array, final MemorySegment segment, final long to,
        final long len)
    {
        if (0 == len)
        {
            return;
        }
        if (null != array)
        {
            MemorySegment.copy(chain.memory, JAVA_BYTE, at, array, (int)to, (int)len);
        }
        else
        {
            MemorySegment.copy(chain.memory, at, segment, to, len);
        }
    }

    static boolean shouldRealign(final Chain chain, final long datlen)
    {
        return chain.bufferLen - chain.off >= datlen && chain.off < chain.bufferLen / 2 &&
            chain.off <= MAX_TO_REALIGN_IN_EXPAND;
    }

    static void align(final Chain chain)
    {
        MemorySegment.copy(chain.memory, chain.misalign, chain.memory, 0, chain.off);
        chain.misalign = 0;
    }

    /**
     * Append a copy (libevent's {@code evbuffer_add}).
     *
     * @return 0, or -1 when no memory could be had (the list is then unchanged).
     */
    public int add(final Object array, final MemorySegment segment, final long from, final long datlen)
    {
        // The common cases, small enough to be inlined into the caller: a short copy into the last chain's free
        // space, or into the spare when the list has no chain. The same steps as addAny takes for them.
        Chain chain = lastWithData;
        if (datlen >= NATIVE_COPY_MIN)
        {
            return addAny(array, segment, from, datlen);
        }
        if (null == chain)
        {
            chain = spare;
            if (null == chain || chain.bufferLen != ChunkPool.roundUp(datlen))
            {
                return addAny(array, segment, from, datlen);
            }
            spare = null;
            first = chain;
            last = chain;
            lastWithData = chain;
            version++;
        }
        final long end = chain.misalign + chain.off;
        if (0 != (chain.flags & Chain.IMMUTABLE) || chain.bufferLen - end < datlen)
        {
            return addAny(array, segment, from, datlen);
        }
        version++;
        copyIn(chain, end, array, segment, from, datlen);
        chain.off += datlen;
        totalLen += datlen;
        nAddForCb += datlen;
        return 0;
    }

    private int addAny(final Object array, final MemorySegment segment, final long from, final long datlen)
    {
        final boolean large = datlen >= NATIVE_COPY_MIN; // only such copies may be placed: small adds test once
        if (large && null == first && CopyPlacement.viaMemcpy(array, from, datlen))
        {
            return CopyPlacement.addToEmpty(this, (byte[])array, datlen);
        }
        Chain chain = lastWithData;
        if (null == chain)
        {
            chain = newMembuf(
                large ? Math.min(CopyPlacement.request(array, from, datlen), ChunkPool.MAX_CHUNK) : datlen);
            if (null == chain)
            {
                return -1;
            }
            insert(chain);
        }
        version++;
        long remain = 0;
        if (0 == (chain.flags & Chain.IMMUTABLE))
        {
            if (large && 0 == chain.off)
            {
                CopyPlacement.place(chain, memcpyView(array, from, datlen), datlen);
            }
            remain = chain.bufferLen - chain.misalign - chain.off;
            if (remain >= datlen)
            {
                copyIn(chain, chain.misalign + chain.off, array, segment, from, datlen);
                chain.off += datlen;
                totalLen += datlen;
                nAddForCb += datlen;
                return 0;
            }
            else if (shouldRealign(chain, datlen))
            {
                align(chain);
                copyIn(chain, chain.off, array, segment, from, datlen);
                chain.off += datlen;
                totalLen += datlen;
                nAddForCb += datlen;
                return 0;
            }
        }
        long toAlloc = Math.min(chain.bufferLen, MAX_AUTO_SIZE);
        if (toAlloc <= MAX_AUTO_SIZE / 2)
        {
            toAlloc <<= 1;
        }
        final long rest = datlen - remain;
        if (rest > toAlloc)
        {
            toAlloc = large && 0 == remain ? CopyPlacement.request(array, from, rest) : rest;
        }
        final Chain tmp = rest > ChunkPool.MAX_CHUNK ? bigChains(rest) : newMembuf(toAlloc);
        if (null == tmp)
        {
            return -1;
        }
        if (remain > 0)
        {
            copyIn(chain, chain.misalign + chain.off, array, segment, from, remain);
            chain.off += remain;
            totalLen += remain;
            nAddForCb += remain;
        }
        long at = from + remain;
        Chain c = tmp;
        long left = rest;
        while (null != c)
        {
            final Chain next = c.next;
            c.next = null;
            if (large)
            {
                CopyPlacement.place(c, memcpyView(array, at, left), left);
            }
            final long n = Math.min(left, c.bufferLen - c.misalign);
            copyIn(c, c.misalign, array, segment, at, n);
            c.off = n;
            at += n;
            left -= n;
            insert(c);
            c = next;
        }
        nAddForCb += rest;
        return 0;
    }

    /** Chains of {@link ChunkPool#MAX_CHUNK} covering {@code size}, linked, or null (nothing kept). */
    private Chain bigChains(final long size)
    {
        Chain head = null;
        Chain tail = null;
        for (long left = size; left > 0; left -= ChunkPool.MAX_CHUNK)
        {
            final Chain c = newMembuf(Math.min(left, ChunkPool.MAX_CHUNK));
            if (null == c)
            {
                freeFrom(head);
                return null;
            }
            if (null == head)
            {
                head = c;
            }
            else
            {
                tail.next = c;
            }
            tail = c;
        }
        return head;
    }

    /**
     * Insert a copy at the front (libevent's {@code evbuffer_prepend}); a non-empty chunk is never written past
     * its misalign, and an immutable one never.
     *
     * @return 0, or -1 when no memory could be had (the list is then unchanged).
     */
    public int prepend(final Object array, final MemorySegment segment, final long from, final long datlen)
    {
        if (0 == datlen)
        {
            return 0;
        }
        if (datlen > ChunkPool.MAX_CHUNK)
        {
            return -1;
        }
        Chain chain = first;
        if (null == chain)
        {
            chain = newMembuf(datlen);
            if (null == chain)
            {
                return -1;
            }
            insert(chain);
        }
        version++;
        final boolean mutable = 0 == (chain.flags & Chain.IMMUTABLE);
        final long room = !mutable ? 0 : 0 == chain.off ? chain.bufferLen : chain.misalign;
        if (room >= datlen)
        {
            if (0 == chain.off)
            {
                chain.misalign = chain.bufferLen;
            }
            copyIn(chain, chain.misalign - datlen, array, segment, from, datlen);
            chain.off += datlen;
            chain.misalign -= datlen;
            totalLen += datlen;
            nAddForCb += datlen;
            return 0;
        }
        final Chain tmp = newMembuf(datlen - room);
        if (null == tmp)
        {
            return -1;
        }
        long len = datlen;
        if (room > 0)
        {
            if (0 == chain.off)
            {
                chain.misalign = chain.bufferLen;
            }
            copyIn(chain, 0, array, segment, from + datlen - room, room);
            chain.off += room;
            totalLen += room;
            nAddForCb += room;
            len -= room;
            chain.misalign = 0;
        }
        if (lastWithData == chain && 0 == chain.off)
        {
            lastWithData = tmp;
        }
        first = tmp;
        tmp.next = chain;
        tmp.off = len;
        tmp.misalign = tmp.bufferLen - len;
        copyIn(tmp, tmp.misalign, array, segment, from, len);
        totalLen += len;
        nAddForCb += len;
        return 0;
    }

    /**
     * Drop bytes from the front (libevent's {@code evbuffer_drain}).
     *
     * @param len bytes, not negative; more than the length empties the list.
     * @return bytes dropped.
     */
    public long drain(final long len)
    {
        final long oldLen = totalLen;
        if (0 == oldLen)
        {
            return 0;
        }
        if (len >= oldLen)
        {
            final Chain only = first;
            if (keepsAsSpare(only))
            {
                zero();
                only.misalign = 0;
                only.off = 0;
                spare = only;
            }
            else
            {
                freeAll();
            }
            nDelForCb += oldLen;
            return oldLen;
        }
        version++;
        totalLen -= len;
        long remaining = len;
        Chain chain = first;
        while (remaining >= chain.off)
        {
            final Chain next = chain.next;
            remaining -= chain.off;
            chain.free();
            chain = next;
        }
        first = chain;
        chain.misalign += remaining;
        chain.off -= remaining;
        nDelForCb += len;
        return len;
    }

}
