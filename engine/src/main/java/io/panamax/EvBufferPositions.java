package io.panamax;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import io.panamax.EvBuffer.PtrHow;
import io.panamax.internal.buffer.ChainMoves;

/**
 * Positions in an {@link EvBuffer}: {@code ptrSet}, {@code searchRange}, {@code searchEol} and reading lines
 * (as bytes, or copied into a caller's array or segment).
 * <p>
 * <b>Thread-safety:</b> as {@link EvBuffer}: these run inside its public methods, under its lock when it has one.
 */
final class EvBufferPositions
{
    private EvBufferPositions()
    {
    }

    /** The buffer's scratch position for reading lines (made on first use, then reused: no allocation per line). */
    static EvBufferPtr lineScratch(final EvBuffer buf)
    {
        EvBufferPtr it = buf.lineScratch;
        if (null == it)
        {
            it = new EvBufferPtr();
            buf.lineScratch = it;
        }
        return it;
    }

    /** Mark {@code ptr} as set by {@code buf} at its current version. */
    static void stamp(final EvBuffer buf, final EvBufferPtr ptr)
    {
        ptr.buffer = buf;
        ptr.version = buf.chains.version;
    }

    /** Refuse a position set by another buffer, or set before {@code buf} last changed. */
    static void checkPtr(final EvBuffer buf, final EvBufferPtr ptr)
    {
        if (ptr.buffer != buf)
        {
            throw new IllegalArgumentException("EvBufferPtr not set by this buffer: " + ptr);
        }
        if (ptr.version != buf.chains.version)
        {
            throw new IllegalArgumentException("EvBufferPtr is stale: the buffer changed since it was set");
        }
    }

    /** {@link EvBuffer#ptrSet}. */
    static int ptrSet(final EvBuffer buf, final EvBufferPtr ptr, final long position, final PtrHow how)
    {
        EvBuffer.checkLength(position);
        buf.enter();
        try
        {
            if (PtrHow.ADD == how)
            {
                checkPtr(buf, ptr);
            }
            final int rc = EvBufferSearch.ptrSet(buf.chains, ptr, position, how);
            stamp(buf, ptr);
            return rc;
        }
        finally
        {
            buf.exit();
        }
    }

    /** {@link EvBuffer#searchRange}. */
    static long searchRange(
        final EvBuffer buf, final byte[] what, final EvBufferPtr start, final EvBufferPtr end, final EvBufferPtr result)
    {
        buf.enter();
        try
        {
            buf.checkNoFileSegment();
            if (null != start)
            {
                checkPtr(buf, start);
            }
            if (null != end)
            {
                checkPtr(buf, end);
            }
            final long rc = EvBufferSearch.searchRange(buf.chains, what, start, null == end ? -1 : end.pos, result);
            stamp(buf, result);
            return rc;
        }
        finally
        {
            buf.exit();
        }
    }

    /** {@link EvBuffer#searchEol}. */
    static long searchEol(final EvBuffer buf, final EvBufferPtr start, final EolStyle style, final EvBufferPtr result)
    {
        Objects.requireNonNull(style, "style");
        buf.enter();
        try
        {
            buf.checkNoFileSegment();
            if (null != start)
            {
                checkPtr(buf, start);
                result.copyFrom(start);
            }
            else
            {
                result.pos = 0;
                result.chain = buf.chains.first;
                result.posInChain = 0;
            }
            final long rc = EvBufferSearch.searchEol(buf.chains, result, style);
            stamp(buf, result);
            return rc;
        }
        finally
        {
            buf.exit();
        }
    }

    /** {@link EvBuffer#readLineBytes}. */
    static byte[] readLineBytes(final EvBuffer buf, final EolStyle style)
    {
        Objects.requireNonNull(style, "style");
        buf.enter();
        try
        {
            final long n = lineLength(buf, style);
            if (n < 0)
            {
                return null;
            }
            final byte[] line = new byte[Math.toIntExact(n)];
            takeLine(buf, line, null, 0, n);
            return line;
        }
        finally
        {
            buf.exit();
        }
    }

    /** For {@link EvBuffer}. */
    static long readLineInto(final EvBuffer buf,
        final EolStyle style, final Object array, final MemorySegment segment, final long to, final long room)
    {
        Objects.requireNonNull(style, "style");
        buf.enter();
        try
        {
            final long n = lineLength(buf, style);
            if (n < 0)
            {
                return -1;
            }
            if (n > room)
            {
                return EvBuffer.LINE_TOO_LONG;
            }
            takeLine(buf, array, segment, to, n);
            return n;
        }
        finally
        {
            buf.exit();
        }
    }

    /** Under the lock: the length of the first line (its EOL found into the line scratch), or -1 when none is. */
    private static long lineLength(final EvBuffer buf, final EolStyle style)
    {
        buf.checkNoFileSegment();
        final EvBufferPtr it = lineScratch(buf);
        return buf.freezeStart || searchEol(buf, null, style, it) < 0 ? -1 : it.pos;
    }

    /** Under the lock, after {@link #lineLength}: copy the line's {@code n} bytes out, drain it and its EOL. */
    private static void takeLine(
        final EvBuffer buf, final Object array, final MemorySegment segment, final long to, final long n)
    {
        ChainMoves.copyOutFrom(buf.chains.first, 0, array, segment, to, n);
        buf.chains.drain(n + lineScratch(buf).eolLength);
        buf.invokeCallbacks();
    }
}
