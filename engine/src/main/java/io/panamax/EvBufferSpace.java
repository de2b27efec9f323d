package io.panamax;

import io.panamax.internal.buffer.Chain;
import io.panamax.internal.buffer.ChainList;
import io.panamax.internal.buffer.ChainSpace;

/**
 * libevent's {@code evbuffer_reserve_space} and {@code evbuffer_commit_space} over a chain list: the extents
 * handed out and the checks that a commit gives back exactly what was reserved.
 * <p>
 * <b>Thread-safety:</b> none; the buffer serialises access.
 */
final class EvBufferSpace
{
    private EvBufferSpace()
    {
    }

    /** Reserve (the back is not frozen); returns extents used or -1. */
    static int reserve(final ChainList chains, final long size, final EvBufferIovec vecs, final int nvecs)
    {
        if (nvecs < 1)
        {
            return -1;
        }
        if (1 == nvecs)
        {
            final Chain chain = ChainSpace.expandSingleChain(chains, size);
            if (null == chain)
            {
                return -1;
            }
            vecs.set(0, chain, chain.end(), chain.spaceLen());
            vecs.count = 1;
            return 1;
        }
        if (ChainSpace.expandFast(chains, size, nvecs) < 0)
        {
            return -1;
        }
        final int n = ChainSpace.setupVecs(chains, size, vecs.chains, vecs.lengths, nvecs, false);
        for (int i = 0; i < n; i++)
        {
            final Chain chain = vecs.chains[i];
            vecs.set(i, chain, chain.end(), vecs.lengths[i]);
        }
        vecs.count = n;
        return n;
    }

    /** Commit the first {@code n} extents; returns 0 or -1 (nothing committed). */
    static int commit(final ChainList chains, final EvBufferIovec vecs, final int n)
    {
        if (0 == n)
        {
            return 0;
        }
        final ChainList list = chains;
        long added = 0;
        final Chain last = list.last;
        if (1 == n && null != last && matches(vecs, 0, last))
        {
            final long len = vecs.lengths[0];
            if (len > last.spaceLen())
            {
                return -1;
            }
            last.off += len;
            added = len;
            if (0 != added)
            {
                list.advanceLastWithData();
            }
        }
        else
        {
            Chain firstChain = list.lastWithData;
            if (null == firstChain)
            {
                return -1;
            }
            if (0 == firstChain.spaceLen())
            {
                firstChain = firstChain.next;
            }
            Chain chain = firstChain;
            for (int i = 0; i < n; i++)
            {
                if (null == chain || !matches(vecs, i, chain) || vecs.lengths[i] > chain.spaceLen())
                {
                    return -1;
                }
                chain = chain.next;
            }
            chain = firstChain;
            for (int i = 0; i < n; i++)
            {
                final long len = vecs.lengths[i];
                chain.off += len;
                added += len;
                if (0 != len)
                {
                    list.lastWithData = chain;
                }
                chain = chain.next;
            }
        }
        list.totalLen += added;
        list.nAddForCb += added;
        list.version++;
        return 0;
    }

    private static boolean matches(final EvBufferIovec vecs, final int i, final Chain chain)
    {
        return vecs.chains[i] == chain && vecs.segments[i] == chain.memory && vecs.offsets[i] == chain.end();
    }
}
