package io.panamax.internal.buffer;

import java.lang.foreign.Arena;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkPoolHotChainTest
{
    private static final long BIG = 64 * 1024;

    @Test
    void freedChainIsLentAgainWithItsChunkForTheSameSize()
    {
        try (ChunkPool pool = ChunkPool.create(Long.MAX_VALUE))
        {
            final Chain chain = pool.membuf(BIG);
            final Chunk chunk = chain.chunk;
            chain.misalign = 10;
            chain.off = 100;
            chain.free();
            assertSame(chain, pool.hot());
            assertSame(chunk, chain.chunk, "kept attached");
            assertEquals(1, chunk.refCount());
            final Chain again = pool.membuf(40_000);
            assertSame(chain, again, "a request of the same size class takes it");
            assertNull(pool.hot());
            assertEquals(0, again.misalign);
            assertEquals(0, again.off);
            assertEquals(BIG, again.bufferLen);
            assertSame(chunk.memory(), again.memory);
            again.free();
            assertEquals(pool.account().reservedBytes(), pool.account().freeBytes(),
                "counted free once the accounting is read");
            assertNull(pool.hot(), "the reader took it back");
            assertTrue(pool.account().isWhole());
        }
    }

    @Test
    void requestOfAnotherSizeGetsAnotherChunkAndFreesTheHotOne()
    {
        try (ChunkPool pool = ChunkPool.create(Long.MAX_VALUE))
        {
            final Chain big = pool.membuf(BIG);
            final Chunk bigChunk = big.chunk;
            big.free();
            final Chain small = pool.membuf(100);
            assertNotSame(bigChunk, small.chunk);
            assertEquals(ChunkPool.MIN_CHUNK, small.bufferLen);
            assertNull(pool.hot(), "the dry free list took the hot chain back");
            small.free();
            assertSame(small, pool.hot());
            assertTrue(pool.account().isWhole());
        }
    }

    @Test
    void onlyAnUnsharedChunkOfThisPoolFreedByItsOwnerIsKept() throws Exception
    {
        try (ChunkPool pool = ChunkPool.create(Long.MAX_VALUE); Arena arena = Arena.ofConfined())
        {
            final Chain shared = pool.membuf(BIG);
            shared.chunk.retain();
            final Chunk held = shared.chunk;
            shared.free();
            assertNull(pool.hot(), "a chunk another chain still points at");
            assertEquals(1, held.refCount());
            held.release();

            final Chain flagged = pool.membuf(BIG);
            flagged.flags = Chain.IMMUTABLE;
            flagged.free();
            assertNull(pool.hot(), "a chain with flags");

            final Chain reference = pool.chain();
            reference.chunk = pool.reference(arena.allocate(64), 64, null);
            reference.memory = reference.chunk.memory();
            reference.bufferLen = 64;
            reference.free();
            assertNull(pool.hot(), "caller memory");

            final Chain fromOther = pool.membuf(BIG);
            final Thread other = new Thread(fromOther::free);
            other.start();
            other.join(10_000);
            assertNull(pool.hot(), "freed by another thread: its return stack");
            assertTrue(pool.account().isWhole(), pool::toString);
        }
    }

    @Test
    void secondFreeGoesToTheFreeListsWhileOneIsKept()
    {
        try (ChunkPool pool = ChunkPool.create(Long.MAX_VALUE))
        {
            final Chain first = pool.membuf(BIG);
            final Chain second = pool.membuf(BIG);
            first.free();
            second.free();
            assertSame(first, pool.hot(), "one chain at most");
            assertTrue(pool.account().isWhole(), pool::toString);
        }
    }

    @Test
    void poolAtItsLimitStillLendsTheHotChunkForAnotherSize()
    {
        try (ChunkPool pool = ChunkPool.create(BIG))
        {
            final Chain big = pool.membuf(BIG);
            assertNotNull(big);
            big.free();
            assertSame(big, pool.hot());
            final Chain small = pool.membuf(100);
            assertNotNull(small, "no new slab fits, so the larger free chunk is lent: the hot one");
            assertEquals(BIG, small.bufferLen);
            assertEquals(0, pool.account().allocationFailures());
            small.free();
        }
    }

    @Test
    void closeTakesTheHotChainBack()
    {
        final ChunkPool pool = ChunkPool.create(Long.MAX_VALUE);
        pool.membuf(BIG).free();
        assertNotNull(pool.hot());
        pool.close();
        assertNull(pool.hot());
        assertTrue(pool.isClosed());
    }
}
