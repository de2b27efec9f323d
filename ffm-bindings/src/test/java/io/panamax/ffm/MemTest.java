package io.panamax.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@EnabledOnOs({ OS.LINUX, OS.MAC })
@SuppressWarnings("restricted")
class MemTest
{
    /** An independent witness of where an array lies: memchr over the array in place returns a raw pointer. */
    private static final MethodHandle MEMCHR_ON_HEAP = NativeLibrary.LINKER.downcallHandle(
        NativeLibrary.find("memchr"), FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT, JAVA_LONG),
        Linker.Option.critical(true));

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
    void copyCopiesTheFirstBytesOfAnArrayViewAndChecksItsBounds()
    {
        final byte[] src = new byte[20_000];
        for (int i = 0; i < src.length; i++)
        {
            src[i] = (byte)(i * 31 + 7);
        }
        final MemorySegment view = MemorySegment.ofArray(src);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment dst = arena.allocate(20_000);
            dst.fill((byte)0x55);
            Mem.copy(view, dst.address() + 3, 17_000);
            final byte[] copied = new byte[17_000];
            MemorySegment.copy(dst, JAVA_BYTE, 3, copied, 0, copied.length);
            assertArrayEquals(java.util.Arrays.copyOfRange(src, 0, 17_000), copied);
            assertEquals((byte)0x55, dst.get(JAVA_BYTE, 2), "nothing written before the destination");
            assertEquals((byte)0x55, dst.get(JAVA_BYTE, 17_003), "nothing written after the range");
            Mem.copy(view, dst.address(), 0);
            assertEquals((byte)0x55, dst.get(JAVA_BYTE, 0), "a copy of nothing writes nothing");
            assertThrows(IndexOutOfBoundsException.class, () -> Mem.copy(view, dst.address(), 20_001));
            assertThrows(IndexOutOfBoundsException.class, () -> Mem.copy(view, dst.address(), -1));
        }
    }

    @Test
    void addressIsWhereTheArraysBytesLieDuringANativeCall() throws Throwable
    {
        final byte[] array = new byte[50_000];
        array[12_345] = 7;
        final MemorySegment view = MemorySegment.ofArray(array);
        int agreed = 0;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            final long before = Mem.address(view);
            final long found = (long)MEMCHR_ON_HEAP.invokeExact(view, 7, (long)array.length);
            final long after = Mem.address(view);
            assertTrue(0 != before && 0 == before % 8, "an aligned, non-null address: " + before);
            if (before == after)
            {
                // the collector did not move the array between the three calls
                assertEquals(before + 12_345, found, "memchr's pointer into the same array");
                agreed++;
            }
        }
        assertTrue(agreed > 0, "the array moved during every attempt");
        assertTrue(Mem.address(MemorySegment.ofArray(new byte[1])) != Mem.address(view), "another array lies elsewhere");
        assertEquals(0, array[0], "nothing written");
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment offHeap = arena.allocate(64);
            assertEquals(offHeap.address(), Mem.address(offHeap), "a native segment's own address");
        }
    }
}
