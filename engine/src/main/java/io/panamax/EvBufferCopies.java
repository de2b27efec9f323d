package io.panamax;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;

import io.panamax.internal.buffer.Chain;
import io.panamax.internal.buffer.ChainMoves;
import io.panamax.internal.buffer.ChainRefs;
import io.panamax.internal.buffer.ChainSpace;

/**
 * Copying bytes in and out of an {@link EvBuffer} (arrays, segments, byte buffers, iovecs) and adding caller
 * memory by reference.
 * <p>
 * <b>Thread-safety:</b> as {@link EvBuffer}: these run inside its public methods, under its lock when it has one.
 */
final class EvBufferCopies
{
    private EvBufferCopies()
    {
    }

    /** For {@link EvBuffer}. */
    static int addCopy(
        final EvBuffer buf, final Object array, final MemorySegment segment, final long from, final long length)
    {
        buf.enter();
        try
        {
            if (buf.freezeEnd)
            {
                return -1;
            }
            final int rc = buf.chains.add(array, segment, from, length);
            if (0 == rc)
            {
                buf.invokeCallbacks();
            }
            return rc;
        }
        finally
        {
            buf.exit();
        }
    }

    /** For {@link EvBuffer}. */
    static int prependCopy(
        final EvBuffer buf, final Object array, final MemorySegment segment, final long from, final long length)
    {
        buf.enter();
        try
        {
            if (0 == length)
            {
                return 0;
            }
            if (buf.freezeStart)
            {
                return -1;
            }
            final int rc = buf.chains.prepend(array, segment, from, length);
            if (0 == rc)
            {
                buf.invokeCallbacks();
            }
            return rc;
        }
        finally
        {
            buf.exit();
        }
    }

    /** For {@link EvBuffer}. */
    static long removeCopy(final EvBuffer buf,
        final Object array, final MemorySegment segment, final long to, final long length, final boolean drain)
    {
        buf.enter();
        try
        {
            buf.checkNoFileSegment();
            final long n = Math.min(length, buf.chains.totalLen);
            if (0 == n)
            {
                return 0;
            }
            if (buf.freezeStart)
            {
                return -1;
            }
            ChainMoves.copyOutFrom(buf.chains.first, 0, array, segment, to, n);
            if (drain)
            {
                buf.chains.drain(n);
                buf.invokeCallbacks();
            }
            return n;
        }
        finally
        {
            buf.exit();
        }
    }

    /** For {@link EvBuffer}. */
    static long copyFrom(final EvBuffer buf,
        final EvBufferPtr pos, final Object array, final MemorySegment segment, final long to, final long length)
    {
        buf.enter();
        try
        {
            buf.checkNoFileSegment();
            Chain chain = buf.chains.first;
            long inChain = 0;
            long start = 0;
            if (null != pos)
            {
                EvBufferPositions.checkPtr(buf, pos);
                if (pos.pos < 0)
                {
                    return -1;
                }
                chain = pos.chain;
                inChain = pos.posInChain;
                start = pos.pos;
            }
            final long n = Math.min(length, buf.chains.totalLen - start);
            if (n <= 0)
            {
                return 0;
            }
            if (buf.freezeStart)
            {
                return -1;
            }
            ChainMoves.copyOutFrom(chain, inChain, array, segment, to, n);
            return n;
        }
        finally
        {
            buf.exit();
        }
    }

    /** For {@link EvBuffer}. */
    static long copyToByteBuffer(final EvBuffer buf, final ByteBuffer dst, final boolean drain)
    {
        final int length = dst.remaining();
        final long n = dst.hasArray() ?
            removeCopy(buf, dst.array(), null, dst.arrayOffset() + dst.position(), length, drain) :
            removeCopy(buf, null, MemorySegment.ofBuffer(dst), 0, length, drain);
        if (n > 0)
        {
            dst.position(dst.position() + (int)n);
        }
        return n;
    }

    /** {@link EvBuffer#addIovec}. */
    static long addIovec(final EvBuffer buf, final MemorySegment[] vec, final int n)
    {
        Objects.checkFromIndexSize(0, n, vec.length);
        buf.enter();
        try
        {
            if (buf.freezeEnd)
            {
                return -1;
            }
            long total = 0;
            for (int i = 0; i < n; i++)
            {
                total += vec[i].byteSize();
            }
            if (ChainSpace.expandFast(buf.chains, total, 2) < 0)
            {
                return 0;
            }
            long added = 0;
            for (int i = 0; i < n; i++)
            {
                if (buf.chains.add(null, vec[i], 0, vec[i].byteSize()) < 0)
                {
                    break;
                }
                added += vec[i].byteSize();
            }
            buf.invokeCallbacks();
            return added;
        }
        finally
        {
            buf.exit();
        }
    }

    /** {@link EvBuffer#addReferenceWithOffset}. */
    static int addReferenceWithOffset(final EvBuffer buf,
        final MemorySegment data, final long offset, final long length, final EvBufferRefCleanup cleanup)
    {
        Objects.requireNonNull(cleanup, "cleanup (use EvBufferRefCleanup.NONE for none)");
        Objects.checkFromIndexSize(offset, length, data.byteSize());
        if (!data.isNative())
        {
            throw new IllegalArgumentException("addReference needs native memory (writev passes its address)");
        }
        buf.enter();
        try
        {
            if (buf.freezeEnd)
            {
                return -1;
            }
            ChainRefs.addReference(buf.chains, data, offset, length, cleanup);
            buf.invokeCallbacks();
            return 0;
        }
        finally
        {
            buf.exit();
        }
    }
}
