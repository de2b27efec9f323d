package io.panamax;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import io.panamax.ffm.Errno;
import io.panamax.ffm.Libc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static io.panamax.Bufs.add;
import static io.panamax.Bufs.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** libevent's add_file contracts: sendfile with DRAINS_TO_FD, reading otherwise, ownership of the fd. */
@ExtendWith(PoolWholeExtension.class)
@EnabledOnOs({ OS.LINUX, OS.MAC })
class EvBufferFileTest extends SocketPairTestBase
{
    @TempDir
    Path dir;

    private int open(final byte[] content) throws IOException
    {
        final Path file = Files.createTempFile(dir, "seg", ".bin");
        Files.write(file, content);
        return (int)PanamaxException.check(Libc.open(cs, arena.allocateFrom(file.toString()), Libc.O_RDONLY),
            "open", file.toString());
    }

    private byte[] pump(final EvBuffer out, final long expected)
    {
        try (EvBuffer in = new EvBuffer())
        {
            in.setMaxRead(1 << 20);
            int rounds = 0;
            while (in.length() < expected && rounds++ < 1_000_000)
            {
                if (out.length() > 0 && out.write(a) < 0)
                {
                    assertEquals(Errno.EAGAIN, out.lastErrno(), () -> Errno.name(out.lastErrno()));
                }
                if (in.read(b, -1) < 0)
                {
                    assertEquals(Errno.EAGAIN, in.lastErrno());
                }
            }
            assertEquals(0, out.length());
            final byte[] got = new byte[(int)in.length()];
            in.remove(got);
            return got;
        }
    }

    @Test
    void smallFileIsSentWithSendfileWhenDrainingToFd() throws IOException
    {
        final byte[] data = Bufs.bytes("Some text to be sent via sendfile");
        try (EvBuffer out = new EvBuffer())
        {
            out.setFlags(EvBuffer.FLAG_DRAINS_TO_FD);
            final int fd = open(data);
            assertEquals(0, out.addFile(fd, 0, data.length));
            assertEquals(data.length, out.length());
            out.validate();
            assertThrows(IllegalStateException.class, () -> out.copyout(new byte[4]), "no bytes in memory");
            assertEquals(data.length, out.write(a));
            assertFalse(io.panamax.internal.buffer.ChainIo.isOpen(fd), "closed once drained");
            assertArrayEquals(data, pump(out, data.length));
        }
    }

    @Test
    void bigFileRangeWithHeaderAndTrailerArrivesInOrder() throws IOException
    {
        final byte[] data = new byte[512 * 1024];
        new Random(3).nextBytes(data);
        final int from = data.length / 4 + 1;
        final int len = data.length / 2;
        try (EvBuffer out = new EvBuffer())
        {
            out.setFlags(EvBuffer.FLAG_DRAINS_TO_FD);
            add(out, "header|");
            assertEquals(0, out.addFile(open(data), from, len));
            add(out, "|trailer");
            final byte[] got = pump(out, 7 + len + 8);
            assertEquals("header|", new String(got, 0, 7, java.nio.charset.StandardCharsets.ISO_8859_1));
            assertArrayEquals(Arrays.copyOfRange(data, from, from + len), Arrays.copyOfRange(got, 7, 7 + len));
            assertEquals("|trailer", new String(got, 7 + len, 8, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void withoutDrainsToFdTheRangeIsReadIntoMemory() throws IOException
    {
        final byte[] data = new byte[100_000];
        new Random(5).nextBytes(data);
        try (EvBuffer buf = new EvBuffer())
        {
            final int fd = open(data);
            assertEquals(0, buf.addFile(fd, 1000, 70_000));
            assertFalse(io.panamax.internal.buffer.ChainIo.isOpen(fd), "ownership: closed after reading");
            final byte[] got = new byte[70_000];
            assertEquals(70_000, buf.copyout(got));
            assertArrayEquals(Arrays.copyOfRange(data, 1000, 71_000), got);
            buf.validate();
            assertEquals(-1, buf.addFile(open(data), 0, data.length + 1), "file shorter than the range");
            assertEquals(70_000, buf.length(), "unchanged on failure");
        }
    }

    @Test
    void closedOrNegativeArgumentsFailCleanly() throws IOException
    {
        try (EvBuffer buf = new EvBuffer())
        {
            final int fd = open(new byte[10]);
            Libc.close(cs, fd);
            assertEquals(-1, buf.addFile(fd, 0, 0));
            assertThrows(IllegalArgumentException.class, () -> buf.addFile(open(new byte[1]), -1, 1));
            buf.freeze(false);
            final int fd2 = open(new byte[10]);
            assertEquals(-1, buf.addFile(fd2, 0, 10));
            assertFalse(io.panamax.internal.buffer.ChainIo.isOpen(fd2), "closed even on error");
            buf.validate();
            assertEquals(0, buf.length());
        }
    }

    @Test
    void fileSegmentCanBeDrainedMovedAndIsClosedWithTheBuffer() throws IOException
    {
        final int fd;
        try (EvBuffer out = new EvBuffer(); EvBuffer other = new EvBuffer())
        {
            out.setFlags(EvBuffer.FLAG_DRAINS_TO_FD);
            fd = open(new byte[4096]);
            assertEquals(0, out.addFile(fd, 0, 4096));
            assertEquals(0, out.drain(96));
            assertEquals(0, other.addBuffer(out));
            assertEquals(4000, other.length());
            assertEquals(-1, new EvBuffer().addBufferReference(other), "file segments are not shared");
            assertThrows(IllegalStateException.class, () -> other.pullup(10));
            assertThrows(IllegalStateException.class, () -> other.readLine(EolStyle.LF));
            assertTrue(io.panamax.internal.buffer.ChainIo.isOpen(fd));
            other.validate();
            assertEquals("", text(new EvBuffer()));
        }
        assertFalse(io.panamax.internal.buffer.ChainIo.isOpen(fd));
    }

    @Test
    void fileSegmentIsSharedAndCleanedUpOnceAfterTheLastUser() throws IOException
    {
        final byte[] data = Bufs.bytes("hello cruel world, this is a segment");
        final int fd = open(data);
        final java.util.List<String> cleanups = new java.util.ArrayList<>();
        final EvBufferFileSegment seg = EvBufferFileSegment.create(fd, 6, 24, EvBufferFileSegment.CLOSE_ON_FREE);
        seg.addCleanupCb((s, flags) -> cleanups.add(s.length() + "/" + flags));
        try (EvBuffer out = new EvBuffer(); EvBuffer plain = new EvBuffer())
        {
            assertEquals(0, plain.addFileSegment(seg, 0, -1), "no DRAINS_TO_FD: the bytes are read in");
            assertEquals("cruel world, this is a s", text(plain));
            plain.validate();
            out.setFlags(EvBuffer.FLAG_DRAINS_TO_FD);
            assertEquals(0, out.addFileSegment(seg, 0, 5));
            add(out, " | ");
            assertEquals(0, out.addFileSegment(seg, 13, -1));
            assertThrows(IllegalArgumentException.class, () -> out.addFileSegment(seg, 20, 5));
            seg.close();
            assertTrue(cleanups.isEmpty(), "the buffer still holds parts of it");
            assertTrue(io.panamax.internal.buffer.ChainIo.isOpen(fd));
            assertThrows(IllegalStateException.class, () -> out.addFileSegment(seg, 0, 1));
            final byte[] got = pump(out, 5 + 3 + 11);
            assertEquals("cruel | this is a s", new String(got, java.nio.charset.StandardCharsets.ISO_8859_1));
            assertEquals(java.util.List.of("24/" + EvBufferFileSegment.CLOSE_ON_FREE), cleanups);
            assertFalse(io.panamax.internal.buffer.ChainIo.isOpen(fd), "CLOSE_ON_FREE");
        }
        assertEquals(1, cleanups.size(), "exactly once");
    }

    @Test
    void fileSegmentHeldByAClosedBufferIsCleanedUpWhenTheSegmentCloses() throws IOException
    {
        final int fd = open(new byte[22]);
        final int[] runs = new int[1];
        final EvBufferFileSegment seg = EvBufferFileSegment.create(fd, 0, -1, 0);
        assertEquals(22, seg.length(), "-1: the whole file");
        seg.addCleanupCb((s, flags) -> runs[0]++);
        final EvBuffer buf = new EvBuffer();
        buf.setFlags(EvBuffer.FLAG_DRAINS_TO_FD);
        assertEquals(0, buf.addFileSegment(seg, 0, -1));
        seg.close();
        assertEquals(0, runs[0], "not yet: the buffer references it");
        buf.close();
        assertEquals(1, runs[0]);
        assertTrue(io.panamax.internal.buffer.ChainIo.isOpen(fd), "no CLOSE_ON_FREE: still open");
        Libc.close(cs, fd);
    }

    @Test
    void addFileWithLengthMinusOneTakesTheRestOfTheFile() throws IOException
    {
        final byte[] data = new byte[50_000];
        new Random(6).nextBytes(data);
        try (EvBuffer mem = new EvBuffer(); EvBuffer out = new EvBuffer())
        {
            assertEquals(0, mem.addFile(open(data), 1234, -1));
            assertEquals(data.length - 1234, mem.length());
            final byte[] got = new byte[(int)mem.length()];
            mem.copyout(got);
            assertArrayEquals(Arrays.copyOfRange(data, 1234, data.length), got);
            mem.validate();
            out.setFlags(EvBuffer.FLAG_DRAINS_TO_FD);
            assertEquals(0, out.addFile(open(data), 40_000, -1));
            assertEquals(10_000, out.length());
            assertArrayEquals(Arrays.copyOfRange(data, 40_000, data.length), pump(out, 10_000), "sent with sendfile");
            assertEquals(0, out.addFile(open(data), data.length, -1), "nothing left: nothing added");
            assertEquals(-1, out.addFile(open(data), data.length + 1, -1), "offset past the end");
            assertEquals(0, out.length());
        }
    }

    @Test
    void addFileWithLengthMinusOneOnASocketFailsWithEspipeAndClosesIt() throws IOException
    {
        try (EvBuffer buf = new EvBuffer())
        {
            final int socket = a;
            a = -1;
            assertEquals(-1, buf.addFile(socket, 0, -1));
            assertEquals(Errno.ESPIPE, buf.lastErrno());
            assertFalse(io.panamax.internal.buffer.ChainIo.isOpen(socket), "ownership: closed on failure too");
            final int fd = open(new byte[4]);
            assertThrows(IllegalArgumentException.class, () -> buf.addFile(fd, 0, -2));
            assertFalse(io.panamax.internal.buffer.ChainIo.isOpen(fd));
            assertEquals(0, buf.length());
        }
    }

    @Test
    void addFileReadsAtTheFileOffsetWhateverTheDescriptorPosition() throws IOException
    {
        final byte[] data = Bufs.bytes("0123456789abcdef");
        final int fd = open(data);
        assertEquals(8, io.panamax.ffm.FileIo.lseek(cs, fd, 8, io.panamax.ffm.FileIo.SEEK_SET));
        try (EvBuffer buf = new EvBuffer())
        {
            assertEquals(0, buf.addFile(fd, 2, 5));
            assertEquals("23456", text(buf));
        }
    }

    @Test
    void fileSegmentWithLengthMinusOneEndsAtTheEndOfTheFile() throws IOException
    {
        final byte[] data = Bufs.bytes("hello cruel world");
        final int fd = open(data);
        try (EvBufferFileSegment seg = EvBufferFileSegment.create(fd, 6, -1, EvBufferFileSegment.CLOSE_ON_FREE);
            EvBuffer buf = new EvBuffer())
        {
            assertEquals(11, seg.length());
            assertEquals(0, buf.addFileSegment(seg, 0, -1));
            assertEquals("cruel world", text(buf));
            assertThrows(IllegalArgumentException.class, () -> EvBufferFileSegment.create(fd, 18, -1, 0),
                "offset past the end");
        }
        assertThrows(IllegalArgumentException.class, () -> EvBufferFileSegment.create(a, 0, -1, 0),
            "a socket has no size");
    }

    @Test
    void fileSegmentWithSendfileDisabledIsCopiedEvenWhenDrainingToFd() throws IOException
    {
        final byte[] data = Bufs.bytes("abcdefghij");
        try (EvBufferFileSegment seg = EvBufferFileSegment.create(open(data), 0, 10,
            EvBufferFileSegment.CLOSE_ON_FREE | EvBufferFileSegment.DISABLE_SENDFILE); EvBuffer out = new EvBuffer())
        {
            out.setFlags(EvBuffer.FLAG_DRAINS_TO_FD);
            assertEquals(0, out.addFileSegment(seg, 3, 4));
            assertEquals("defg", text(out), "in memory: readable");
            out.validate();
        }
    }

    @Test
    void bigFileSegmentAtAnOffsetAndARangeInsideItArriveIntactBySendfileAndByCopy() throws IOException
    {
        final int len = 512 * 1024;
        final byte[] data = new byte[len];
        new Random(7).nextBytes(data);
        final long segStart = len / 4 + 1;
        final long segLen = len / 2;
        final long from = segLen / 3;
        final long count = segLen / 2;
        try (EvBufferFileSegment seg = EvBufferFileSegment.create(open(data), segStart, segLen,
            EvBufferFileSegment.CLOSE_ON_FREE); EvBuffer out = new EvBuffer(); EvBuffer mem = new EvBuffer())
        {
            out.setFlags(EvBuffer.FLAG_DRAINS_TO_FD);
            assertEquals(0, out.addFileSegment(seg, from, count));
            assertEquals(0, mem.addFileSegment(seg, from, count));
            final byte[] expected = Arrays.copyOfRange(data, (int)(segStart + from), (int)(segStart + from + count));
            assertArrayEquals(expected, pump(out, count), "sendfile");
            final byte[] copied = new byte[(int)count];
            assertEquals(count, mem.remove(copied));
            assertArrayEquals(expected, copied, "pread copy");
        }
    }
}
