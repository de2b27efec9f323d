package io.panamax.internal.buffer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ByteScanTest
{
    private static long naive(final byte[] b, final int from, final int to, final byte x, final byte y)
    {
        for (int i = from; i < to; i++)
        {
            if (b[i] == x || b[i] == y)
            {
                return i;
            }
        }
        return -1;
    }

    @Test
    void findsTheFirstMatchAtEveryAlignmentAndLength()
    {
        final Random random = new Random(1);
        for (int round = 0; round < 2000; round++)
        {
            final byte[] data = new byte[1 + random.nextInt(80)];
            for (int i = 0; i < data.length; i++)
            {
                data[i] = (byte)(random.nextInt(6) * 51 - 128 + (random.nextBoolean() ? 1 : 0));
            }
            final MemorySegment seg = MemorySegment.ofArray(data);
            final int from = random.nextInt(data.length);
            final int to = from + random.nextInt(data.length - from + 1);
            final byte x = data[random.nextInt(data.length)];
            final byte y = (byte)random.nextInt(256);
            assertEquals(naive(data, from, to, x, x), ByteScan.indexOf(seg, from, to, x));
            assertEquals(naive(data, from, to, x, y), ByteScan.indexOfEither(seg, from, to, x, y));
            assertEquals(naive(data, from, to, x, x), ByteScan.indexOfEither(seg, from, to, x, x));
        }
    }

    @Test
    void longOffHeapRangesThroughMemchrAgreeWithTheModel()
    {
        final Random random = new Random(2);
        try (Arena arena = Arena.ofConfined())
        {
            final int size = (int)(ByteScan.NATIVE_MIN + 7 * ByteScan.FIRST_WINDOW + 100);
            final MemorySegment seg = arena.allocate(size);
            final byte[] data = new byte[size];
            for (int round = 0; round < 300; round++)
            {
                java.util.Arrays.fill(data, (byte)'a');
                final int hits = random.nextInt(4);
                for (int h = 0; h < hits; h++)
                {
                    data[random.nextInt(size)] = random.nextBoolean() ? (byte)'\r' : (byte)0xF0;
                }
                MemorySegment.copy(data, 0, seg, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, size);
                final int from = random.nextInt(size);
                final int to = from + random.nextInt(size - from + 1);
                assertEquals(naive(data, from, to, (byte)0xF0, (byte)0xF0),
                    ByteScan.indexOf(seg, from, to, (byte)0xF0, true), "round " + round);
                assertEquals(naive(data, from, to, (byte)'\r', (byte)0xF0),
                    ByteScan.indexOfEither(seg, from, to, (byte)'\r', (byte)0xF0, true), "round " + round);
                assertEquals(naive(data, from, to, (byte)0xF0, (byte)'\r'),
                    ByteScan.indexOfEither(seg, from, to, (byte)0xF0, (byte)'\r', true), "round " + round);
                assertEquals(naive(data, from, to, (byte)'\r', (byte)'\r'),
                    ByteScan.indexOfEither(seg, from, to, (byte)'\r', (byte)'\r', true), "round " + round);
                assertEquals(naive(data, from, to, (byte)0xF0, (byte)0xF0),
                    ByteScan.indexOf(seg, from, to, (byte)0xF0, true, 0), "no Java head, round " + round);
                assertEquals(naive(data, from, to, (byte)'\r', (byte)0xF0),
                    ByteScan.indexOfEither(seg, from, to, (byte)'\r', (byte)0xF0, true, 0), "no Java head " + round);
            }
        }
    }

    @Test
    void memchrPathRefusesRangesOutsideTheSegmentAndClosedMemory()
    {
        final Arena arena = Arena.ofConfined();
        final MemorySegment seg = arena.allocate(1024);
        assertThrows(IndexOutOfBoundsException.class, () -> ByteScan.indexOf(seg, 0, 2048, (byte)1, true));
        arena.close();
        assertThrows(IllegalStateException.class, () -> ByteScan.indexOf(seg, 0, 1024, (byte)1, true));
    }

    @Test
    void highBytesAndZeroBytesAreFound()
    {
        final byte[] data = new byte[17];
        data[9] = (byte)0xFF;
        final MemorySegment seg = MemorySegment.ofArray(data);
        assertEquals(9, ByteScan.indexOf(seg, 0, 17, (byte)0xFF));
        assertEquals(0, ByteScan.indexOf(seg, 0, 17, (byte)0));
        assertEquals(10, ByteScan.indexOf(seg, 10, 17, (byte)0));
        assertEquals(-1, ByteScan.indexOf(seg, 10, 17, (byte)0xFF));
        assertEquals(9, ByteScan.indexOfEither(seg, 1, 17, (byte)0x7F, (byte)0xFF));
    }
}
