package io.panamax;

import io.panamax.internal.buffer.Chain;

/**
 * A position in an {@link EvBuffer} (libevent's {@code struct evbuffer_ptr}): set by {@link EvBuffer#ptrSet},
 * {@link EvBuffer#search}, {@link EvBuffer#searchRange} and {@link EvBuffer#searchEol}; used as a start for
 * searches, {@link EvBuffer#peek} and {@link EvBuffer#copyoutFrom}. {@link #pos()} is -1 when not found.
 * <p>
 * A position is valid until its buffer changes; using it after a change, or with another buffer, throws
 * {@link IllegalArgumentException} instead of reading the wrong bytes. Reuse one instance to avoid allocation.
 * <p>
 * <b>Thread-safety:</b> not thread-safe; use it with its buffer.
 */
public final class EvBufferPtr
{
    long pos = -1;
    Chain chain;
    long posInChain;
    EvBuffer buffer;
    long version;
    long eolLength;

    /**
     * A position that is not set ({@code pos() == -1}).
     */
    public EvBufferPtr()
    {
    }

    /**
     * @return the offset from the start of the buffer, or -1 when not found / not set.
     */
    public long pos()
    {
        return pos;
    }

    /**
     * @return the length of the end of line found by the last {@link EvBuffer#searchEol} into this position
     *         (0 when none was found).
     */
    public long eolLength()
    {
        return eolLength;
    }

    void notFound()
    {
        pos = -1;
        chain = null;
        posInChain = 0;
    }

    void copyFrom(final EvBufferPtr other)
    {
        pos = other.pos;
        chain = other.chain;
        posInChain = other.posInChain;
        buffer = other.buffer;
        version = other.version;
    }

    @Override
    public String toString()
    {
        return "EvBufferPtr[pos=" + pos + "]";
    }
}
