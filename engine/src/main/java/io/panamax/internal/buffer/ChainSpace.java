package io.panamax.internal.buffer;

import java.lang.foreign.MemorySegment;

/**
 * Free space at the end of a chain list: libevent's {@code evbuffer_expand_singlechain} and
 * {@code evbuffer_expand_fast_}, the read vectors and their accounting, the trim after a read, and pullup.
 * <p>
 * <b>Thread-safety:</b> none; the owning buffer serialises access to the list.
 */
public final class ChainSpace
{
    private ChainSpace()
    {
    }

    /**
     * Ensure {@code datlen} writable bytes in one chain (libevent's {@code evbuffer_expand_singlechain}).
     *
     * @param list the list.
     * @param datlen bytes, not negative.
     * @return the chain with that much space, or null when no memory could be had.
     */
    public static Chain expandSingleChain(final ChainList list, final long datlen)
    {
        Chain chain = list.lastWithData;
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
                if (ChainList.shouldRealign(chain, datlen))
                {
                    list.version++;
                    ChainList.align(chain);
                    return chain;
                }
                if (chain.spaceLen() < chain.bufferLen / 8 || chain.off > ChainList.MAX_TO_COPY_IN_EXPAND ||
                    datlen >= ChunkPool.MAX_CHUNK - chain.off)
                {
                    if (null != chain.next && chain.next.spaceLen() >= datlen)
                    {
                        return chain.next;
                    }
                }
                else
                {
                    return resize(list, chain, datlen);
                }
            }
        }
        final Chain fresh = list.newMembuf(datlen);
        if (null == fresh)
        {
            return null;
        }
        list.insert(fresh);
        return fresh;
    }

    /** Replace {@code chain} (== lastWithData) by a bigger copy. */
    private static Chain resize(final ChainList list, final Chain chain, final long datlen)
    {
        final Chain tmp = list.newMembuf(chain.off + datlen);
        if (null == tmp)
        {
            return null;
        }
        list.version++;
        tmp.off = chain.off;
        MemorySegment.copy(chain.memory, chain.misalign, tmp.memory, 0, chain.off);
        if (list.first == chain)
        {
            list.first = tmp;
        }
        else
        {
            Chain prev = list.first;
            while (prev.next != chain)
            {
                prev = prev.next;
            }
            prev.next = tmp;
        }
        if (list.last == chain)
        {
            list.last = tmp;
        }
        list.lastWithData = tmp;
        tmp.next = chain.next;
        chain.next = null;
        chain.free();
        return tmp;
    }

    /**
     * Ensure {@code datlen} writable bytes in at most {@code n} chains from {@link ChainList#lastWithData}, never
     * moving data (libevent's {@code evbuffer_expand_fast_}).
     *
     * @param list the list.
     * @param datlen bytes.
     * @param n      chains, at least 2.
     * @return 0, or -1 when no memory could be had (the list is then unchanged).
     */
    public static int expandFast(final ChainList list, final long datlen, final int n)
    {
        Chain chain = list.last;
        if (null == chain || 0 != (chain.flags & Chain.IMMUTABLE))
        {
            final Chain fresh = list.newMembuf(datlen);
            if (null == fresh)
            {
                return -1;
            }
            list.insert(fresh);
            return 0;
        }
        int used = 0;
        long avail = 0;
        for (chain = list.lastWithData; null != chain; chain = chain.next)
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
        list.version++;
        if (used < n)
        {
            final Chain fresh = list.newMembuf(datlen - avail);
            if (null == fresh)
            {
                return -1;
            }
            list.last.next = fresh;
            list.last = fresh;
            return 0;
        }
        final Chain lwd = list.lastWithData;
        final boolean removeAll = 0 == lwd.off;
        final long keep = removeAll ? 0 : lwd.spaceLen();
        final Chain fresh = list.newMembuf(datlen - keep);
        if (null == fresh)
        {
            return -1;
        }
        if (removeAll)
        {
            ChainList.freeFrom(list.first);
            list.first = fresh;
            list.last = fresh;
            list.lastWithData = fresh;
        }
        else
        {
            final Chain victims = lwd.next;
            lwd.next = fresh;
            list.last = fresh;
            ChainList.freeFrom(victims);
        }
        return 0;
    }

    /**
     * Describe the writable space after the data in up to {@code nAvail} chains (libevent's
     * {@code evbuffer_read_setup_vecs_}); call {@link #expandFast} first.
     *
     * @param list the list.
     * @param howmuch bytes wanted.
     * @param chains  receives the chains.
     * @param lengths receives the writable bytes of each.
     * @param nAvail  entries available.
     * @param exact   true to trim the last entry so the total is exactly {@code howmuch}.
     * @return entries used.
     */
    public static int setupVecs(final ChainList list,
        final long howmuch, final Chain[] chains, final long[] lengths, final int nAvail, final boolean exact)
    {
        long soFar = 0;
        Chain chain = list.lastWithData;
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
     * @param list the list.
     * @param chains the chains given to the read.
     * @param count  how many.
     * @param n      bytes that arrived, positive.
     */
    public static void distribute(final ChainList list, final Chain[] chains, final int count, final long n)
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
                list.lastWithData = chain;
                break;
            }
        }
        list.totalLen += n;
        list.nAddForCb += n;
        list.version++;
    }

    /**
     * Give back what a read reserved beyond libevent's FIONREAD-sized reservation (see
     * {@code ChainIo.readTrimmed}): {@code fresh}, the last chain, was allocated for the read; free it when no
     * byte reached it, or move its bytes into a smaller chunk when they fit one.
     *
     * @param list the list.
     * @param fresh the chain the read's reservation appended (the last chain).
     * @param hint  a chain at or before its predecessor (lastWithData before the reservation), or null.
     */
    public static void trimFresh(final ChainList list, final Chain fresh, final Chain hint)
    {
        final long off = fresh.off;
        if (0 != off && ChunkPool.roundUp(off) >= fresh.bufferLen)
        {
            return;
        }
        final Chain pred = predecessor(list, fresh, hint);
        Chain replacement = null;
        if (0 != off)
        {
            replacement = list.newMembuf(off);
            if (null == replacement)
            {
                return;
            }
            MemorySegment.copy(fresh.memory, fresh.misalign, replacement.memory, 0, off);
            replacement.off = off;
            if (list.lastWithData == fresh)
            {
                list.lastWithData = replacement;
            }
        }
        if (null == pred)
        {
            list.first = replacement;
            list.lastWithData = replacement;
        }
        else
        {
            pred.next = replacement;
        }
        list.last = null == replacement ? pred : replacement;
        list.version++;
        fresh.free();
    }

    private static Chain predecessor(final ChainList list, final Chain chain, final Chain hint)
    {
        if (list.first == chain)
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
        Chain c = list.first;
        while (c.next != chain)
        {
            c = c.next;
        }
        return c;
    }

    /**
     * Make the first {@code size} bytes contiguous (libevent's {@code evbuffer_pullup}).
     *
     * @param list the list.
     * @param size bytes, {@code 0 < size <= totalLen}.
     * @return the chain now holding them first, or null when no memory could be had.
     */
    public static Chain pullup(final ChainList list, final long size)
    {
        Chain chain = list.first;
        if (chain.off >= size)
        {
            return chain;
        }
        list.version++;
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
            tmp = list.newMembuf(size);
            if (null == tmp)
            {
                return null;
            }
            at = 0;
            tmp.off = size;
            list.first = tmp;
        }
        boolean removedLastWithData = false;
        while (null != chain && left >= chain.off)
        {
            final Chain next = chain.next;
            MemorySegment.copy(chain.memory, chain.misalign, tmp.memory, at, chain.off);
            left -= chain.off;
            at += chain.off;
            if (chain == list.lastWithData)
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
            list.last = tmp;
        }
        tmp.next = chain;
        if (removedLastWithData)
        {
            list.lastWithData = list.first;
        }
        return tmp;
    }
}
