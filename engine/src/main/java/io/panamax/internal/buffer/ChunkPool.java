package io.panamax.internal.buffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import io.panamax.EvBufferRefCleanup;

/**
 * Off-heap chunks in power-of-two size classes ({@value #MIN_CHUNK} bytes up to {@value #MAX_CHUNK}), carved from
 * large slabs, plus pooled chain and reference descriptors, with byte accounting and an optional limit.
 * <p>
 * Steady state allocates nothing: a released chunk or descriptor goes on a free list and is lent again.
 * Slabs are never given back before the pool is closed (thread-default pools: before it becomes unreachable).
 * <p>
 * <b>Thread-safety:</b> lending and the accounting belong to the owner thread (the one that created the pool).
 * Any thread may give a chunk or descriptor back: from another thread it goes on a lock-free return stack
 * ({@link ReturnStacks}) that the owner drains when its free list runs dry and before it reports its accounting
 * ({@link PoolAccount}). Scratch segments for syscall arguments are in {@link PoolScratch}.
 */
public final class ChunkPool implements AutoCloseable
{
    /** The smallest chunk (libevent's {@code MIN_BUFFER_SIZE} on 64-bit). */
    public static final int MIN_CHUNK = 1024;
    /** The largest chunk; bigger single-chunk requests fail. */
    public static final long MAX_CHUNK = 1L << 26;
    /** Slab size for the small classes: every class up to this size is carved from slabs this big. */
    public static final long SLAB_BYTES = 256 * 1024;
    /** iovec entries in the I/O scratch array (libevent's {@code NUM_WRITE_IOVEC}). */
    public static final int IOV_ENTRIES = 128;

    private static final int MIN_SHIFT = 10;
    private static final int CLASSES = 26 - MIN_SHIFT + 1;
    private static final ThreadLocal<ChunkPool> THREAD_DEFAULT = ThreadLocal.withInitial(
        () -> new ChunkPool(Long.MAX_VALUE, Arena.ofAuto(), false));

    private final Thread owner;
    private final Arena arena;
    /**
     * The scratch segments' arena: confined to the owner for a closable pool (only the owner uses scratch and
     * closes the pool), so a downcall given them skips the shared arena's compare-and-set pair (measured ~11 ns of
     * user CPU per call, perf ArenaDowncallBenchmark); the default pool's automatic arena costs no more than that.
     */
    private final Arena scratchArena;
    private final boolean closable;
    private final Chunk[] freeChunks = new Chunk[CLASSES];
    private final MemorySegment[] slab = new MemorySegment[CLASSES];
    private final long[] slabCursor = new long[CLASSES];
    private Chunk freeReferences;
    private Chain freeChains;
    /**
     * The last pool chain the owner freed whole (its own unshared chunk still attached, both still counted as lent),
     * or null: the next {@link #membuf} of its size takes it back with one load and one store instead of a free-list
     * pop of a chunk and of a descriptor, their accounting and the chunk's count. In an echo the write drains a
     * chunk and the next connection's read wants the same size, so in the steady state no event touches the free
     * lists. Every accounting reader, a free list that runs dry and {@link #close} first give it back
     * ({@link #drainReturns}).
     */
    private Chain hot;

    private boolean closed;
    private final PoolAccount account;
    private final ReturnStacks returns = new ReturnStacks();
    private final PoolScratch scratch = new PoolScratch(this);

    private ChunkPool(final long limitBytes, final Arena arena, final boolean closable)
    {
        this.owner = Thread.currentThread();
        this.account = new PoolAccount(this, limitBytes);
        this.arena = arena;
        this.scratchArena = closable ? Arena.ofConfined() : arena;
        this.closable = closable;
    }

    /**
     * A pool owned by the calling thread, closed explicitly.
     *
     * @param limitBytes the most slab memory the pool may reserve ({@link Long#MAX_VALUE} for none).
     * @return the pool.
     */
    public static ChunkPool create(final long limitBytes)
    {
        if (limitBytes <= 0)
        {
            throw new IllegalArgumentException("limitBytes must be positive: " + limitBytes);
        }
        return new ChunkPool(limitBytes, Arena.ofShared(), true);
    }

    /**
     * @return the calling thread's default pool (created on first use, never closed).
     */
    public static ChunkPool threadDefault()
    {
        return THREAD_DEFAULT.get();
    }

    /**
     * @return true when the caller may lend from this pool.
     */
    public boolean isOwnerThread()
    {
        return Thread.currentThread() == owner;
    }

    /**
     * @return this pool when the caller owns it, else the caller's default pool.
     */
    public ChunkPool forCurrentThread()
    {
        return Thread.currentThread() == owner ? this : THREAD_DEFAULT.get();
    }

    /**
     * @return the owner thread.
     */
    public Thread owner()
    {
        return owner;
    }

    /**
     * Lend a chunk with at least {@code minBytes} bytes (rounded up to a size class).
     *
     * @param minBytes bytes needed.
     * @return the chunk with a count of 1, or null when {@code minBytes > MAX_CHUNK} or the limit is reached.
     */
    public Chunk allocate(final long minBytes)
    {
        checkOwner();
        checkOpen();
        if (minBytes > MAX_CHUNK || minBytes < 0)
        {
            account.allocationFailures++;
            return null;
        }
        final int sizeClass = sizeClass(minBytes);
        Chunk chunk = popFree(sizeClass);
        if (null == chunk)
        {
            chunk = carve(sizeClass);
        }
        if (null == chunk)
        {
            for (int larger = sizeClass + 1; larger < CLASSES && null == chunk; larger++)
            {
                chunk = popFree(larger);
            }
            if (null == chunk)
            {
                account.allocationFailures++;
                return null;
            }
        }
        account.lentBytes += chunk.capacity;
        account.lentChunks++;
        chunk.initRefCount();
        return chunk;
    }

    /**
     * Lend a descriptor for caller memory.
     *
     * @param memory   the caller's segment.
     * @param length   bytes the reference covers (offset included).
     * @param cleanup  run once when the last chain pointing here is freed; may be null.
     * @return the descriptor with a count of 1.
     */
    public Chunk reference(final MemorySegment memory, final long length, final EvBufferRefCleanup cleanup)
    {
        checkOwner();
        checkOpen();
        Chunk chunk = freeReferences;
        if (null == chunk)
        {
            drainReturns();
            chunk = freeReferences;
        }
        if (null != chunk)
        {
            freeReferences = chunk.nextFree;
            chunk.nextFree = null;
        }
        else
        {
            chunk = new Chunk(this, Chunk.REFERENCE, MemorySegment.NULL, 0);
        }
        chunk.memory = memory;
        chunk.capacity = length;
        chunk.cleanup = cleanup;
        chunk.initRefCount();
        account.lentReferences++;
        return chunk;
    }

    /**
     * Lend a descriptor for a file range (no memory; written with sendfile).
     *
     * @param fd      the file.
     * @param length  bytes the descriptor covers (offset included).
     * @param cleanup run once when the last chain pointing here is freed (closes the file when it should).
     * @return the descriptor with a count of 1.
     */
    public Chunk fileReference(final int fd, final long length, final EvBufferRefCleanup cleanup)
    {
        final Chunk chunk = reference(MemorySegment.NULL, length, cleanup);
        chunk.fileFd = fd;
        return chunk;
    }

    /**
     * Lend an empty chain descriptor.
     *
     * @return the chain, pointing at nothing.
     */
    public Chain chain()
    {
        checkOwner();
        checkOpen();
        Chain chain = freeChains;
        if (null == chain)
        {
            drainReturns();
            chain = freeChains;
        }
        if (null != chain)
        {
            freeChains = chain.nextFree;
            chain.nextFree = null;
        }
        else
        {
            chain = new Chain(this);
        }
        account.lentChains++;
        return chain;
    }

    /**
     * A chain over a fresh chunk of at least {@code minBytes}.
     *
     * @param minBytes bytes needed.
     * @return the chain (misalign 0, off 0), or null when no chunk can be lent.
     */
    public Chain membuf(final long minBytes)
    {
        final Chain kept = hot;
        if (null != kept && kept.bufferLen == roundUp(minBytes) && minBytes >= 0 && Thread.currentThread() == owner)
        {
            hot = null;
            return kept;
        }
        final Chunk chunk = allocate(minBytes);
        if (null == chunk)
        {
            return null;
        }
        final Chain chain = chain();
        chain.chunk = chunk;
        chain.memory = chunk.memory;
        chain.bufferLen = chunk.capacity;
        return chain;
    }

    /**
     * Keep a chain that is being freed as {@link #hot}, chunk attached, when it is the owner freeing a chain over an
     * unshared chunk of this pool and nothing is kept yet.
     *
     * @param chain a chain with no flags, being freed.
     * @param chunk its chunk, not null.
     * @return true when kept (the chain is then empty, unlinked and still lent).
     */
    boolean keepHot(final Chain chain, final Chunk chunk)
    {
        if (null != hot || chunk.pool != this || Chunk.REFERENCE == chunk.sizeClass ||
            Thread.currentThread() != owner || 1 != chunk.refCount())
        {
            return false;
        }
        chain.next = null;
        chain.misalign = 0;
        chain.off = 0;
        hot = chain;
        return true;
    }

    /**
     * @return the chain kept for the next {@link #membuf} of its size, or null (for tests).
     */
    public Chain hot()
    {
        return hot;
    }

    void giveBack(final Chunk chunk)
    {
        if (Thread.currentThread() == owner)
        {
            recycle(chunk);
        }
        else
        {
            returns.push(chunk);
        }
    }

    void giveBack(final Chain chain)
    {
        if (Thread.currentThread() == owner)
        {
            recycle(chain);
        }
        else
        {
            returns.push(chain);
        }
    }

    private void recycle(final Chunk chunk)
    {
        if (Chunk.REFERENCE == chunk.sizeClass)
        {
            account.lentReferences--;
            chunk.nextFree = freeReferences;
            freeReferences = chunk;
        }
        else
        {
            account.lentBytes -= chunk.capacity;
            account.lentChunks--;
            chunk.nextFree = freeChunks[chunk.sizeClass];
            freeChunks[chunk.sizeClass] = chunk;
        }
    }

    private void recycle(final Chain chain)
    {
        account.lentChains--;
        chain.nextFree = freeChains;
        freeChains = chain;
    }

    /**
     * Take back what other threads returned, and the {@link #hot} chain (owner thread only).
     *
     * @return how many chunks and descriptors were taken back.
     */
    public int drainReturns()
    {
        int count = 0;
        final Chain kept = hot;
        if (null != kept)
        {
            hot = null;
            kept.freeToPool();
            count++;
        }
        for (Chunk chunk = returns.takeChunks(); null != chunk; count++)
        {
            final Chunk next = chunk.nextFree;
            recycle(chunk);
            chunk = next;
        }
        for (Chain chain = returns.takeChains(); null != chain; count++)
        {
            final Chain next = chain.nextFree;
            recycle(chain);
            chain = next;
        }
        return count;
    }

    private Chunk popFree(final int sizeClass)
    {
        Chunk chunk = freeChunks[sizeClass];
        if (null == chunk && 0 != drainReturns())
        {
            chunk = freeChunks[sizeClass];
        }
        if (null != chunk)
        {
            freeChunks[sizeClass] = chunk.nextFree;
            chunk.nextFree = null;
        }
        return chunk;
    }

    private Chunk carve(final int sizeClass)
    {
        final long size = classBytes(sizeClass);
        MemorySegment current = slab[sizeClass];
        if (null == current || slabCursor[sizeClass] + size > current.byteSize())
        {
            final long room = account.limitBytes - account.reservedBytes;
            if (room < size)
            {
                return null;
            }
            final long slabBytes = Math.max(size, Math.min(SLAB_BYTES, room - room % size));
            checkOpen();
            current = arena.allocate(slabBytes, 64);
            account.reservedBytes += slabBytes;
            slab[sizeClass] = current;
            slabCursor[sizeClass] = 0;
        }
        final long at = slabCursor[sizeClass];
        slabCursor[sizeClass] = at + size;
        return new Chunk(this, sizeClass, current.asSlice(at, size), size);
    }

    private static int sizeClass(final long minBytes)
    {
        if (minBytes <= MIN_CHUNK)
        {
            return 0;
        }
        return 64 - Long.numberOfLeadingZeros(minBytes - 1) - MIN_SHIFT;
    }

    /**
     * @param sizeClass a class index.
     * @return its chunk size in bytes.
     */
    static long classBytes(final int sizeClass)
    {
        return 1L << (sizeClass + MIN_SHIFT);
    }

    /**
     * @param minBytes a request.
     * @return the chunk size that request gets (its class), or -1 when above {@link #MAX_CHUNK}.
     */
    public static long roundUp(final long minBytes)
    {
        return minBytes > MAX_CHUNK ? -1 : classBytes(sizeClass(minBytes));
    }

    /**
     * @return true once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Free every slab. Refused while anything is lent, so no buffer can be left pointing at freed memory.
     */
    @Override
    public void close()
    {
        if (!closable)
        {
            throw new IllegalStateException("a thread's default pool is never closed");
        }
        checkOwner();
        if (closed)
        {
            return;
        }
        if (!account.isWhole())
        {
            throw new IllegalStateException("pool still lends " + account.describe() + ": close every buffer first");
        }
        closed = true;
        java.util.Arrays.fill(freeChunks, null);
        java.util.Arrays.fill(slab, null);
        freeReferences = null;
        freeChains = null;
        scratch.clear();
        account.reservedBytes = 0;
        scratchArena.close();
        arena.close();
    }

    void drainIfOwner()
    {
        if (Thread.currentThread() == owner)
        {
            drainReturns();
        }
    }

    /**
     * @return this pool's accounting and limit.
     */
    public PoolAccount account()
    {
        return account;
    }

    /**
     * @return this pool's scratch segments for syscall arguments (owner thread).
     */
    public PoolScratch scratch()
    {
        return scratch;
    }

    /** Allocate a scratch segment from the pool's scratch arena (for {@link PoolScratch}; owner thread only). */
    MemorySegment allocateScratch(final long bytes, final long align)
    {
        checkOpen();
        return scratchArena.allocate(bytes, align);
    }

    void checkOwner()
    {
        if (Thread.currentThread() != owner)
        {
            throw new IllegalStateException("pool owned by " + owner.getName() + " used from " +
                Thread.currentThread().getName());
        }
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("pool closed");
        }
    }

    @Override
    public String toString()
    {
        return "ChunkPool[" + account.describe() + "]";
    }
}
