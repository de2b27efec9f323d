package io.panamax.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LibcTest
{
    @Test
    @EnabledOnOs({ OS.LINUX, OS.MAC })
    void socketpairCarriesBytesBothWays()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment cs = Errno.allocateCallState(arena);
            final MemorySegment fds = arena.allocate(JAVA_INT, 2);
            assertEquals(0, Sockets.socketpair(cs, Sockets.AF_UNIX, Sockets.SOCK_STREAM, 0, fds));
            final int a = fds.getAtIndex(JAVA_INT, 0);
            final int b = fds.getAtIndex(JAVA_INT, 1);
            final MemorySegment out = arena.allocateFrom("hello");
            assertEquals(6, Libc.write(cs, a, out, 6));
            final MemorySegment in = arena.allocate(64);
            assertEquals(6, Libc.read(cs, b, in, 64));
            assertEquals("hello", in.getString(0));
            assertEquals((byte)'h', in.get(JAVA_BYTE, 0));
            assertEquals(0, Libc.close(cs, a));
            assertEquals(0, Libc.read(cs, b, in, 64), "EOF after the peer closed");
            assertEquals(0, Libc.close(cs, b));
        }
    }

    @Test
    @EnabledOnOs({ OS.LINUX, OS.MAC })
    void closeOfBadFdReturnsNegativeEbadf()
    {
        try (Arena arena = Arena.ofConfined())
        {
            assertEquals(-Errno.EBADF, Libc.close(Errno.allocateCallState(arena), -1));
        }
    }
}
