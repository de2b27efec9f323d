package io.panamax.internal.buffer;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import io.panamax.EvBufferRefCleanup;

/**
 * Memory that one or more {@link Chain}s point at: a slice of a pool slab, or a caller's segment added by
 * reference. Reference-counted so that {@code addBufferReference} can share it between buffers.
 * <p>
 * <b>Thread-safety:</b> the count is updated atomically once a chunk is shared (count above 1); an unshared chunk
 * is touched by the one thread that holds its only chain.
 */
public final class Chunk
{
    private static final VarHandle REF_COUNT;

    static
    {
        try
        {
            REF_COUNT = MethodHandles.lookup().findVarHandle(Chunk.class, "refCount", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** The memory: a permanent slab slice for pool chunks, the caller's segment for references. */
    MemorySegment memory;
    /** Usable bytes of {@link #memory}. */
    long capacity;
    /** Size class index for pool chunks; {@link #REFERENCE} for a caller's memory. */
    final int sizeClass;
    /** The pool that lent this chunk (pool chunks) or that lent this descriptor (references). */
    final ChunkPool pool;
    /** For references: runs once when the last chain pointing here is freed. */
    EvBufferRefCleanup cleanup;
    /** For file segments: the file descriptor, else -1. */
    int fileFd = -1;
    /** Next in the owner's free list or in the cross-thread return stack. */
    Chunk nextFree;

    @SuppressWarnings("unused") // accessed through REF_COUNT
    private volatile int refCount;

    private static void runCleanup(final EvBufferRefCleanup cleanup, final MemorySegment memory, final long length)
    {
        try
        {
            cleanup.cleanup(memory, length);
        }
        catch (final RuntimeException ex)
        {
            // A cleanup runs in the middle of a drain: it must not leave the buffer half-updated.
            System.getLogger("io.panamax.EvBuffer").log(System.Logger.Level.ERROR, "reference cleanup threw", ex);
        }
    }

    /** sizeClass of a descriptor for caller memory. */
    public static final int REFERENCE = -1;

    Chunk(final ChunkPool pool, final int sizeClass, final MemorySegment memory, final long capacity)
    {
        this.pool = pool;
        this.sizeClass = sizeClass;
        this.memory = memory;
        this.capacity = capacity;
    }

    /**
     * @return the memory this chunk stands for.
     */
    public MemorySegment memory()
    {
        return memory;
    }

    /**
     * @return usable bytes.
     */
    public long capacity()
    {
        return capacity;
    }

    /**
     * @return the file descriptor of a file segment, or -1.
     */
    public int fileFd()
    {
        return fileFd;
    }

    /**
     * @return how many chains point at this chunk.
     */
    public int refCount()
    {
        return (int)REF_COUNT.getAcquire(this);
    }

    void initRefCount()
    {
        REF_COUNT.setRelease(this, 1);
    }

    /** Another chain now points here (the caller holds one of the existing references). */
    void retain()
    {
        REF_COUNT.getAndAdd(this, 1);
    }

    /**
     * Drop one reference; the last one gives the chunk back (and runs a reference's cleanup once).
     */
    public void release()
    {
        final int count = (int)REF_COUNT.getAcquire(this);
        if (1 == count || 1 == (int)REF_COUNT.getAndAdd(this, -1))
        {
            REF_COUNT.setRelease(this, 0);
            final EvBufferRefCleanup cleanup = this.cleanup;
            if (null != cleanup)
            {
                final MemorySegment memory = this.memory;
                final long capacity = this.capacity;
                this.cleanup = null;
                this.memory = MemorySegment.NULL;
                this.fileFd = -1;
                pool.giveBack(this);
                runCleanup(cleanup, memory, capacity);
            }
            else
            {
                if (REFERENCE == sizeClass)
                {
                    memory = MemorySegment.NULL;
                }
                pool.giveBack(this);
            }
        }
    }
}
