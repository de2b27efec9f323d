package io.panamax.internal.buffer;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;

import io.panamax.ffm.IovecDescriptor;
import io.panamax.ffm.Mem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolScratchTest
{
    @Test
    void explicitPoolScratchIsConfinedToItsOwnerAndFreedOnClose() throws Exception
    {
        final ChunkPool pool = ChunkPool.create(Long.MAX_VALUE);
        final MemorySegment iov = pool.scratch().iov(IovecDescriptor.LENGTH);
        final MemorySegment callState = pool.scratch().callState(4, 4);
        assertSame(iov, pool.scratch().iov(IovecDescriptor.LENGTH), "allocated once, reused");
        final Thread other = new Thread(() -> { });
        assertTrue(iov.isAccessibleBy(Thread.currentThread()));
        assertFalse(iov.isAccessibleBy(other), "confined: no shared-arena acquire per downcall");
        assertFalse(callState.isAccessibleBy(other));
        final Throwable[] fromOther = new Throwable[1];
        final Thread user = new Thread(() -> fromOther[0] = assertThrows(IllegalStateException.class,
            () -> pool.scratch().out()));
        user.start();
        user.join(10_000);
        assertTrue(null != fromOther[0], "another thread is refused the scratch");
        pool.close();
        assertFalse(iov.scope().isAlive(), "closing the pool frees its scratch");
        assertFalse(callState.scope().isAlive());
    }

    @Test
    void arrayViewIsKeptForTheSameArrayAndReplacedByAnother()
    {
        final ChunkPool pool = ChunkPool.create(Long.MAX_VALUE);
        final byte[] first = new byte[16 * 1024];
        final byte[] second = new byte[16 * 1024];
        final MemorySegment view = pool.scratch().arrayView(first);
        assertSame(view, pool.scratch().arrayView(first), "the same array again creates no view");
        assertEquals(first.length, view.byteSize());
        assertTrue(view.heapBase().orElseThrow() == first, "a view of that array");
        final MemorySegment other = pool.scratch().arrayView(second);
        assertTrue(other.heapBase().orElseThrow() == second, "another array gets its own view");
        assertNotSame(view, pool.scratch().arrayView(first), "only the last array's view is kept");
        pool.close();
    }

    @Test
    void arrayAddressIsTheNewArraysFromItsFirstCall()
    {
        final ChunkPool pool = ChunkPool.create(Long.MAX_VALUE);
        final PoolScratch scratch = pool.scratch();
        int agreed = 0;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            final byte[] array = new byte[16 * 1024];
            final MemorySegment view = scratch.arrayView(array);
            final long before = Mem.address(view);
            final long hint = scratch.arrayAddress();
            long reread = hint;
            for (int i = 1; i <= PoolScratch.ADDRESS_READ_EVERY; i++)
            {
                reread = scratch.arrayAddress();
            }
            if (before == Mem.address(view)) // the collector did not move the array meanwhile
            {
                assertEquals(before, hint, "a new array's address is read at once, not the last array's");
                assertEquals(before, reread, "still its address over a whole reading period");
                agreed++;
            }
        }
        assertTrue(agreed > 0, "the arrays moved during every attempt");
        pool.close();
    }

    @Test
    void ownerCallStateIsTheOwnersCallStateSegmentUntilClose()
    {
        final ChunkPool pool = ChunkPool.create(Long.MAX_VALUE);
        final MemorySegment checked = pool.scratch().callState(4, 4);
        assertSame(checked, pool.scratch().ownerCallState(4, 4), "the same segment as the checked accessor");
        assertSame(checked, pool.scratch().ownerCallState(4, 4));
        pool.close();
        assertFalse(checked.scope().isAlive());
        assertThrows(IllegalStateException.class, () -> pool.scratch().ownerCallState(4, 4), "closed pool");
    }
}
