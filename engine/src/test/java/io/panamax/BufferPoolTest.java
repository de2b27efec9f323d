package io.panamax;

import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.panamax.Bufs.add;
import static io.panamax.Bufs.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(PoolWholeExtension.class)
class BufferPoolTest
{
    @Test
    void closingEveryBufferReturnsEveryChunk()
    {
        try (BufferPool pool = BufferPool.create())
        {
            final EvBuffer a = new EvBuffer(pool);
            final EvBuffer b = new EvBuffer(pool);
            a.add(new byte[100_000]);
            b.add(new byte[10]);
            assertTrue(pool.lentBytes() >= 100_010);
            assertTrue(pool.lentChunks() >= 2);
            assertEquals(pool.reservedBytes() - pool.lentBytes(), pool.freeBytes());
            assertFalse(pool.isWhole());
            assertThrows(IllegalStateException.class, pool::close, "refused while lent");
            a.close();
            b.close();
            assertTrue(pool.isWhole(), pool::toString);
            assertEquals(0, pool.lentBytes());
            assertEquals(pool.reservedBytes(), pool.freeBytes());
        }
    }

    @Test
    void steadyAddAndDrainReusesTheSameChunks()
    {
        try (BufferPool pool = BufferPool.create(); EvBuffer buf = new EvBuffer(pool))
        {
            final byte[] msg = new byte[700];
            for (int i = 0; i < 100; i++)
            {
                buf.add(msg);
                buf.drain(700);
            }
            final long reserved = pool.reservedBytes();
            for (int i = 0; i < 100_000; i++)
            {
                buf.add(msg);
                buf.drain(700);
            }
            assertEquals(reserved, pool.reservedBytes(), "no growth in steady state");
            assertEquals(1, pool.lentChunks(), "the emptied buffer keeps its one chunk for the next add");
            assertEquals(1024, pool.lentBytes());
        }
    }

    @Test
    void emptiedBufferKeepsItsSmallChunkUntilClosed()
    {
        try (BufferPool pool = BufferPool.create())
        {
            final EvBuffer buf = new EvBuffer(pool);
            add(buf, "x".repeat(100));
            final long address = buf.pullup(-1).address();
            assertEquals(0, buf.drain(100));
            assertEquals(1, pool.lentChunks(), "kept, still lent: " + pool);
            assertEquals(0, buf.length());
            buf.validate();
            add(buf, "y".repeat(200));
            assertEquals(address, buf.pullup(-1).address(), "the next add of that size takes the kept chunk");
            assertEquals(1, pool.lentChunks());
            assertEquals("y".repeat(200), text(buf));
            buf.drain(200);
            buf.close();
            assertTrue(pool.isWhole(), () -> "close gives the kept chunk back: " + pool);
        }
    }

    @Test
    void emptiedBufferKeepsNoLargeOrSharedChunk()
    {
        try (BufferPool pool = BufferPool.create(); EvBuffer buf = new EvBuffer(pool);
            EvBuffer other = new EvBuffer(pool))
        {
            add(buf, "z".repeat(10_000));
            buf.drain(10_000);
            assertTrue(pool.isWhole(), () -> "a 16 KiB chunk goes back: " + pool);
            add(other, "s".repeat(100));
            buf.addBufferReference(other);
            buf.drain(100);
            other.drain(100);
            assertTrue(pool.isWhole(), () -> "shared chunks go back: " + pool);
            add(buf, "a".repeat(100));
            add(buf, "b".repeat(2000));
            buf.drain(2100);
            assertTrue(pool.isWhole(), () -> "two chains go back: " + pool);
        }
    }

    @Test
    void limitMakesAddsFailCleanlyInsteadOfGrowing()
    {
        try (BufferPool pool = BufferPool.create(64 * 1024); EvBuffer buf = new EvBuffer(pool))
        {
            final byte[] kib = new byte[1024];
            int added = 0;
            while (0 == buf.add(kib))
            {
                added++;
                assertTrue(added < 1000, "the limit must stop growth");
            }
            assertTrue(pool.reservedBytes() <= 64 * 1024, pool::toString);
            assertTrue(pool.allocationFailures() > 0);
            final long len = buf.length();
            assertEquals((long)added * 1024, len);
            assertEquals(-1, buf.add(kib), "still full");
            assertEquals(-1, buf.expand(64 * 1024));
            assertEquals(len, buf.length());
            buf.validate();
            buf.drain(len);
            assertEquals(0, buf.add(kib), "memory came back");
            buf.drain(buf.length());
        }
    }

    @Test
    void chunkReleasedOnAnotherThreadReturnsToItsPool() throws Exception
    {
        try (BufferPool pool = BufferPool.create())
        {
            final EvBuffer src = new EvBuffer(pool);
            add(src, "x".repeat(5000));
            final long lent = pool.lentBytes();
            assertTrue(lent > 0);
            final EvBuffer[] moved = new EvBuffer[1];
            final CountDownLatch done = new CountDownLatch(1);
            final Throwable[] failure = new Throwable[1];
            final Thread other = new Thread(() ->
            {
                try (EvBuffer theirs = new EvBuffer())
                {
                    theirs.addBuffer(src);
                    moved[0] = theirs;
                    assertEquals("x".repeat(5000), text(theirs));
                }
                catch (final Throwable t)
                {
                    failure[0] = t;
                }
                finally
                {
                    done.countDown();
                }
            });
            other.start();
            assertTrue(done.await(10, java.util.concurrent.TimeUnit.SECONDS));
            other.join();
            assertSame(null, failure[0]);
            assertTrue(pool.isWhole(), () -> "returned through the cross-thread stack: " + pool);
            src.close();
        }
    }

    @Test
    void threadDefaultPoolIsPerThreadAndCannotBeClosed()
    {
        assertSame(BufferPool.threadDefault(), BufferPool.threadDefault());
        assertThrows(IllegalStateException.class, () -> BufferPool.threadDefault().close());
        assertThrows(IllegalArgumentException.class, () -> BufferPool.create(0));
    }

    @Test
    void closedPoolRefusesNewChunks()
    {
        final BufferPool pool = BufferPool.create();
        final EvBuffer buf = new EvBuffer(pool);
        pool.close();
        pool.close();
        assertThrows(IllegalStateException.class, () -> buf.add(new byte[1]));
        buf.close();
    }
}
