package io.panamax;

import io.panamax.internal.buffer.ChainMoves;

/**
 * Moving chains between two {@link EvBuffer}s under both locks: {@code addBuffer}, {@code prependBuffer},
 * {@code removeBuffer} and {@code addBufferReference}.
 * <p>
 * <b>Thread-safety:</b> as {@link EvBuffer}: these run inside its public methods, under its lock when it has one.
 */
final class EvBufferMoves
{
    private EvBufferMoves()
    {
    }

    /** {@link EvBuffer#addBuffer}. */
    static int addBuffer(final EvBuffer buf, final EvBuffer src)
    {
        buf.enter2(src);
        try
        {
            if (0 == src.chains.totalLen || src == buf)
            {
                return 0;
            }
            if (buf.freezeEnd || src.freezeStart)
            {
                return -1;
            }
            ChainMoves.appendAll(buf.chains, src.chains);
            src.invokeCallbacks();
            buf.invokeCallbacks();
            return 0;
        }
        finally
        {
            buf.exit2(src);
        }
    }

    /** {@link EvBuffer#prependBuffer}. */
    static int prependBuffer(final EvBuffer buf, final EvBuffer src)
    {
        buf.enter2(src);
        try
        {
            if (0 == src.chains.totalLen || src == buf)
            {
                return 0;
            }
            if (buf.freezeStart || src.freezeStart)
            {
                return -1;
            }
            ChainMoves.prependAll(buf.chains, src.chains);
            src.invokeCallbacks();
            buf.invokeCallbacks();
            return 0;
        }
        finally
        {
            buf.exit2(src);
        }
    }

    /** {@link EvBuffer#removeBuffer}. */
    static long removeBuffer(final EvBuffer buf, final EvBuffer dst, final long length)
    {
        EvBuffer.checkLength(length);
        buf.enter2(dst);
        try
        {
            if (0 == length || dst == buf)
            {
                return 0;
            }
            if (dst.freezeEnd || buf.freezeStart)
            {
                return -1;
            }
            if (length >= buf.chains.totalLen)
            {
                final long n = buf.chains.totalLen;
                if (0 != n)
                {
                    ChainMoves.appendAll(dst.chains, buf.chains);
                    dst.invokeCallbacks();
                    buf.invokeCallbacks();
                }
                return n;
            }
            buf.checkNoFileSegment();
            final long n = ChainMoves.moveTo(buf.chains, dst.chains, length);
            if (n > 0)
            {
                dst.invokeCallbacks();
                buf.invokeCallbacks();
            }
            return n;
        }
        finally
        {
            buf.exit2(dst);
        }
    }

    /** {@link EvBuffer#addBufferReference}. */
    static int addBufferReference(final EvBuffer buf, final EvBuffer src)
    {
        buf.enter2(src);
        try
        {
            if (0 == src.chains.totalLen)
            {
                return 0;
            }
            if (buf.freezeEnd || src == buf || ChainMoves.hasMulticast(src.chains))
            {
                return -1;
            }
            ChainMoves.appendShared(buf.chains, src.chains);
            buf.invokeCallbacks();
            return 0;
        }
        finally
        {
            buf.exit2(src);
        }
    }
}
