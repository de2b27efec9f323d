package io.panamax.internal.buffer;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        }
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
