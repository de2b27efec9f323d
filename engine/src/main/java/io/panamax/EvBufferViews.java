package io.panamax;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import io.panamax.internal.buffer.Chain;
import io.panamax.internal.buffer.ChainSpace;

/**
 * Zero-copy views of an {@link EvBuffer}: {@code pullup}, {@code peek}, and {@code reserveSpace} /
 * {@code commitSpace}.
 * <p>
 * <b>Thread-safety:</b> as {@link EvBuffer}: these run inside its public methods, under its lock when it has one.
 */
final class EvBufferViews
{
    private EvBufferViews()
    {
    }

    /** {@link EvBuffer#pullup}. */
    static MemorySegment pullup(final EvBuffer buf, final long size)
    {
        if (size < -1)
        {
            throw new IllegalArgumentException("size must be -1 or more: " + size);
        }
        buf.enter();
        try
        {
            buf.checkNoFileSegment();
            final long n = size < 0 ? buf.chains.totalLen : size;
            if (0 == n || n > buf.chains.totalLen)
            {
                return null;
            }
            final Chain chain = ChainSpace.pullup(buf.chains, n);
            return null == chain ? null : chain.memory.asSlice(chain.misalign, n);
        }
        finally
        {
            buf.exit();
        }
    }

    /** {@link EvBuffer#peek}. */
    static int peek(final EvBuffer buf, final long length, final EvBufferPtr start, final EvBufferIovec vecs)
    {
        buf.enter();
        try
        {
            buf.checkNoFileSegment();
            if (null != start)
            {
                EvBufferPositions.checkPtr(buf, start);
            }
            return EvBufferSearch.peek(buf.chains, length, start, vecs);
        }
        finally
        {
            buf.exit();
        }
    }

    /** {@link EvBuffer#reserveSpace}. */
    static int reserveSpace(final EvBuffer buf, final long size, final EvBufferIovec vecs, final int nvecs)
    {
        EvBuffer.checkLength(size);
        if (nvecs > vecs.capacity())
        {
            throw new IllegalArgumentException("nvecs " + nvecs + " above the holder's capacity " + vecs.capacity());
        }
        buf.enter();
        try
        {
            if (buf.freezeEnd)
            {
                return -1;
            }
            return EvBufferSpace.reserve(buf.chains, size, vecs, nvecs);
        }
        finally
        {
            buf.exit();
        }
    }

    /** {@link EvBuffer#commitSpace}. */
    static int commitSpace(final EvBuffer buf, final EvBufferIovec vecs, final int n)
    {
        Objects.checkFromIndexSize(0, n, vecs.capacity());
        buf.enter();
        try
        {
            if (buf.freezeEnd)
            {
                return -1;
            }
            if (EvBufferSpace.commit(buf.chains, vecs, n) < 0)
            {
                return -1;
            }
            buf.invokeCallbacks();
            return 0;
        }
        finally
        {
            buf.exit();
        }
    }
}
