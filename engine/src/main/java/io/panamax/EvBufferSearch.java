package io.panamax;

import io.panamax.internal.buffer.ByteScan;
import io.panamax.internal.buffer.Chain;
import io.panamax.internal.buffer.ChainList;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Positions, searches and ends of line over a chain list, following libevent's {@code evbuffer_ptr_set},
 * {@code evbuffer_search_range} and {@code evbuffer_search_eol}. Nothing here allocates.
 * <p>
 * <b>Thread-safety:</b> none; the buffer serialises access.
 */
final class EvBufferSearch
{
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private EvBufferSearch()
    {
    }

    /** libevent's {@code evbuffer_ptr_set}; the pointer's owner/version are stamped by the caller. */
    static int ptrSet(final ChainList list, final EvBufferPtr ptr, final long n, final EvBuffer.PtrHow how)
    {
        Chain chain;
        long position;
        long left = n;
        if (EvBuffer.PtrHow.SET == how)
        {
            chain = list.first;
            ptr.pos = n;
            position = 0;
        }
        else
        {
            if (ptr.pos < 0 || Long.MAX_VALUE - n < ptr.pos)
            {
                return -1;
            }
            chain = ptr.chain;
            ptr.pos += n;
            position = ptr.posInChain;
        }
        while (null != chain && position + left >= chain.off)
        {
            left -= chain.off - position;
            chain = chain.next;
            position = 0;
        }
        if (null != chain)
        {
            ptr.chain = chain;
            ptr.posInChain = position + left;
        }
        else if (0 == left)
        {
            ptr.chain = null;
            ptr.posInChain = 0;
        }
        else
        {
            ptr.notFound();
            return -1;
        }
        return 0;
    }

    /** Compare {@code what[0..len)} with the buffer at {@code chain/position}; true when equal. */
    private static boolean matches(
        final ChainList list, final long pos, final Chain chain, final long position, final byte[] what)
    {
        final int len = what.length;
        if (pos + len > list.totalLen)
        {
            return false;
        }
        Chain c = chain;
        long p = position;
        int i = 0;
        while (i < len && null != c)
        {
            final long n = Math.min(c.off - p, len - i);
            final long base = c.misalign + p;
            for (long k = 0; k < n; k++)
            {
                if (c.memory.get(JAVA_BYTE, base + k) != what[i + (int)k])
                {
                    return false;
                }
            }
            i += (int)n;
            p = 0;
            c = c.next;
        }
        return i == len;
    }

    /**
     * libevent's {@code evbuffer_search_range}: the first match at or after {@code start} that ends at or before
     * {@code endPos} (-1: no end); the result goes into {@code result}.
     */
    static long searchRange(
        final ChainList list, final byte[] what, final EvBufferPtr start, final long endPos, final EvBufferPtr result)
    {
        long pos;
        Chain chain;
        long inChain;
        if (null != start)
        {
            pos = start.pos;
            chain = start.chain;
            inChain = start.posInChain;
        }
        else
        {
            pos = 0;
            chain = list.first;
            inChain = 0;
        }
        if (0 == what.length || pos < 0)
        {
            result.notFound();
            return -1;
        }
        final byte firstByte = what[0];
        long javaHead = ByteScan.NATIVE_MIN;
        while (null != chain)
        {
            final long base = chain.misalign;
            final long end = chain.off;
            final long at = ByteScan.indexOf(chain.memory, base + inChain, base + end, firstByte,
                0 == (chain.flags & Chain.REFERENCE), javaHead);
            final long found = at < 0 ? -1 : at - base;
            if (found >= 0)
            {
                pos += found - inChain;
                inChain = found;
                if (endPos >= 0 && pos + what.length > endPos)
                {
                    break;
                }
                if (matches(list, pos, chain, inChain, what))
                {
                    result.pos = pos;
                    result.chain = chain;
                    result.posInChain = inChain;
                    return pos;
                }
                pos++;
                inChain++;
                if (inChain == chain.off)
                {
                    chain = chain.next;
                    inChain = 0;
                }
            }
            else
            {
                pos += end - inChain;
                chain = chain.next;
                inChain = 0;
                javaHead = 0;
            }
        }
        result.notFound();
        return -1;
    }

    /** Find the first byte equal to {@code a} or {@code b} at or after the pointer; moves it there. */
    private static long findByte(final EvBufferPtr it, final byte a, final byte b)
    {
        Chain chain = it.chain;
        long i = it.posInChain;
        long javaHead = ByteScan.NATIVE_MIN;
        while (null != chain)
        {
            final long base = chain.misalign;
            final long end = chain.off;
            final long at = ByteScan.indexOfEither(chain.memory, base + i, base + end, a, b,
                0 == (chain.flags & Chain.REFERENCE), javaHead);
            if (at >= 0)
            {
                final long k = at - base;
                it.chain = chain;
                it.posInChain = k;
                it.pos += k - i;
                return it.pos;
            }
            it.pos += end - i;
            i = 0;
            chain = chain.next;
            javaHead = 0; // nothing was found so far: a match is no likelier at the next chain's start
        }
        return -1;
    }

    /** Count CR/LF bytes from the pointer on (libevent's {@code evbuffer_strspn(ptr, "\r\n")}). */
    private static long crlfRun(final Chain start, final long posInChain)
    {
        long count = 0;
        Chain chain = start;
        long i = posInChain;
        while (null != chain)
        {
            final long base = chain.misalign;
            for (; i < chain.off; i++)
            {
                final byte v = chain.memory.get(JAVA_BYTE, base + i);
                if (v != CR && v != LF)
                {
                    return count;
                }
                count++;
            }
            i = 0;
            chain = chain.next;
        }
        return count;
    }

    private static final byte[] CRLF_BYTES = { CR, LF };

    /**
     * libevent's {@code evbuffer_search_eol}: sets {@code it} (already at the start) to the end of line, and
     * {@code it.eolLength}; {@code pos == -1} and length 0 when none.
     */
    static long searchEol(final ChainList list, final EvBufferPtr it, final EolStyle style)
    {
        long extra = 0;
        boolean ok = false;
        if (it.pos >= 0 && null != it.chain)
        {
            switch (style)
            {
                case ANY:
                    if (findByte(it, CR, LF) >= 0)
                    {
                        extra = crlfRun(it.chain, it.posInChain);
                        ok = true;
                    }
                    break;
                case CRLF_STRICT:
                    if (searchRange(list, CRLF_BYTES, it, -1, it) >= 0)
                    {
                        extra = 2;
                        ok = true;
                    }
                    break;
                case CRLF:
                {
                    final long startPos = it.pos;
                    if (findByte(it, LF, LF) >= 0)
                    {
                        extra = 1;
                        ok = true;
                        if (it.pos != startPos && CR == byteBefore(list, it))
                        {
                            extra = 2;
                            stepBack(list, it);
                        }
                    }
                    break;
                }
                case LF:
                    if (findByte(it, LF, LF) >= 0)
                    {
                        extra = 1;
                        ok = true;
                    }
                    break;
                case NUL:
                    if (findByte(it, (byte)0, (byte)0) >= 0)
                    {
                        extra = 1;
                        ok = true;
                    }
                    break;
                default:
                    break;
            }
        }
        if (!ok)
        {
            it.notFound();
            extra = 0;
        }
        it.eolLength = extra;
        return it.pos;
    }

    private static int byteBefore(final ChainList list, final EvBufferPtr it)
    {
        if (it.posInChain > 0)
        {
            return it.chain.memory.get(JAVA_BYTE, it.chain.misalign + it.posInChain - 1);
        }
        final EvBufferPtr tmp = SCRATCH.get();
        ptrSet(list, tmp, it.pos - 1, EvBuffer.PtrHow.SET);
        return null == tmp.chain ? -1 : tmp.chain.memory.get(JAVA_BYTE, tmp.chain.misalign + tmp.posInChain);
    }

    private static void stepBack(final ChainList list, final EvBufferPtr it)
    {
        if (it.posInChain > 0)
        {
            it.posInChain--;
            it.pos--;
        }
        else
        {
            ptrSet(list, it, it.pos - 1, EvBuffer.PtrHow.SET);
        }
    }

    private static final ThreadLocal<EvBufferPtr> SCRATCH = ThreadLocal.withInitial(EvBufferPtr::new);

    /** libevent's {@code evbuffer_peek}. */
    static int peek(final ChainList list, final long len, final EvBufferPtr startAt, final EvBufferIovec vec)
    {
        final int nVec = null == vec ? 0 : vec.capacity();
        Chain chain;
        int idx = 0;
        long soFar = 0;
        long want = len;
        if (null != startAt)
        {
            if (null == startAt.chain || startAt.pos < 0)
            {
                if (null != vec)
                {
                    vec.count = 0;
                }
                return 0;
            }
            chain = startAt.chain;
            soFar = chain.off - startAt.posInChain;
            idx = 1;
            if (nVec > 0)
            {
                vec.set(0, chain, chain.misalign + startAt.posInChain, soFar);
            }
            chain = chain.next;
        }
        else
        {
            chain = list.first;
        }
        if (0 == nVec && want < 0)
        {
            want = list.totalLen - (null != startAt ? startAt.pos : 0);
        }
        while (null != chain)
        {
            if (want >= 0 && soFar >= want)
            {
                break;
            }
            if (idx < nVec)
            {
                vec.set(idx, chain, chain.misalign, chain.off);
            }
            else if (want < 0)
            {
                break;
            }
            idx++;
            soFar += chain.off;
            chain = chain.next;
        }
        if (null != vec)
        {
            vec.count = Math.min(idx, nVec);
        }
        return idx;
    }
}
