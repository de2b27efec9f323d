package io.panamax.ffm;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@EnabledOnOs({ OS.LINUX, OS.MAC })
class SendFileTest
{
    @Test
    void sendfileSendsTheAskedRangeOfAFileToAStreamSocket(@TempDir final Path dir) throws Exception
    {
        final Path file = Files.writeString(dir.resolve("data.txt"), "0123456789abcdef", StandardCharsets.US_ASCII);
        try (NativeFixture f = new NativeFixture())
        {
            final int[] tcp = f.tcpPair();
            final MemorySegment path = f.arena.allocateFrom(file.toString());
            final int fileFd = f.track(Libc.open(f.cs, path, Libc.O_RDONLY | Libc.O_CLOEXEC));
            final MemorySegment scratch = f.arena.allocate(SendFile.SCRATCH_LENGTH, 8);
            assertEquals(6, SendFile.sendfile(f.cs, tcp[0], fileFd, 4, 6, scratch));
            assertTrue(f.waitFor(tcp[1], PollfdDescriptor.POLLIN, 5_000));
            final MemorySegment in = f.arena.allocate(32);
            assertEquals(6, Sockets.recv(f.cs, tcp[1], in, 32, 0));
            assertEquals("456789", new String(in.asSlice(0, 6).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                StandardCharsets.US_ASCII));
            assertEquals(-Errno.EBADF, SendFile.sendfile(f.cs, tcp[0], -1, 0, 6, scratch));
            assertEquals(-Errno.ENOENT, Libc.open(f.cs, f.arena.allocateFrom(dir.resolve("none").toString()),
                Libc.O_RDONLY));
        }
    }
}
