package io.panamax.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@EnabledOnOs({ OS.LINUX, OS.MAC })
class MemTest
{
    @Test
    void memchrFindsTheFirstMatchOrReturnsZero()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment seg = arena.allocate(10_000);
            seg.fill((byte)'a');
            seg.set(JAVA_BYTE, 7_000, (byte)0xF0);
            seg.set(JAVA_BYTE, 9_000, (byte)0xF0);
            final long base = seg.address();
            assertEquals(base + 7_000, Mem.memchr(base, (byte)0xF0, 10_000), "bytes above 0x7F compare unsigned");
            assertEquals(base + 9_000, Mem.memchr(base + 7_001, (byte)0xF0, 2_999));
            assertEquals(0, Mem.memchr(base, (byte)0xF0, 7_000), "the range ends before the match");
            assertEquals(0, Mem.memchr(base, (byte)'b', 10_000));
            assertEquals(0, Mem.memchr(base, (byte)'a', 0));
        }
    }

    @Test
    void copyFromArrayCopiesExactlyTheRangeAndChecksTheArrayBounds()
    {
        final byte[] src = new byte[20_000];
        for (int i = 0; i < src.length; i++)
        {
            src[i] = (byte)(i * 31 + 7);
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment dst = arena.allocate(20_000);
            dst.fill((byte)0x55);
            Mem.copyFromArray(src, 1_001, dst.address() + 3, 17_000);
            final byte[] copied = new byte[17_000];
            MemorySegment.copy(dst, JAVA_BYTE, 3, copied, 0, copied.length);
            assertArrayEquals(java.util.Arrays.copyOfRange(src, 1_001, 18_001), copied);
            assertEquals((byte)0x55, dst.get(JAVA_BYTE, 2), "nothing written before the destination");
            assertEquals((byte)0x55, dst.get(JAVA_BYTE, 17_003), "nothing written after the range");
            Mem.copyFromArray(src, src.length, dst.address(), 0);
            assertThrows(IndexOutOfBoundsException.class, () -> Mem.copyFromArray(src, 19_000, dst.address(), 1_001));
            assertThrows(IndexOutOfBoundsException.class, () -> Mem.copyFromArray(src, -1, dst.address(), 10));
            assertThrows(IndexOutOfBoundsException.class, () -> Mem.copyFromArray(src, 0, dst.address(), -1));
        }
    }
}
