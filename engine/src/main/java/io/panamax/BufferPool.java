package io.panamax;

import io.panamax.internal.buffer.ChunkPool;

/**
 * Where {@link EvBuffer}s get their off-heap memory, and its accounting: bytes reserved (slabs), lent (chunks held
 * by buffers) and free, plus an optional limit (a memory budget).
 * <p>
 * Memory comes in chunks of power-of-two sizes from 1 KiB (libevent's smallest chain) to 64 MiB, carved from
 * slabs of 256 KiB (larger chunks: one slab each). Chunks and descriptors are pooled, so a buffer that keeps
 * adding and draining allocates nothing once warm. Slabs stay reserved until the pool is closed.
 * <p>
 * <b>An emptied buffer keeps one chunk:</b> when a drain empties a buffer whose only chunk is small (4 KiB at most)
 * and shared with no other buffer, the buffer keeps that chunk (still counted as lent) and takes it again for its
 * next chunk of that size instead of giving it back and borrowing it anew; it goes back when the buffer is closed.
 * An empty buffer thus holds at most one such chunk, and a buffer filled and emptied in turn borrows nothing. A
 * move of a whole buffer ({@code addBuffer}) hands the destination's kept chunk to the emptied source when that keeps
 * none: an echo's output never needs it, the input's next read does.
 * <p>
 * <b>The pool keeps the last freed chunk ready:</b> the last chunk of any size the owner thread gives back whole
 * stays with its descriptor and goes to the next request of its size as it is (an echo's write drains one and the
 * next read wants the same size), so such a chunk is counted as lent until the accounting is read: every reader
 * below, {@link #isWhole()} and {@link #close()} first count it back.
 * <p>
 * <b>How a buffer finds its pool:</b> {@code new EvBuffer()} uses {@link #threadDefault()}, the calling thread's
 * default pool; {@code new EvBuffer(pool)} uses the given one. A buffer always takes new chunks from its pool when
 * the calling thread owns that pool, and from the calling thread's default pool otherwise (a locked buffer used
 * from several threads); a chunk always goes back to the pool that lent it, from any thread.
 * <p>
 * <b>Limit:</b> when lending a chunk would need a new slab beyond {@link #limitBytes()}, the request is refused
 * (a larger free chunk is lent instead if there is one): {@code add}, {@code expand}, {@code reserveSpace},
 * {@code read} and the other growing calls then return -1 and leave the buffer unchanged.
 * <p>
 * <b>Thread-safety:</b> lending and the accounting belong to the thread that created the pool (the owner); chunks
 * may be given back from any thread and are taken back by the owner. Read the accounting on the owner thread.
 */
public final class BufferPool implements AutoCloseable
{
    private final ChunkPool pool;

    private BufferPool(final ChunkPool pool)
    {
        this.pool = pool;
    }

    /**
     * A pool owned by the calling thread, without limit; close it once every buffer using it is closed.
     *
     * @return the pool.
     */
    public static BufferPool create()
    {
        return new BufferPool(ChunkPool.create(Long.MAX_VALUE));
    }

    /**
     * A pool owned by the calling thread that reserves at most {@code limitBytes} of slabs.
     *
     * @param limitBytes the memory budget, positive.
     * @return the pool.
     * @throws IllegalArgumentException when the limit is not positive.
     */
    public static BufferPool create(final long limitBytes)
    {
        return new BufferPool(ChunkPool.create(limitBytes));
    }

    /**
     * The calling thread's default pool: created on first use, without limit, never closed (its slabs go when
     * the pool becomes unreachable).
     *
     * @return the pool.
     */
    public static BufferPool threadDefault()
    {
        return Default.POOLS.get();
    }

    ChunkPool chunkPool()
    {
        return pool;
    }

    /**
     * @return slab memory reserved, in bytes.
     */
    public long reservedBytes()
    {
        return pool.account().reservedBytes();
    }

    /**
     * @return bytes of the chunks buffers hold now.
     */
    public long lentBytes()
    {
        return pool.account().lentBytes();
    }

    /**
     * @return reserved minus lent.
     */
    public long freeBytes()
    {
        return pool.account().freeBytes();
    }

    /**
     * @return chunks buffers hold now.
     */
    public long lentChunks()
    {
        return pool.account().lentChunks();
    }

    /**
     * @return chain descriptors buffers hold now.
     */
    public long lentChains()
    {
        return pool.account().lentChains();
    }

    /**
     * @return reference descriptors ({@code addReference}) buffers hold now.
     */
    public long lentReferences()
    {
        return pool.account().lentReferences();
    }

    /**
     * @return requests refused since creation (limit reached, or a single chunk above 64 MiB).
     */
    public long allocationFailures()
    {
        return pool.account().allocationFailures();
    }

    /**
     * @return the memory budget ({@link Long#MAX_VALUE} when none).
     */
    public long limitBytes()
    {
        return pool.account().limitBytes();
    }

    /**
     * Change the memory budget (owner thread); what is already reserved stays.
     *
     * @param limitBytes the new budget, positive.
     */
    public void limitBytes(final long limitBytes)
    {
        pool.account().limitBytes(limitBytes);
    }

    /**
     * @return true when every chunk and descriptor is back: what tests assert after closing every buffer.
     */
    public boolean isWhole()
    {
        return pool.account().isWhole();
    }

    /**
     * Free the slabs (owner thread). Idempotent.
     *
     * @throws IllegalStateException while a buffer still holds a chunk, or for a thread's default pool.
     */
    @Override
    public void close()
    {
        pool.close();
    }

    @Override
    public String toString()
    {
        return "BufferPool[" + pool.account().describe() + "]";
    }

    /** One facade per thread default, created lazily. */
    private static final class Default
    {
        static final ThreadLocal<BufferPool> POOLS =
            ThreadLocal.withInitial(() -> new BufferPool(ChunkPool.threadDefault()));
    }
}
