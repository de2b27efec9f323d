package io.panamax.internal.buffer;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;

import io.panamax.ffm.Mem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CopyPlacementTest
{
    private ChunkPool pool;
    private ChainList list;

    @BeforeEach
    void setUp()
    {
        pool = ChunkPool.create(Long.MAX_VALUE);
        list = new ChainList(pool);
    }

    @AfterEach
    void tearDown()
    {
        list.freeAll();
        assertTrue(pool.account().isWhole(), "every chunk back: " + pool);
        pool.close();
    }

    private static long rel(final long destination, final long source)
    {
        return (destination - source) & 4095;
    }

    private static boolean fast(final long destination, final long source)
    {
        final long rel = rel(destination, source);
        return rel >= CopyPlacement.BAND_LO && rel <= CopyPlacement.BAND_HI && 0 == rel % 64;
    }

    @Test
    void shiftIsTheSmallestMoveIntoTheBandAtTheSourcesOffsetWithinALine()
    {
        for (long source = 4096 * 7; source < 4096 * 7 + 64; source += 8)
        {
            for (long destination = 1 << 20; destination < (1 << 20) + 4096; destination += 8)
            {
                final long shift = CopyPlacement.shift(destination, source);
                assertTrue(shift >= 0 && shift < 4096, "shift " + shift);
                assertTrue(fast(destination + shift, source), "rel " + rel(destination + shift, source));
                for (long fewer = 0; fewer < shift; fewer += 8)
                {
                    assertTrue(!fast(destination + fewer, source), "a smaller shift works: " + fewer + " < " + shift);
                }
            }
        }
    }

    private void assertHolds(final byte[] expected)
    {
        assertNull(ChainChecks.validate(list));
        assertEquals(expected.length, list.totalLen);
        final byte[] all = new byte[expected.length];
        long at = 0;
        for (Chain c = list.first; null != c; c = c.next)
        {
            ChainList.copyOut(c, c.misalign, all, null, at, c.off);
            at += c.off;
        }
        assertArrayEquals(expected, all);
    }

    @Test
    void aSixteenKibAddIntoAnEmptyListGetsRoomAndLandsInTheFastBand()
    {
        final byte[] data = new byte[16 * 1024];
        new Random(3).nextBytes(data);
        assertEquals(0, list.add(data, null, 0, data.length));
        final Chain chain = list.first;
        assertEquals(32 * 1024, chain.bufferLen, "an exact 16 KiB add asks for room to shift, as libevent's header");
        assertTrue(chain.misalign < 4096 - (CopyPlacement.BAND_HI - CopyPlacement.BAND_LO), "" + chain.misalign);
        assertTrue(chain.misalign * 8 < chain.bufferLen, "less than an eighth unused before the data");
        final MemorySegment view = MemorySegment.ofArray(data);
        final long source = Mem.address(view);
        if (source == Mem.address(view)) // not moved by the collector since the add (a stale hint is allowed)
        {
            final long destination = chain.memory.address() + chain.misalign;
            assertTrue(fast(destination, source), "rel " + rel(destination, source));
        }
        assertHolds(data);
        assertEquals(data.length, list.drain(data.length));
        assertNull(list.first, "the chain goes back at once");
    }

    @Test
    void placedAddsKeepEveryByteForManyLengthsAndArrays()
    {
        final Random random = new Random(11);
        final int[] sizes = { 16 * 1024 - 1, 16 * 1024, 16 * 1024 + 8, 20_000, 28_673, 32 * 1024, 60_000,
            64 * 1024, 64 * 1024 + 1, 100_000, 1 << 20, (1 << 20) + 1 };
        for (final int size : sizes)
        {
            for (int round = 0; round < 6; round++)
            {
                final byte[] pad = new byte[1 + random.nextInt(200)]; // moves the next array in the heap
                final byte[] data = new byte[size];
                random.nextBytes(data);
                assertEquals(0, list.add(data, null, 0, data.length));
                final Chain chain = list.first;
                final boolean placed = size >= ChainList.NATIVE_COPY_MIN && size <= ChainList.NATIVE_COPY_MAX;
                assertTrue(placed || 0 == chain.misalign, "size " + size + " misalign " + chain.misalign);
                assertTrue(chain.misalign < 4096 && chain.misalign + chain.off <= chain.bufferLen);
                if (placed && size <= CopyPlacement.SLACK_MAX)
                {
                    assertTrue(chain.bufferLen >= size + CopyPlacement.SLACK, "room asked for: " + chain.bufferLen);
                }
                assertHolds(data);
                assertEquals(size, list.drain(size));
                assertTrue(pad.length > 0);
            }
        }
    }

    @Test
    void addsFromAnOffsetOrIntoAChainWithDataAreNotMoved()
    {
        final byte[] data = new byte[40_000];
        new Random(5).nextBytes(data);
        assertEquals(0, list.add(data, null, 8, 30_000));
        assertEquals(0, list.first.misalign, "a copy from an offset goes through the JIT's stub: not placed");
        assertEquals(0, list.add(data, null, 0, 20_000));
        final byte[] expected = new byte[50_000];
        System.arraycopy(data, 8, expected, 0, 30_000);
        System.arraycopy(data, 0, expected, 30_000, 20_000);
        assertHolds(expected);
        list.freeAll();
        assertEquals(0, list.add(data, null, 0, 1000));
        assertEquals(0, list.add(data, null, 0, 16 * 1024));
        final byte[] mixed = new byte[1000 + 16 * 1024];
        System.arraycopy(data, 0, mixed, 0, 1000);
        System.arraycopy(data, 0, mixed, 1000, 16 * 1024);
        assertHolds(mixed);
        assertEquals(0, list.first.misalign, "data already in the chain fixes where the next bytes go");
    }

    @Test
    void aFullLastChainGivesTheWholeAddAPlacedNewChain()
    {
        final byte[] small = new byte[1024];
        Arrays.fill(small, (byte)'s');
        assertEquals(0, list.add(small, null, 0, small.length));
        assertEquals(1024, list.first.bufferLen);
        final byte[] data = new byte[16 * 1024];
        new Random(9).nextBytes(data);
        assertEquals(0, list.add(data, null, 0, data.length));
        final Chain second = list.first.next;
        assertEquals(list.last, second);
        assertTrue(second.bufferLen >= data.length + CopyPlacement.SLACK, "room for the shift: " + second.bufferLen);
        final byte[] expected = new byte[small.length + data.length];
        System.arraycopy(small, 0, expected, 0, small.length);
        System.arraycopy(data, 0, expected, small.length, data.length);
        assertHolds(expected);
    }

    @Test
    void aPlacedChainStillTakesAppendsPrependsAndPartialDrains()
    {
        final Random random = new Random(13);
        final byte[] model = new byte[200_000];
        int length = 0;
        for (int step = 0; step < 400; step++)
        {
            final int op = random.nextInt(4);
            if (0 == op && length + 70_000 < model.length)
            {
                final byte[] data = new byte[16 * 1024 + random.nextInt(50_000)];
                random.nextBytes(data);
                assertEquals(0, list.add(data, null, 0, data.length));
                System.arraycopy(data, 0, model, length, data.length);
                length += data.length;
            }
            else if (1 == op && length + 3000 < model.length)
            {
                final byte[] data = new byte[1 + random.nextInt(3000)];
                random.nextBytes(data);
                assertEquals(0, list.prepend(data, null, 0, data.length));
                System.arraycopy(model, 0, model, data.length, length);
                System.arraycopy(data, 0, model, 0, data.length);
                length += data.length;
            }
            else if (2 == op && length + 5000 < model.length)
            {
                final MemorySegment data = MemorySegment.ofArray(new byte[1 + random.nextInt(5000)]);
                data.fill((byte)random.nextInt());
                assertEquals(0, list.add(null, data, 0, data.byteSize()));
                MemorySegment.copy(data, JAVA_BYTE, 0, model, length, (int)data.byteSize());
                length += (int)data.byteSize();
            }
            else
            {
                final int n = random.nextInt(length + 1);
                assertEquals(n, list.drain(n));
                System.arraycopy(model, n, model, 0, length - n);
                length -= n;
            }
            assertHolds(Arrays.copyOf(model, length));
        }
    }
}
