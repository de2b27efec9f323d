package io.panamax;

import java.lang.foreign.MemorySegment;

import io.panamax.internal.buffer.Chain;

/**
 * A reusable set of extents (libevent's {@code struct evbuffer_iovec[]}): filled by {@link EvBuffer#reserveSpace}
 * (writable space, given back to {@link EvBuffer#commitSpace}) and {@link EvBuffer#peek} (readable bytes).
 * <p>
 * Extent {@code i} is the bytes {@code [offset(i), offset(i) + length(i))} of {@code segment(i)}; nothing is
 * allocated per call. Before committing, shorten an extent with {@link #length(int, long)} (0 is allowed).
 * Extents are valid until the buffer changes.
 * <p>
 * <b>Thread-safety:</b> not thread-safe; one user at a time.
 */
public final class EvBufferIovec
{
    final Chain[] chains;
    final MemorySegment[] segments;
    final long[] offsets;
    final long[] lengths;
    int count;

    /**
     * @param capacity the most extents this holder can describe, at least 1.
     */
    public EvBufferIovec(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        chains = new Chain[capacity];
        segments = new MemorySegment[capacity];
        offsets = new long[capacity];
        lengths = new long[capacity];
    }

    /**
     * @return the most extents this holder can describe.
     */
    public int capacity()
    {
        return chains.length;
    }

    /**
     * @return extents filled by the last call (for {@code peek}, at most the capacity even when more were needed).
     */
    public int count()
    {
        return count;
    }

    /**
     * @param i an extent index.
     * @return the memory the extent lies in (a whole chunk: use only the extent's bytes).
     */
    public MemorySegment segment(final int i)
    {
        return segments[i];
    }

    /**
     * @param i an extent index.
     * @return where the extent starts in {@link #segment(int)}.
     */
    public long offset(final int i)
    {
        return offsets[i];
    }

    /**
     * @param i an extent index.
     * @return the extent's length.
     */
    public long length(final int i)
    {
        return lengths[i];
    }

    /**
     * Shorten (or restore) an extent before {@link EvBuffer#commitSpace}; a longer length than reserved makes
     * the commit fail.
     *
     * @param i      an extent index.
     * @param length the bytes to commit.
     * @return this.
     */
    public EvBufferIovec length(final int i, final long length)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("negative length: " + length);
        }
        lengths[i] = length;
        return this;
    }

    /**
     * @param i an extent index.
     * @return the native address of the extent's first byte.
     */
    public long address(final int i)
    {
        return segments[i].address() + offsets[i];
    }

    /**
     * @param i an extent index.
     * @return a view of exactly the extent (allocates a segment object).
     */
    public MemorySegment slice(final int i)
    {
        return segments[i].asSlice(offsets[i], lengths[i]);
    }

    void set(final int i, final Chain chain, final long offset, final long length)
    {
        chains[i] = chain;
        segments[i] = chain.memory;
        offsets[i] = offset;
        lengths[i] = length;
    }
}
