package io.panamax.internal.buffer;

import java.lang.foreign.MemorySegment;

/**
 * One link of a buffer's chain list (libevent's {@code evbuffer_chain}): a window
 * {@code [misalign, misalign + off)} of readable bytes inside {@code [0, bufferLen)} of a {@link Chunk}'s memory.
 * <pre>
 *   0          misalign           misalign + off          bufferLen
 *   | drained   | readable bytes   | free space (unless IMMUTABLE) |
 * </pre>
 * Descriptors are pooled: a freed chain goes back to the pool that lent it.
 * <p>
 * <b>Thread-safety:</b> belongs to one buffer; that buffer's rules apply.
 */
public final class Chain
{
    /** No byte may be written into this chain (references, shared chunks). */
    public static final int IMMUTABLE = 1;
    /** The memory is a caller's segment added by reference. */
    public static final int REFERENCE = 2;
    /** The memory is shared with another buffer ({@code addBufferReference}). */
    public static final int MULTICAST = 4;
    /** No memory: a file range sent with sendfile ({@code [misalign, misalign + off)} of the file). */
    public static final int SENDFILE = 8;

    /** The memory owner. */
    public Chunk chunk;
    /** {@code chunk.memory}, cached. */
    public MemorySegment memory;
    /** Bytes of {@link #memory} this chain may use. */
    public long bufferLen;
    /** Bytes drained from the front. */
    public long misalign;
    /** Readable bytes. */
    public long off;
    /** {@link #IMMUTABLE}, {@link #REFERENCE}, {@link #MULTICAST}. */
    public int flags;
    /** The next chain of the buffer, or null. */
    public Chain next;

    final ChunkPool pool;
    Chain nextFree;

    Chain(final ChunkPool pool)
    {
        this.pool = pool;
    }

    /**
     * @return bytes that may still be appended in place (0 for an immutable chain).
     */
    public long spaceLen()
    {
        return 0 != (flags & IMMUTABLE) ? 0 : bufferLen - misalign - off;
    }

    /**
     * @return offset in {@link #memory} of the first readable byte.
     */
    public long start()
    {
        return misalign;
    }

    /**
     * @return offset in {@link #memory} of the first free byte.
     */
    public long end()
    {
        return misalign + off;
    }

    /**
     * Drop this chain's hold on its memory and give the descriptor back to its pool (which may keep the two together
     * for its next chain of that size: {@link ChunkPool#membuf}).
     */
    public void free()
    {
        final Chunk chunk = this.chunk;
        if (0 == flags && null != chunk && pool.keepHot(this, chunk))
        {
            return;
        }
        freeToPool();
    }

    /**
     * Give the descriptor and its hold on the chunk back to the pools, never keeping it as a pool's hot chain.
     */
    void freeToPool()
    {
        final Chunk chunk = this.chunk;
        this.chunk = null;
        this.memory = MemorySegment.NULL;
        this.next = null;
        this.flags = 0;
        this.bufferLen = 0;
        this.misalign = 0;
        this.off = 0;
        pool.giveBack(this);
        if (null != chunk)
        {
            chunk.release();
        }
    }
}
