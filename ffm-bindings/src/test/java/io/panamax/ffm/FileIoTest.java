package io.panamax.ffm;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

@EnabledOnOs({ OS.LINUX, OS.MAC })
class FileIoTest
{
    @TempDir
    Path dir;

    @Test
    void sizeIsTheFileLengthAndThePositionIsKept() throws IOException
    {
        final Path file = Files.write(dir.resolve("f"), new byte[12_345]);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment cs = Errno.allocateCallState(arena);
            final int fd = Libc.open(cs, arena.allocateFrom(file.toString()), Libc.O_RDONLY);
            assertEquals(true, fd >= 0, "open: " + fd);
            try
            {
                assertEquals(100, FileIo.lseek(cs, fd, 100, FileIo.SEEK_SET));
                assertEquals(12_345, FileIo.size(cs, fd));
                assertEquals(100, FileIo.lseek(cs, fd, 0, FileIo.SEEK_CUR), "position restored");
            }
            finally
            {
                Libc.close(cs, fd);
            }
        }
    }

    @Test
    void preadReadsAtAnOffsetWithoutMovingThePosition() throws IOException
    {
        final byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++)
        {
            data[i] = (byte)i;
        }
        final Path file = Files.write(dir.resolve("p"), data);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment cs = Errno.allocateCallState(arena);
            final int fd = Libc.open(cs, arena.allocateFrom(file.toString()), Libc.O_RDONLY);
            assertEquals(true, fd >= 0, "open: " + fd);
            try
            {
                final MemorySegment buf = arena.allocate(100);
                assertEquals(100, FileIo.pread(cs, fd, buf, 100, 500));
                assertEquals((byte)500, buf.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
                assertEquals((byte)599, buf.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 99));
                assertEquals(0, FileIo.lseek(cs, fd, 0, FileIo.SEEK_CUR), "position untouched");
                assertEquals(50, FileIo.pread(cs, fd, buf, 100, 950), "short at the end");
                assertEquals(0, FileIo.pread(cs, fd, buf, 100, 1000), "end of file");
            }
            finally
            {
                Libc.close(cs, fd);
            }
        }
    }

    @Test
    void pipesAndClosedDescriptorsReportNegativeErrno()
    {
        try (NativeFixture f = new NativeFixture())
        {
            final int[] pair = f.socketpair(false);
            assertEquals(-Errno.ESPIPE, FileIo.size(f.cs, pair[0]));
            f.close(pair[0]);
            assertEquals(-Errno.EBADF, FileIo.size(f.cs, pair[0]));
        }
    }
}
