package io.panamax.internal.buffer;

import java.lang.foreign.MemorySegment;

/**
 * Moving chains between lists ({@code evbuffer_add_buffer}, {@code evbuffer_prepend_buffer},
 * {@code evbuffer_remove_buffer}, {@code evbuffer_add_buffer_reference}) and copying out from inside a chain.
 * <p>
 * <b>Thread-safety:</b> none; the owning buffer serialises access to the list.
 */
public final class ChainMoves
{
    private ChainMoves()
    {
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
            ChainList.copyOut(c, c.misalign + pos, array, segment, at, n);
            at += n;
            left -= n;
            c = c.next;
            pos = 0;
        }
        if (left > 0)
        {
            ChainList.copyOut(c, c.misalign + pos, array, segment, at, left);
        }
    }

    /** This list is empty: drop its empty chains and take src's chains as they are. */
    private static void takeAll(final ChainList list, final ChainList src, final long inTotal)
    {
        if (null != list.first)
        {
            list.freeAll();
        }
        list.first = src.first;
        list.lastWithData = src.lastWithData;
        list.last = src.last;
        list.totalLen = inTotal;
    }

    /**
     * Move every chain of {@code src} to the end of this list (libevent's {@code evbuffer_add_buffer}); src ends
     * empty and takes this list's spare when it has none ({@link ChainList#handSpareTo}). Counters of both lists are
     * updated.
     *
     * @param list the list.
     * @param src a different, non-empty list.
     */
    public static void appendAll(final ChainList list, final ChainList src)
    {
        final long inTotal = src.totalLen;
        list.mayHoldFiles |= src.mayHoldFiles;
        if (0 == list.totalLen)
        {
            takeAll(list, src, inTotal);
        }
        else
        {
            final Chain at = list.freeTrailingEmptyChains();
            at.next = src.first;
            list.lastWithData = src.lastWithData;
            list.last = src.last;
            list.totalLen += inTotal;
        }
        list.version++;
        src.zero();
        src.nDelForCb += inTotal;
        list.nAddForCb += inTotal;
        list.handSpareTo(src);
    }

    /**
     * Move every chain of {@code src} to the front of this list (libevent's {@code evbuffer_prepend_buffer}).
     *
     * @param list the list.
     * @param src a different, non-empty list.
     */
    public static void prependAll(final ChainList list, final ChainList src)
    {
        final long inTotal = src.totalLen;
        list.mayHoldFiles |= src.mayHoldFiles;
        if (0 == list.totalLen)
        {
            takeAll(list, src, inTotal);
        }
        else
        {
            src.last.next = list.first;
            list.first = src.first;
            list.totalLen += inTotal;
        }
        list.version++;
        src.zero();
        src.nDelForCb += inTotal;
        list.nAddForCb += inTotal;
    }

    /**
     * Move {@code datlen} bytes (less than this list's length) to {@code dst}: whole chains move, the chain that
     * is split is copied (libevent's {@code evbuffer_remove_buffer} after its shortcut).
     *
     * @param list the list.
     * @param dst    the destination, a different list.
     * @param datlen bytes, {@code 0 < datlen < totalLen}.
     * @return bytes moved (fewer only when dst could not get memory for the split part).
     */
    public static long moveTo(final ChainList list, final ChainList dst, final long datlen)
    {
        dst.mayHoldFiles |= list.mayHoldFiles;
        Chain chain = list.first;
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
        list.version++;
        if (chain != list.first)
        {
            final Chain at = dst.freeTrailingEmptyChains();
            if (null == at)
            {
                dst.first = list.first;
                dst.lastWithData = list.first;
            }
            else
            {
                at.next = list.first;
            }
            dst.last = previous;
            previous.next = null;
            list.first = chain;
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
        list.totalLen -= nread;
        list.nDelForCb += nread;
        return nread;
    }

    /**
     * @param list the list.
     * @return true when a chain shares memory with another buffer (it may not be shared again).
     */
    public static boolean hasMulticast(final ChainList list)
    {
        for (Chain c = list.first; null != c; c = c.next)
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
     * @param list the list.
     * @param src a different, non-empty list without multicast chains.
     */
    public static void appendShared(final ChainList list, final ChainList src)
    {
        if (0 == list.totalLen)
        {
            list.freeAll();
        }
        final ChunkPool lender = list.pool().forCurrentThread();
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
            list.insert(tmp);
        }
        src.version++;
        list.nAddForCb += src.totalLen;
    }
}
