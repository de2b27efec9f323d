package io.panamax.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
