package io.panamax;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Random;
import java.util.zip.CRC32;

import io.panamax.ffm.Errno;
import io.panamax.ffm.Libc;
import io.panamax.ffm.SocketOptions;
import io.panamax.ffm.SyscallFaults;
import io.panamax.internal.buffer.ChunkPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.panamax.Bufs.add;
import static io.panamax.Bufs.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** readv/writev against real non-blocking AF_UNIX socketpairs. */
@ExtendWith(PoolWholeExtension.class)
@EnabledOnOs({ OS.LINUX, OS.MAC })
class EvBufferIoTest extends SocketPairTestBase
{
    @Test
    void readReturnsBytesThenEagainThenZeroAtEof()
    {
        try (EvBuffer out = new EvBuffer(); EvBuffer in = new EvBuffer())
        {
            add(out, "hello, socket");
            assertEquals(13, out.write(a));
            assertEquals(0, out.length());
            assertEquals(13, in.read(b, -1));
            assertEquals("hello, socket", text(in));
            assertEquals(-1, in.read(b, -1));
            assertEquals(Errno.EAGAIN, in.lastErrno(), "EAGAIN is a value, not an exception");
            Libc.close(cs, a);
            a = -1;
            assertEquals(0, in.read(b, -1));
            assertEquals(13, in.length());
        }
    }

    @Test
    void readHonoursHowmuchAndMaxRead()
    {
        try (EvBuffer out = new EvBuffer(); EvBuffer in = new EvBuffer())
        {
            out.add(new byte[20_000]);
            assertEquals(20_000, out.write(a));
            assertEquals(100, in.read(b, 100));
            assertEquals(EvBuffer.MAX_READ_DEFAULT, in.read(b, -1));
            assertEquals(0, in.setMaxRead(10_000));
            assertEquals(10_000, in.read(b, 1_000_000));
            in.validate();
            assertEquals(20_000 - 10_000 - 4096 - 100, in.read(b, -1));
            assertEquals(20_000, in.length());
        }
    }

    @Test
    void withoutFionreadReadsAreSizedByHowmuchAndMaxRead()
    {
        try (EvBuffer out = new EvBuffer(); EvBuffer in = new EvBuffer())
        {
            in.setFlags(EvBuffer.FLAG_NO_FIONREAD);
            out.add(new byte[20_000]);
            assertEquals(20_000, out.write(a));
            assertEquals(100, in.read(b, 100));
            assertEquals(EvBuffer.MAX_READ_DEFAULT, in.read(b, -1));
            assertEquals(0, in.setMaxRead(1 << 20));
            assertEquals(20_000 - 100 - 4096, in.read(b, -1));
            assertEquals(-1, in.read(b, -1));
            assertEquals(Errno.EAGAIN, in.lastErrno());
            in.validate();
            Libc.close(cs, a);
            a = -1;
            assertEquals(0, in.read(b, -1), "EOF");
        }
    }

    @Test
    void shortReadKeepsOnlyLibeventsReservation()
    {
        try (EvBuffer out = new EvBuffer(); EvBuffer in = new EvBuffer())
        {
            assertEquals(0, in.setMaxRead(16_384));
            out.add(new byte[100]);
            out.write(a);
            assertEquals(100, in.read(b, -1));
            in.validate();
            assertEquals(in.chains().first, in.chains().last, "one chain");
            assertEquals(ChunkPool.MIN_CHUNK, in.chains().first.bufferLen,
                "100 bytes sit in the chunk FIONREAD sizing would have reserved, not in a 16 KiB one");
            assertEquals(100, in.chains().first.off);
        }
    }

    @Test
    void shortReadIntoExistingTailFreesTheUnusedFreshChunk()
    {
        try (EvBuffer out = new EvBuffer(); EvBuffer in = new EvBuffer())
        {
            assertEquals(0, in.setMaxRead(16_384));
            add(in, "abc");
            out.add(new byte[500]);
            out.write(a);
            assertEquals(500, in.read(b, -1));
            in.validate();
            assertEquals(in.chains().first, in.chains().last, "the fresh chunk nothing reached is gone");
            assertEquals(503, in.chains().first.off);
        }
    }

    @Test
    void readThatFillsTheCapKeepsItsChunk()
    {
        try (EvBuffer out = new EvBuffer(); EvBuffer in = new EvBuffer())
        {
            assertEquals(0, in.setMaxRead(16_384));
            out.add(new byte[20_000]);
            assertEquals(20_000, out.write(a));
            assertEquals(16_384, in.read(b, -1));
            in.validate();
            assertEquals(16_384, in.chains().first.bufferLen);
            assertEquals(3_616, in.read(b, -1));
            in.validate();
            assertEquals(20_000, in.length());
        }
    }

    @Test
    void eagainLeavesNoEmptyChunkBehind()
    {
        try (EvBuffer in = new EvBuffer())
        {
            assertEquals(-1, in.read(b, -1));
            assertEquals(Errno.EAGAIN, in.lastErrno());
            in.validate();
            assertEquals(null, in.chains().first);
            add(in, "x");
            assertEquals(-1, in.read(b, -1));
            in.validate();
            assertEquals(in.chains().first, in.chains().last);
        }
    }

    @Test
    void capBeyondThePoolBudgetFallsBackToFionreadSizing()
    {
        try (BufferPool pool = BufferPool.create(64 * 1024); EvBuffer out = new EvBuffer();
            EvBuffer in = new EvBuffer(pool))
        {
            assertEquals(0, in.setMaxRead(1 << 20));
            out.add(new byte[100]);
            out.write(a);
            assertEquals(100, in.read(b, -1), "1 MiB cannot be reserved, what is waiting can");
            in.validate();
            assertEquals(100, in.length());
            in.drain(100);
        }
    }

    @Test
    void readFillsTheTailsOfExistingChainsFirst()
    {
        try (EvBuffer out = new EvBuffer(); EvBuffer in = new EvBuffer())
        {
            add(in, "abc");
            final long firstCapacity = in.chains().first.bufferLen;
            out.add(new byte[3000]);
            out.write(a);
            assertEquals(3000, in.read(b, -1));
            in.validate();
            assertEquals(firstCapacity, in.chains().first.bufferLen);
            assertEquals(firstCapacity, in.chains().first.off, "the first chain's tail was filled");
        }
    }

    @Test
    void oneFreeTailIsReadWithReadAndSeveralWithReadv()
    {
        try (EvBuffer out = new EvBuffer(); EvBuffer in = new EvBuffer())
        {
            out.add(new byte[3000]);
            out.write(a);
            try
            {
                SyscallFaults.failNext(SyscallFaults.Call.READ, Errno.EINTR, 1);
                assertEquals(-1, in.read(b, 100), "an empty buffer reads into one fresh tail");
                assertEquals(Errno.EINTR, in.lastErrno());
                assertEquals(0, SyscallFaults.pending(SyscallFaults.Call.READ), "read(2), not readv");
                assertEquals(100, in.read(b, 100));
                final long tail = in.chains().last.spaceLen();
                assertTrue(tail > 0 && tail < 2900, "the chunk has room left, less than what waits");
                SyscallFaults.failNext(SyscallFaults.Call.READV, Errno.EINTR, 1);
                assertEquals(-1, in.read(b, 2900), "that room and a fresh chunk: two tails");
                assertEquals(0, SyscallFaults.pending(SyscallFaults.Call.READV), "readv");
                assertEquals(2900, in.read(b, 2900));
                in.validate();
                assertEquals(3000, in.length());
            }
            finally
            {
                SyscallFaults.clearAll();
            }
        }
    }

    @Test
    void oneChainIsSentWithSendAndSeveralWithSendmsg()
    {
        try (EvBuffer out = new EvBuffer(); EvBuffer more = new EvBuffer(); EvBuffer in = new EvBuffer())
        {
            out.writesToSocket(true);
            add(out, "one chunk");
            try
            {
                SyscallFaults.failNext(SyscallFaults.Call.SEND, Errno.EAGAIN, 1);
                assertEquals(-1, out.write(a));
                assertEquals(Errno.EAGAIN, out.lastErrno());
                assertEquals(0, SyscallFaults.pending(SyscallFaults.Call.SEND), "send(2), not sendmsg");
                assertEquals(9, out.length(), "nothing drained");
                SyscallFaults.shortenNext(SyscallFaults.Call.SEND, 4, 1);
                assertEquals(4, out.write(a), "a short send drains what went");
                add(more, " and another");
                out.addBuffer(more);
                assertEquals(2, Bufs.chains(out));
                SyscallFaults.failNext(SyscallFaults.Call.SENDMSG, Errno.EAGAIN, 1);
                assertEquals(-1, out.write(a));
                assertEquals(0, SyscallFaults.pending(SyscallFaults.Call.SENDMSG), "two chains: sendmsg");
                assertEquals(17, out.write(a));
                assertEquals(21, in.read(b, -1));
                assertEquals("one chunk and another", text(in));
            }
            finally
            {
                SyscallFaults.clearAll();
            }
        }
    }

    @Test
    void readWithThePoolBudgetSpentFailsWithEnomemAndLeavesTheSocketData()
    {
        try (BufferPool pool = BufferPool.create(4096); EvBuffer in = new EvBuffer(pool); EvBuffer out = new EvBuffer())
        {
            add(out, "x".repeat(10_000));
            assertEquals(10_000, out.write(a));
            assertEquals(4096, in.read(b, -1));
            assertEquals(-1, in.read(b, -1));
            assertEquals(Errno.ENOMEM, in.lastErrno(), "a bufferevent suspends reading on this");
            assertEquals(4096, in.length());
            in.drain(4096);
            assertEquals(4096, in.read(b, -1), "memory came back: reading resumes");
            in.drain(in.length());
        }
    }

    @Test
    void frozenEndRefusesRead()
    {
        try (EvBuffer in = new EvBuffer())
        {
            in.freeze(false);
            assertEquals(-1, in.read(b, -1));
            in.unfreeze(false);
            assertEquals(-1, in.read(b, -1));
            assertEquals(Errno.EAGAIN, in.lastErrno());
        }
    }

    @Test
    void writeGathersAtMost128ChainsPerCall()
    {
        try (EvBuffer out = new EvBuffer(); EvBuffer chain = new EvBuffer(); EvBuffer in = new EvBuffer())
        {
            for (int i = 0; i < 200; i++)
            {
                add(chain, "0123456789");
                out.addBuffer(chain);
            }
            assertEquals(200, Bufs.chains(out));
            assertEquals(1280, out.write(a));
            assertEquals(720, out.length());
            assertEquals(100, out.writeAtmost(a, 100));
            assertEquals(620, out.write(a));
            in.setMaxRead(4096);
            assertEquals(2000, in.read(b, -1));
            assertEquals("0123456789".repeat(200), text(in));
        }
    }

    @Test
    void partialWritesIntoAFullSocketKeepEveryByte()
    {
        try (EvBuffer out = new EvBuffer(); EvBuffer in = new EvBuffer())
        {
            final byte[] data = new byte[4 << 20];
            new Random(42).nextBytes(data);
            assertEquals(0, out.add(data));
            long written = 0;
            long rc;
            while ((rc = out.write(a)) > 0)
            {
                written += rc;
            }
            assertEquals(-1, rc);
            assertEquals(Errno.EAGAIN, out.lastErrno());
            assertTrue(written > 0 && written < data.length, "partial: " + written);
            assertEquals(data.length - written, out.length());
            in.setMaxRead(1 << 20);
            while (in.length() < data.length)
            {
                final long r = in.read(b, -1);
                if (r < 0)
                {
                    assertEquals(Errno.EAGAIN, in.lastErrno());
                    final long w = out.write(a);
                    assertTrue(w > 0 || Errno.EAGAIN == out.lastErrno());
                }
            }
            in.validate();
            final byte[] got = new byte[data.length];
            assertEquals(data.length, in.remove(got));
            assertTrue(java.util.Arrays.equals(data, got));
        }
    }

    @Test
    void tinySocketBuffersForceManyPartialWritesAndKeepOrder()
    {
        final MemorySegment scratch = arena.allocate(SocketOptions.SCRATCH_LENGTH);
        assertEquals(0, SocketOptions.setsockoptInt(cs, a, SocketOptions.SOL_SOCKET, SocketOptions.SO_SNDBUF, 4096,
            scratch));
        assertEquals(0, SocketOptions.setsockoptInt(cs, b, SocketOptions.SOL_SOCKET, SocketOptions.SO_RCVBUF, 4096,
            scratch));
        try (EvBuffer out = new EvBuffer(); EvBuffer in = new EvBuffer(); EvBuffer piece = new EvBuffer())
        {
            final StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 3000; i++)
            {
                final String s = "message " + i + ";";
                expected.append(s);
                add(piece, s);
                if (0 == i % 7)
                {
                    out.addBuffer(piece);
                }
            }
            out.addBuffer(piece);
            int partial = 0;
            int calls = 0;
            while (out.length() > 0 && calls < 100_000)
            {
                calls++;
                final long before = out.length();
                final long w = out.write(a);
                if (w < 0)
                {
                    assertEquals(Errno.EAGAIN, out.lastErrno());
                }
                else if (w < before)
                {
                    partial++;
                }
                out.validate();
                if (in.read(b, -1) < 0)
                {
                    assertEquals(Errno.EAGAIN, in.lastErrno());
                }
            }
            while (in.read(b, -1) > 0)
            {
                in.validate();
            }
            assertTrue(partial > 3, "partial writes seen: " + partial);
            assertEquals(expected.toString(), text(in));
        }
    }

    @Test
    void sixtyFourMebibytesThroughASocketpairArriveIntact()
    {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        {
            try (EvBuffer out = new EvBuffer(); EvBuffer in = new EvBuffer())
            {
                final long total = 64L << 20;
                final byte[] block = new byte[1 << 20];
                final byte[] sink = new byte[64 * 1024];
                final Random random = new Random(7);
                final CRC32 sent = new CRC32();
                final CRC32 received = new CRC32();
                in.setMaxRead(256 * 1024);
                long produced = 0;
                long consumed = 0;
                while (consumed < total)
                {
                    if (produced < total && out.length() < (2 << 20))
                    {
                        random.nextBytes(block);
                        sent.update(block);
                        assertEquals(0, out.add(block));
                        produced += block.length;
                    }
                    if (out.length() > 0 && out.write(a) < 0)
                    {
                        assertEquals(Errno.EAGAIN, out.lastErrno());
                    }
                    if (in.read(b, -1) < 0)
                    {
                        assertEquals(Errno.EAGAIN, in.lastErrno());
                    }
                    int n;
                    while ((n = in.remove(sink)) > 0)
                    {
                        received.update(sink, 0, n);
                        consumed += n;
                    }
                }
                assertEquals(total, consumed);
                assertEquals(sent.getValue(), received.getValue());
            }
        });
    }

    @Test
    void writingReferencedMemoryThatWasFreedFailsWithEfault()
    {
        for (final boolean socket : new boolean[] {false, true})
        {
            final Arena userArena = Arena.ofConfined();
            final MemorySegment mem = userArena.allocate(64);
            try (EvBuffer out = new EvBuffer())
            {
                out.writesToSocket(socket);
                assertEquals(0, out.addReference(mem, EvBufferRefCleanup.NONE));
                userArena.close();
                assertEquals(-1, out.write(a), "socket " + socket);
                assertEquals(Errno.EFAULT, out.lastErrno(), "socket " + socket);
                assertEquals(64, out.length(), "nothing drained");
            }
        }
    }

    @Test
    void writeAtmostToASocketSendsOnlyHowmuchFromTheFirstChunk()
    {
        try (EvBuffer out = new EvBuffer(); EvBuffer in = new EvBuffer())
        {
            out.writesToSocket(true);
            add(out, "0123456789");
            assertEquals(1, Bufs.chains(out));
            assertEquals(4, out.writeAtmost(a, 4));
            assertEquals(6, out.length());
            assertEquals(4, in.read(b, -1));
            assertEquals("0123", text(in));
            assertEquals(6, out.writeAtmost(a, -1));
            assertEquals(6, in.read(b, -1));
            assertEquals("0123456789", text(in));
            assertEquals(0, out.length());
        }
    }
}
