package io.panamax.internal.buffer;

/**
 * A {@link ChunkPool}'s accounting: slab bytes reserved, chunk bytes and descriptors lent, refusals, and the limit
 * on reserved bytes. The pool updates the counters; the readers first take back what other threads returned.
 * <p>
 * <b>Thread-safety:</b> as the pool: counters belong to its owner thread.
 */
public final class PoolAccount
{
    long limitBytes;
    long reservedBytes;
    long lentBytes;
    long lentChunks;
    long lentReferences;
    long lentChains;
    long allocationFailures;

    private final ChunkPool pool;

    PoolAccount(final ChunkPool pool, final long limitBytes)
    {
        this.pool = pool;
        this.limitBytes = limitBytes;
    }

    /**
     * @return the slab memory reserved, in bytes.
     */
    public long reservedBytes()
    {
        pool.drainIfOwner();
        return reservedBytes;
    }

    /**
     * @return the bytes of the chunks currently lent to buffers.
     */
    public long lentBytes()
    {
        pool.drainIfOwner();
        return lentBytes;
    }

    /**
     * @return reserved minus lent: memory ready to be lent without growing.
     */
    public long freeBytes()
    {
        pool.drainIfOwner();
        return reservedBytes - lentBytes;
    }

    /**
     * @return chunks currently lent.
     */
    public long lentChunks()
    {
        pool.drainIfOwner();
        return lentChunks;
    }

    /**
     * @return reference descriptors currently lent.
     */
    public long lentReferences()
    {
        pool.drainIfOwner();
        return lentReferences;
    }

    /**
     * @return chain descriptors currently lent.
     */
    public long lentChains()
    {
        pool.drainIfOwner();
        return lentChains;
    }

    /**
     * @return requests refused (limit reached or too large) since the pool was created.
     */
    public long allocationFailures()
    {
        return allocationFailures;
    }

    /**
     * @return the most slab memory the pool may reserve.
     */
    public long limitBytes()
    {
        return limitBytes;
    }

    /**
     * Change the limit; memory already reserved above it stays reserved.
     *
     * @param limitBytes the new limit.
     */
    public void limitBytes(final long limitBytes)
    {
        pool.checkOwner();
        if (limitBytes <= 0)
        {
            throw new IllegalArgumentException("limitBytes must be positive: " + limitBytes);
        }
        this.limitBytes = limitBytes;
    }

    /**
     * @return true when nothing is lent: every chunk and descriptor is back.
     */
    public boolean isWhole()
    {
        pool.drainIfOwner();
        return 0 == lentBytes && 0 == lentChunks && 0 == lentReferences && 0 == lentChains;
    }

    /**
     * @return the accounting as text, for messages.
     */
    public String describe()
    {
        return "reserved=" + reservedBytes + " lent=" + lentBytes + " chunks=" + lentChunks +
            " references=" + lentReferences + " chains=" + lentChains;
    }
}
