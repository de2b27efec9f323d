package io.panamax.internal.loop;

/**
 * The base's queue of {@link DeferredCallback}s: a preallocated ring of fixed-size records (the target; its
 * pending bits live in the target, so a queued target just ORs more bits in), growing by doubling if ever full.
 * The loop drains at most {@link #MAX_PER_ITERATION} records per iteration, after the active events; targets
 * scheduled during a drain, or beyond the bound, run in the next iteration (libevent's active-later rule).
 * <p>
 * <b>Thread-safety:</b> NOT thread safe; confined to the loop thread.
 */
public final class DeferredQueue
{
    /** Deferred callbacks run per iteration at most (libevent's {@code MAX_DEFERREDS_QUEUED}). */
    public static final int MAX_PER_ITERATION = 32;

    private DeferredCallback[] ring = new DeferredCallback[64];
    private int head;
    private int size;

    void push(final DeferredCallback target)
    {
        if (size == ring.length)
        {
            final DeferredCallback[] bigger = new DeferredCallback[size << 1];
            for (int i = 0; i < size; i++)
            {
                bigger[i] = ring[(head + i) & (ring.length - 1)];
            }
            ring = bigger;
            head = 0;
        }
        ring[(head + size) & (ring.length - 1)] = target;
        size++;
    }

    /**
     * @return records waiting.
     */
    public int size()
    {
        return size;
    }

    /**
     * Run up to {@link #MAX_PER_ITERATION} of the records present when called.
     *
     * @param loop the loop (for error reporting).
     * @return callbacks run.
     */
    int drain(final Loop loop)
    {
        int ran = 0;
        final int limit = Math.min(size, MAX_PER_ITERATION);
        for (int i = 0; i < limit; i++)
        {
            final DeferredCallback target = ring[head];
            ring[head] = null;
            head = (head + 1) & (ring.length - 1);
            size--;
            target.queued = false;
            final int bits = target.pendingBits;
            target.pendingBits = 0;
            if (0 != bits)
            {
                ran++;
                try
                {
                    target.run(bits);
                }
                catch (final Throwable ex)
                {
                    loop.reportError(ex);
                }
            }
        }
        return ran;
    }

    void clear()
    {
        while (size > 0)
        {
            ring[head].queued = false;
            ring[head].pendingBits = 0;
            ring[head] = null;
            head = (head + 1) & (ring.length - 1);
            size--;
        }
    }
}
