package io.panamax.internal.buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Lock-free stacks on which threads other than a pool's owner give chunks and chain descriptors back; the owner
 * takes each whole stack at once and recycles it.
 * <p>
 * <b>Thread-safety:</b> {@code push} from any thread, {@code take} from the owner.
 */
final class ReturnStacks
{
    private static final VarHandle CHUNKS;
    private static final VarHandle CHAINS;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            CHUNKS = lookup.findVarHandle(ReturnStacks.class, "chunks", Chunk.class);
            CHAINS = lookup.findVarHandle(ReturnStacks.class, "chains", Chain.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused") // through CHUNKS
    private volatile Chunk chunks;
    @SuppressWarnings("unused") // through CHAINS
    private volatile Chain chains;

    void push(final Chunk chunk)
    {
        Chunk head;
        do
        {
            head = (Chunk)CHUNKS.getVolatile(this);
            chunk.nextFree = head;
        }
        while (!CHUNKS.compareAndSet(this, head, chunk));
    }

    void push(final Chain chain)
    {
        Chain head;
        do
        {
            head = (Chain)CHAINS.getVolatile(this);
            chain.nextFree = head;
        }
        while (!CHAINS.compareAndSet(this, head, chain));
    }

    /** @return every chunk given back so far, linked by {@code nextFree}, or null; the stack is then empty. */
    Chunk takeChunks()
    {
        return null == (Chunk)CHUNKS.getVolatile(this) ? null : (Chunk)CHUNKS.getAndSet(this, (Chunk)null);
    }

    /** @return every chain given back so far, linked by {@code nextFree}, or null; the stack is then empty. */
    Chain takeChains()
    {
        return null == (Chain)CHAINS.getVolatile(this) ? null : (Chain)CHAINS.getAndSet(this, (Chain)null);
    }
}
