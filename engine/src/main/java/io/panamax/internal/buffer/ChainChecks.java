package io.panamax.internal.buffer;

/**
 * libevent's {@code evbuffer_validate_} for a chain list.
 * <p>
 * <b>Thread-safety:</b> none; the owning buffer serialises access to the list.
 */
public final class ChainChecks
{
    private ChainChecks()
    {
    }

    /**
     * libevent's {@code evbuffer_validate_}: the list's invariants.
     *
     * @param list the list.
     * @return null when they hold, else what is wrong.
     */
    public static String validate(final ChainList list)
    {
        final String spare = validateSpare(list);
        if (null != spare)
        {
            return spare;
        }
        if (null == list.first)
        {
            if (null != list.last || 0 != list.totalLen || null != list.lastWithData)
            {
                return "no first chain but last=" + list.last + " total=" + list.totalLen + " lwd=" + list.lastWithData;
            }
            return null;
        }
        long sum = 0;
        Chain c = list.first;
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
            if (c == list.lastWithData)
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
        if (prev != list.last)
        {
            return "last is not the last chain";
        }
        if (sum != list.totalLen)
        {
            return "total " + list.totalLen + " != sum of chains " + sum;
        }
        if (!seenLwd)
        {
            return "lastWithData is not in the list";
        }
        if (null == lastFull ? list.lastWithData != list.first : list.lastWithData != lastFull)
        {
            return "lastWithData is not the last chain with data";
        }
        return null;
    }

    /** The spare: an empty, unshared pool chain of at most {@link ChainList#SPARE_MAX} bytes outside the list. */
    private static String validateSpare(final ChainList list)
    {
        final Chain spare = list.spare();
        if (null == spare)
        {
            return null;
        }
        if (0 != spare.off || 0 != spare.misalign || null != spare.next || 0 != spare.flags)
        {
            return "spare not empty and clear: misalign=" + spare.misalign + " off=" + spare.off + " flags=" +
                spare.flags;
        }
        final Chunk chunk = spare.chunk;
        if (null == chunk || Chunk.REFERENCE == chunk.sizeClass || spare.bufferLen != chunk.capacity ||
            spare.bufferLen > ChainList.SPARE_MAX || 1 != chunk.refCount())
        {
            return "spare is not one small unshared pool chunk: len=" + spare.bufferLen;
        }
        for (Chain c = list.first; null != c; c = c.next)
        {
            if (c == spare)
            {
                return "spare is in the list";
            }
        }
        return null;
    }
}
