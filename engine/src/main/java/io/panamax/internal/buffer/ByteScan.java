package io.panamax.internal.buffer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * memchr for memory segments: eight bytes at a time with the "has a zero byte" bit trick, little-endian reads so
 * the lowest flagged byte is the first match on every platform.
 * <p>
 * <b>Thread-safety:</b> stateless.
 */
public final class ByteScan
{
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private ByteScan()
    {
    }

    private static long zeroBytes(final long v)
    {
        return (v - ONES) & ~v & HIGHS;
    }

    /**
     * @param segment memory.
     * @param from    first offset to look at.
     * @param to      offset after the last.
     * @param value   the byte.
     * @return the offset of the first byte equal to {@code value}, or -1.
     */
    public static long indexOf(final MemorySegment segment, final long from, final long to, final byte value)
    {
        final long pattern = ONES * (value & 0xFF);
        long i = from;
        for (; i + 8 <= to; i += 8)
        {
            final long hits = zeroBytes(segment.get(WORD, i) ^ pattern);
            if (0 != hits)
            {
                return i + (Long.numberOfTrailingZeros(hits) >>> 3);
            }
        }
        for (; i < to; i++)
        {
            if (segment.get(JAVA_BYTE, i) == value)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param segment memory.
     * @param from    first offset to look at.
     * @param to      offset after the last.
     * @param a       one byte.
     * @param b       another byte.
     * @return the offset of the first byte equal to {@code a} or {@code b}, or -1.
     */
    public static long indexOfEither(
        final MemorySegment segment, final long from, final long to, final byte a, final byte b)
    {
        final long pa = ONES * (a & 0xFF);
        final long pb = ONES * (b & 0xFF);
        long i = from;
        for (; i + 8 <= to; i += 8)
        {
            final long v = segment.get(WORD, i);
            final long hits = zeroBytes(v ^ pa) | zeroBytes(v ^ pb);
            if (0 != hits)
            {
                return i + (Long.numberOfTrailingZeros(hits) >>> 3);
            }
        }
        for (; i < to; i++)
        {
            final byte v = segment.get(JAVA_BYTE, i);
            if (v == a || v == b)
            {
                return i;
            }
        }
        return -1;
    }
}
