package io.panamax.internal.buffer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

import io.panamax.ffm.Mem;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * memchr for memory segments. Short ranges are scanned in Java, eight bytes at a time with the "has a zero byte"
 * bit trick (little-endian reads, so the lowest flagged byte is the first match on every platform); past its first
 * {@link #NATIVE_MIN} bytes, a long off-heap range goes to the C library's vectorised {@code memchr}, many times
 * faster over long ranges (a call costs about what Java spends on a few hundred bytes).
 * <p>
 * <b>Thread-safety:</b> stateless.
 */
public final class ByteScan
{
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    /**
     * Bytes scanned in Java before a long off-heap range goes to libc's {@code memchr}, so short finds stay cheap; also
     * the shortest range given to {@code memchr} at all. A caller scanning on from a range that held no match (the
     * next chain of a buffer) passes a Java head of 0: a match is no likelier near the new range's start than anywhere,
     * and the head cost about a downcall's price again on every chain of a long search.
     */
    public static final long NATIVE_MIN = 256;
    /**
     * {@link #indexOfEither} scans the rest in windows, two memchr calls each, growing from this size to
     * {@link #MAX_WINDOW}: a match of one byte early in a long range costs no scan of the whole range for the other.
     */
    static final long FIRST_WINDOW = 1024;
    /** The largest window of {@link #indexOfEither}. */
    static final long MAX_WINDOW = 4096;

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
        return javaIndexOf(segment, from, to, value);
    }

    /**
     * As {@link #indexOf(MemorySegment, long, long, byte)}, through libc's memchr for a long range of memory that
     * cannot be freed during the call.
     *
     * @param segment memory.
     * @param from    first offset to look at.
     * @param to      offset after the last.
     * @param value   the byte.
     * @param stable  true when nothing can free the memory while this runs (a pool's chunk: a pool frees nothing
     *                it lends); false for a caller's segment, which another thread might close.
     * @return the offset of the first byte equal to {@code value}, or -1.
     */
    public static long indexOf(
        final MemorySegment segment, final long from, final long to, final byte value, final boolean stable)
    {
        return indexOf(segment, from, to, value, stable, NATIVE_MIN);
    }

    /**
     * As {@link #indexOf(MemorySegment, long, long, byte, boolean)} with the bytes scanned in Java before
     * {@code memchr} chosen by the caller.
     *
     * @param segment  memory.
     * @param from     first offset to look at.
     * @param to       offset after the last.
     * @param value    the byte.
     * @param stable   as in {@link #indexOf(MemorySegment, long, long, byte, boolean)}.
     * @param javaHead bytes scanned in Java first: {@link #NATIVE_MIN}, or 0 for a range that continues a scan.
     * @return the offset of the first byte equal to {@code value}, or -1.
     */
    public static long indexOf(final MemorySegment segment,
        final long from, final long to, final byte value, final boolean stable, final long javaHead)
    {
        if (!stable || to - from < javaHead + NATIVE_MIN || !segment.isNative())
        {
            return javaIndexOf(segment, from, to, value);
        }
        final long head = 0 == javaHead ? -1 : javaIndexOf(segment, from, from + javaHead, value);
        return head >= 0 ? head : nativeIndexOf(segment, from + javaHead, to, value);
    }

    private static long nativeIndexOf(final MemorySegment segment, final long from, final long to, final byte value)
    {
        Objects.checkFromToIndex(from, to, segment.byteSize());
        if (!segment.scope().isAlive())
        {
            throw new IllegalStateException("Already closed");
        }
        final long base = segment.address();
        final long at = Mem.memchr(base + from, value, to - from);
        return 0 == at ? -1 : at - base;
    }

    private static long javaIndexOf(final MemorySegment segment, final long from, final long to, final byte value)
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
     * @param b       another byte; when it equals {@code a}, one pass as {@link #indexOf}.
     * @return the offset of the first byte equal to {@code a} or {@code b}, or -1.
     */
    public static long indexOfEither(
        final MemorySegment segment, final long from, final long to, final byte a, final byte b)
    {
        return a == b ? javaIndexOf(segment, from, to, a) : javaIndexOfEither(segment, from, to, a, b);
    }

    /**
     * As {@link #indexOfEither(MemorySegment, long, long, byte, byte)}, through libc's memchr (in windows, so an
     * early match of one byte is not paid for with a scan of the whole range for the other) for a long range of
     * memory that cannot be freed during the call.
     *
     * @param segment memory.
     * @param from    first offset to look at.
     * @param to      offset after the last.
     * @param a       one byte.
     * @param b       another byte; when it equals {@code a}, one pass as {@link #indexOf}.
     * @param stable  as in {@link #indexOf(MemorySegment, long, long, byte, boolean)}.
     * @return the offset of the first byte equal to {@code a} or {@code b}, or -1.
     */
    public static long indexOfEither(
        final MemorySegment segment, final long from, final long to, final byte a, final byte b, final boolean stable)
    {
        return indexOfEither(segment, from, to, a, b, stable, NATIVE_MIN);
    }

    /**
     * As {@link #indexOfEither(MemorySegment, long, long, byte, byte, boolean)} with the bytes scanned in Java before
     * {@code memchr} chosen by the caller.
     *
     * @param segment  memory.
     * @param from     first offset to look at.
     * @param to       offset after the last.
     * @param a        one byte.
     * @param b        another byte; when it equals {@code a}, one pass as {@link #indexOf}.
     * @param stable   as in {@link #indexOf(MemorySegment, long, long, byte, boolean)}.
     * @param javaHead bytes scanned in Java first: {@link #NATIVE_MIN}, or 0 for a range that continues a scan.
     * @return the offset of the first byte equal to {@code a} or {@code b}, or -1.
     */
    public static long indexOfEither(final MemorySegment segment,
        final long from, final long to, final byte a, final byte b, final boolean stable, final long javaHead)
    {
        if (a == b)
        {
            return indexOf(segment, from, to, a, stable, javaHead);
        }
        if (!stable || to - from < javaHead + NATIVE_MIN || !segment.isNative())
        {
            return javaIndexOfEither(segment, from, to, a, b);
        }
        final long head = 0 == javaHead ? -1 : javaIndexOfEither(segment, from, from + javaHead, a, b);
        if (head >= 0)
        {
            return head;
        }
        long window = FIRST_WINDOW;
        for (long start = from + javaHead; start < to; start += window, window = Math.min(window * 2, MAX_WINDOW))
        {
            final long end = Math.min(to, start + window);
            final long atA = nativeIndexOf(segment, start, end, a);
            final long atB = nativeIndexOf(segment, start, atA < 0 ? end : atA, b);
            if (atB >= 0)
            {
                return atB;
            }
            if (atA >= 0)
            {
                return atA;
            }
        }
        return -1;
    }

    private static long javaIndexOfEither(
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
