package io.panamax.internal.buffer;

import java.lang.foreign.MemorySegment;

import io.panamax.EvBufferRefCleanup;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The chain list behind an {@code EvBuffer} and its structural operations, following libevent's {@code buffer.c}:
 * {@link #first}, {@link #last}, {@link #lastWithData} (the last chain holding data, or the first chain when none
 * does; libevent's {@code *last_with_datap}) and {@link #totalLen}. Bytes are copied from and to either a Java
 * array or a memory segment (one of the two is null), so no call allocates.
 * <p>
 * Freeze flags, locking, callbacks and argument checks live in {@code EvBuffer}; this class only keeps the list
 * right and counts bytes added and deleted for the callbacks.
 * <p>
 * <b>Thread-safety:</b> none; the owning buffer serialises access.
 */
public final class ChainList
{
    /** libevent's {@code EVBUFFER_CHAIN_MAX_AUTO_SIZE}: doubling of new chains for small adds stops here. */
    public static final long MAX_AUTO_SIZE = 4096;
    private static final long MAX_TO_COPY_IN_EXPAND = 4096;
    private static final long MAX_TO_REALIGN_IN_EXPAND = 2048;

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
        return pool.forCurrentThread().membuf(size);
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

    static void copyIn(
        final Chain chain, final long at, final Object array, final MemorySegment segment, final long from,
        final long len)
    {
        if (0 == len)
        {
            return;
        }
        if (null != array)
        {
            MemorySegment.copy(array, (int)from, chain.memory, JAVA_BYTE, at, (int)len);
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

    private static boolean shouldRealign(final Chain chain, final long datlen)
    {
        return chain.bufferLen - chain.off >= datlen && chain.off < chain.bufferLen / 2 &&
            chain.off <= MAX_TO_REALIGN_IN_EXPAND;
    }

    private static void align(final Chain chain)
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
        Chain chain = lastWithData;
        if (null == chain)
        {
            chain = newMembuf(Math.min(datlen, ChunkPool.MAX_CHUNK));
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
            toAlloc = rest;
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
            final long n = Math.min(left, c.bufferLen);
            copyIn(c, 0, array, segment, at, n);
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
            freeAll();
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

    /**
     * Copy bytes out starting inside a chain, without draining (libevent's {@code evbuffer_copyout_from} loop).
     *
     * @param chain       the chain holding the first byte.
     * @param posInChain  offset of that byte among the chain's readable bytes.
     * @param array       destination array, or null.
     * @param segment     destination segment when {@code array} is null.
     * @param to          destination offset.
     * @param datlen      bytes; the caller made sure they exist.
     */
    public static void copyOutFrom(
        final Chain chain, final long posInChain, final Object array, final MemorySegment segment, final long to,
        final long datlen)
    {
        Chain c = chain;
        long pos = posInChain;
        long left = datlen;
        long at = to;
        while (left > 0 && left >= c.off - pos)
        {
            final long n = c.off - pos;
            copyOut(c, c.misalign + pos, array, segment, at, n);
            at += n;
            left -= n;
            c = c.next;
            pos = 0;
        }
        if (left > 0)
        {
            copyOut(c, c.misalign + pos, array, segment, at, left);
        }
    }

    /** This list is empty: drop its empty chains and take src's chains as they are. */
    private void takeAll(final ChainList src, final long inTotal)
    {
        freeAll();
        first = src.first;
        lastWithData = src.lastWithData;
        last = src.last;
        totalLen = inTotal;
    }

    /**
     * Move every chain of {@code src} to the end of this list (libevent's {@code evbuffer_add_buffer}); src ends
     * empty. Counters of both lists are updated.
     *
     * @param src a different, non-empty list.
     */
    public void appendAll(final ChainList src)
    {
        final long inTotal = src.totalLen;
        mayHoldFiles |= src.mayHoldFiles;
        if (0 == totalLen)
        {
            takeAll(src, inTotal);
        }
        else
        {
            final Chain at = freeTrailingEmptyChains();
            at.next = src.first;
            lastWithData = src.lastWithData;
            last = src.last;
            totalLen += inTotal;
        }
        version++;
        src.zero();
        src.nDelForCb += inTotal;
        nAddForCb += inTotal;
    }

    /**
     * Move every chain of {@code src} to the front of this list (libevent's {@code evbuffer_prepend_buffer}).
     *
     * @param src a different, non-empty list.
     */
    public void prependAll(final ChainList src)
    {
        final long inTotal = src.totalLen;
        mayHoldFiles |= src.mayHoldFiles;
        if (0 == totalLen)
        {
            takeAll(src, inTotal);
        }
        else
        {
            src.last.next = first;
            first = src.first;
            totalLen += inTotal;
        }
        version++;
        src.zero();
        src.nDelForCb += inTotal;
        nAddForCb += inTotal;
    }

    /**
     * Move {@code datlen} bytes (less than this list's length) to {@code dst}: whole chains move, the chain that
     * is split is copied (libevent's {@code evbuffer_remove_buffer} after its shortcut).
     *
     * @param dst    the destination, a different list.
     * @param datlen bytes, {@code 0 < datlen < totalLen}.
     * @return bytes moved (fewer only when dst could not get memory for the split part).
     */
    public long moveTo(final ChainList dst, final long datlen)
    {
        dst.mayHoldFiles |= mayHoldFiles;
        Chain chain = first;
        Chain previous = chain;
        long nread = 0;
        long left = datlen;
        while (chain.off <= left)
        {
            nread += chain.off;
            left -= chain.off;
            previous = chain;
            chain = chain.next;
        }
        version++;
        if (chain != first)
        {
            final Chain at = dst.freeTrailingEmptyChains();
            if (null == at)
            {
                dst.first = first;
                dst.lastWithData = first;
            }
            else
            {
                at.next = first;
            }
            dst.last = previous;
            previous.next = null;
            first = chain;
            dst.advanceLastWithData();
            dst.totalLen += nread;
            dst.nAddForCb += nread;
            dst.version++;
        }
        if (left > 0 && 0 == dst.add(null, chain.memory, chain.misalign, left))
        {
            chain.misalign += left;
            chain.off -= left;
            nread += left;
        }
        totalLen -= nread;
        nDelForCb += nread;
        return nread;
    }

    /**
     * Ensure {@code datlen} writable bytes in one chain (libevent's {@code evbuffer_expand_singlechain}).
     *
     * @param datlen bytes, not negative.
     * @return the chain with that much space, or null when no memory could be had.
     */
    public Chain expandSingleChain(final long datlen)
    {
        Chain chain = lastWithData;
        if (null != chain && 0 == chain.spaceLen())
        {
            chain = chain.next;
        }
        if (null != chain && 0 == (chain.flags & Chain.IMMUTABLE))
        {
            if (chain.spaceLen() >= datlen)
            {
                return chain;
            }
            if (0 != chain.off)
            {
                if (shouldRealign(chain, datlen))
                {
                    version++;
                    align(chain);
                    return chain;
                }
                if (chain.spaceLen() < chain.bufferLen / 8 || chain.off > MAX_TO_COPY_IN_EXPAND ||
                    datlen >= ChunkPool.MAX_CHUNK - chain.off)
                {
                    if (null != chain.next && chain.next.spaceLen() >= datlen)
                    {
                        return chain.next;
                    }
                }
                else
                {
                    return resize(chain, datlen);
                }
            }
        }
        final Chain fresh = newMembuf(datlen);
        if (null == fresh)
        {
            return null;
        }
        insert(fresh);
        return fresh;
    }

    /** Replace {@code chain} (== lastWithData) by a bigger copy. */
    private Chain resize(final Chain chain, final long datlen)
    {
        final Chain tmp = newMembuf(chain.off + datlen);
        if (null == tmp)
        {
            return null;
        }
        version++;
        tmp.off = chain.off;
        MemorySegment.copy(chain.memory, chain.misalign, tmp.memory, 0, chain.off);
        if (first == chain)
        {
            first = tmp;
        }
        else
        {
            Chain prev = first;
            while (prev.next != chain)
            {
                prev = prev.next;
            }
            prev.next = tmp;
        }
        if (last == chain)
        {
            last = tmp;
        }
        lastWithData = tmp;
        tmp.next = chain.next;
        chain.next = null;
        chain.free();
        return tmp;
    }

    /**
     * Ensure {@code datlen} writable bytes in at most {@code n} chains from {@link #lastWithData}, never moving
     * data (libevent's {@code evbuffer_expand_fast_}).
     *
     * @param datlen bytes.
     * @param n      chains, at least 2.
     * @return 0, or -1 when no memory could be had (the list is then unchanged).
     */
    public int expandFast(final long datlen, final int n)
    {
        Chain chain = last;
        if (null == chain || 0 != (chain.flags & Chain.IMMUTABLE))
        {
            final Chain fresh = newMembuf(datlen);
            if (null == fresh)
            {
                return -1;
            }
            insert(fresh);
            return 0;
        }
        int used = 0;
        long avail = 0;
        for (chain = lastWithData; null != chain; chain = chain.next)
        {
            if (0 != chain.off)
            {
                final long space = chain.spaceLen();
                if (space > 0)
                {
                    avail += space;
                    used++;
                }
            }
            else
            {
                if (0 == (chain.flags & Chain.IMMUTABLE))
                {
                    chain.misalign = 0;
                    avail += chain.bufferLen;
                }
                used++;
            }
            if (avail >= datlen)
            {
                return 0;
            }
            if (used == n)
            {
                break;
            }
        }
        version++;
        if (used < n)
        {
            final Chain fresh = newMembuf(datlen - avail);
            if (null == fresh)
            {
                return -1;
            }
            last.next = fresh;
            last = fresh;
            return 0;
        }
        final Chain lwd = lastWithData;
        final boolean removeAll = 0 == lwd.off;
        final long keep = removeAll ? 0 : lwd.spaceLen();
        final Chain fresh = newMembuf(datlen - keep);
        if (null == fresh)
        {
            return -1;
        }
        if (removeAll)
        {
            freeFrom(first);
            first = fresh;
            last = fresh;
            lastWithData = fresh;
        }
        else
        {
            final Chain victims = lwd.next;
            lwd.next = fresh;
            last = fresh;
            freeFrom(victims);
        }
        return 0;
    }

    /**
     * Describe the writable space after the data in up to {@code nAvail} chains (libevent's
     * {@code evbuffer_read_setup_vecs_}); call {@link #expandFast} first.
     *
     * @param howmuch bytes wanted.
     * @param chains  receives the chains.
     * @param lengths receives the writable bytes of each.
     * @param nAvail  entries available.
     * @param exact   true to trim the last entry so the total is exactly {@code howmuch}.
     * @return entries used.
     */
    public int setupVecs(
        final long howmuch, final Chain[] chains, final long[] lengths, final int nAvail, final boolean exact)
    {
        long soFar = 0;
        Chain chain = lastWithData;
        if (null != chain && 0 == chain.spaceLen())
        {
            chain = chain.next;
        }
        int i = 0;
        for (; i < nAvail && soFar < howmuch && null != chain; i++)
        {
            long avail = chain.spaceLen();
            if (exact && avail > howmuch - soFar)
            {
                avail = howmuch - soFar;
            }
            chains[i] = chain;
            lengths[i] = avail;
            soFar += avail;
            chain = chain.next;
        }
        return i;
    }

    /**
     * Account for {@code n} bytes that arrived in the vectors of {@link #setupVecs} (libevent's distribution loop
     * at the end of {@code evbuffer_read}).
     *
     * @param chains the chains given to the read.
     * @param count  how many.
     * @param n      bytes that arrived, positive.
     */
    public void distribute(final Chain[] chains, final int count, final long n)
    {
        long remaining = n;
        for (int i = 0; i < count; i++)
        {
            final Chain chain = chains[i];
            final long space = chain.spaceLen();
            if (space < remaining)
            {
                chain.off += space;
                remaining -= space;
            }
            else
            {
                chain.off += remaining;
                lastWithData = chain;
                break;
            }
        }
        totalLen += n;
        nAddForCb += n;
        version++;
    }

    /**
     * Give back what a read reserved beyond libevent's FIONREAD-sized reservation (see
     * {@code ChainIo.readTrimmed}): {@code fresh}, the last chain, was allocated for the read; free it when no
     * byte reached it, or move its bytes into a smaller chunk when they fit one.
     *
     * @param fresh the chain the read's reservation appended (the last chain).
     * @param hint  a chain at or before its predecessor (lastWithData before the reservation), or null.
     */
    public void trimFresh(final Chain fresh, final Chain hint)
    {
        final long off = fresh.off;
        if (0 != off && ChunkPool.roundUp(off) >= fresh.bufferLen)
        {
            return;
        }
        final Chain pred = predecessor(fresh, hint);
        Chain replacement = null;
        if (0 != off)
        {
            replacement = newMembuf(off);
            if (null == replacement)
            {
                return;
            }
            MemorySegment.copy(fresh.memory, fresh.misalign, replacement.memory, 0, off);
            replacement.off = off;
            if (lastWithData == fresh)
            {
                lastWithData = replacement;
            }
        }
        if (null == pred)
        {
            first = replacement;
            lastWithData = replacement;
        }
        else
        {
            pred.next = replacement;
        }
        last = null == replacement ? pred : replacement;
        version++;
        fresh.free();
    }

    private Chain predecessor(final Chain chain, final Chain hint)
    {
        if (first == chain)
        {
            return null;
        }
        for (Chain c = hint; null != c; c = c.next)
        {
            if (c.next == chain)
            {
                return c;
            }
        }
        Chain c = first;
        while (c.next != chain)
        {
            c = c.next;
        }
        return c;
    }

    /**
     * Make the first {@code size} bytes contiguous (libevent's {@code evbuffer_pullup}).
     *
     * @param size bytes, {@code 0 < size <= totalLen}.
     * @return the chain now holding them first, or null when no memory could be had.
     */
    public Chain pullup(final long size)
    {
        Chain chain = first;
        if (chain.off >= size)
        {
            return chain;
        }
        version++;
        final Chain tmp;
        long at;
        long left = size;
        if (0 == (chain.flags & Chain.IMMUTABLE) && chain.bufferLen - chain.misalign >= size)
        {
            tmp = chain;
            at = chain.misalign + chain.off;
            left -= chain.off;
            tmp.off = size;
            chain = chain.next;
        }
        else
        {
            tmp = newMembuf(size);
            if (null == tmp)
            {
                return null;
            }
            at = 0;
            tmp.off = size;
            first = tmp;
        }
        boolean removedLastWithData = false;
        while (null != chain && left >= chain.off)
        {
            final Chain next = chain.next;
            MemorySegment.copy(chain.memory, chain.misalign, tmp.memory, at, chain.off);
            left -= chain.off;
            at += chain.off;
            if (chain == lastWithData)
            {
                removedLastWithData = true;
            }
            chain.next = null;
            chain.free();
            chain = next;
        }
        if (null != chain)
        {
            MemorySegment.copy(chain.memory, chain.misalign, tmp.memory, at, left);
            chain.misalign += left;
            chain.off -= left;
        }
        else
        {
            last = tmp;
        }
        tmp.next = chain;
        if (removedLastWithData)
        {
            lastWithData = first;
        }
        return tmp;
    }

    /**
     * Append caller memory without copying (libevent's {@code evbuffer_add_reference_with_offset}).
     *
     * @param memory  the caller's segment.
     * @param offset  where the data starts in it.
     * @param len     bytes.
     * @param cleanup run once when the last byte is gone; may be null.
     */
    public void addReference(
        final MemorySegment memory, final long offset, final long len, final EvBufferRefCleanup cleanup)
    {
        final ChunkPool lender = pool.forCurrentThread();
        final Chunk chunk = lender.reference(memory, offset + len, cleanup);
        final Chain chain = lender.chain();
        chain.chunk = chunk;
        chain.memory = memory;
        chain.flags = Chain.REFERENCE | Chain.IMMUTABLE;
        chain.misalign = offset;
        chain.bufferLen = offset + len;
        chain.off = len;
        insert(chain);
        nAddForCb += len;
    }

    /**
     * Append a file range sent with sendfile when the buffer is written (libevent's sendfile chain).
     *
     * @param fd     the file; closed (by {@code closer}) when the last byte is gone.
     * @param offset where the range starts in the file.
     * @param len    bytes.
     * @param closer closes the descriptor.
     */
    public void addFileSegment(final int fd, final long offset, final long len, final EvBufferRefCleanup closer)
    {
        final Chunk chunk = pool.forCurrentThread().fileReference(fd, offset + len, closer);
        addFileRange(chunk, offset, len);
    }

    /**
     * Append a range of a file descriptor that is already counted for this chain (a new one, or one retained by
     * the caller).
     *
     * @param chunk  the file's descriptor.
     * @param offset where the range starts in the file.
     * @param len    bytes.
     */
    private void addFileRange(final Chunk chunk, final long offset, final long len)
    {
        final Chain chain = pool.forCurrentThread().chain();
        chain.chunk = chunk;
        chain.memory = MemorySegment.NULL;
        chain.flags = Chain.SENDFILE | Chain.IMMUTABLE;
        chain.misalign = offset;
        chain.bufferLen = offset + len;
        chain.off = len;
        mayHoldFiles = true;
        insert(chain);
        nAddForCb += len;
    }

    /**
     * Append a range of a shared file segment (libevent's {@code evbuffer_add_file_segment}); the segment's count
     * goes up by one until the range is drained.
     *
     * @param segment the segment's descriptor (see {@link ChunkPool#fileReference}).
     * @param offset  where the range starts in the file.
     * @param len     bytes.
     */
    public void addSharedFileRange(final Chunk segment, final long offset, final long len)
    {
        segment.retain();
        addFileRange(segment, offset, len);
    }

    /**
     * @return true when a chain is a file segment (its bytes are not in memory).
     */
    public boolean hasFileSegment()
    {
        if (!mayHoldFiles)
        {
            return false;
        }
        for (Chain c = first; null != c; c = c.next)
        {
            if (0 != (c.flags & Chain.SENDFILE))
            {
                return true;
            }
        }
        mayHoldFiles = false;
        return false;
    }

    /**
     * @return true when a chain shares memory with another buffer (it may not be shared again).
     */
    public boolean hasMulticast()
    {
        for (Chain c = first; null != c; c = c.next)
        {
            if (0 != (c.flags & (Chain.MULTICAST | Chain.SENDFILE)))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Append chains sharing {@code src}'s memory (libevent's {@code APPEND_CHAIN_MULTICAST}); src's chains become
     * immutable.
     *
     * @param src a different, non-empty list without multicast chains.
     */
    public void appendShared(final ChainList src)
    {
        if (0 == totalLen)
        {
            freeAll();
        }
        final ChunkPool lender = pool.forCurrentThread();
        for (Chain c = src.first; null != c; c = c.next)
        {
            if (0 == c.off)
            {
                continue;
            }
            final Chain tmp = lender.chain();
            c.chunk.retain();
            c.flags |= Chain.IMMUTABLE;
            tmp.chunk = c.chunk;
            tmp.memory = c.memory;
            tmp.bufferLen = c.bufferLen;
            tmp.misalign = c.misalign;
            tmp.off = c.off;
            tmp.flags = Chain.MULTICAST | Chain.IMMUTABLE;
            insert(tmp);
        }
        src.version++;
        nAddForCb += src.totalLen;
    }

    /**
     * libevent's {@code evbuffer_validate_}: the list's invariants.
     *
     * @return null when they hold, else what is wrong.
     */
    public String validate()
    {
        if (null == first)
        {
            if (null != last || 0 != totalLen || null != lastWithData)
            {
                return "no first chain but last=" + last + " total=" + totalLen + " lwd=" + lastWithData;
            }
            return null;
        }
        long sum = 0;
        Chain c = first;
        Chain prev = null;
        boolean seenLwd = false;
        Chain lastFull = null;
        while (null != c)
        {
            if (c.bufferLen < c.misalign + c.off || c.misalign < 0 || c.off < 0)
            {
                return "chain window out of bounds: len=" + c.bufferLen + " misalign=" + c.misalign + " off=" + c.off;
            }
            if (0 == (c.flags & Chain.SENDFILE) && c.memory.byteSize() < c.bufferLen)
            {
                return "chain larger than its memory";
            }
            if (c == lastWithData)
            {
                seenLwd = true;
            }
            else if (seenLwd && 0 != c.off)
            {
                return "a chain after lastWithData holds data";
            }
            if (0 != c.off)
            {
                lastFull = c;
            }
            sum += c.off;
            prev = c;
            c = c.next;
        }
        if (prev != last)
        {
            return "last is not the last chain";
        }
        if (sum != totalLen)
        {
            return "total " + totalLen + " != sum of chains " + sum;
        }
        if (!seenLwd)
        {
            return "lastWithData is not in the list";
        }
        if (null == lastFull ? lastWithData != first : lastWithData != lastFull)
        {
            return "lastWithData is not the last chain with data";
        }
        return null;
    }
}
