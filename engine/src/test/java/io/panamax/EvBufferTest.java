package io.panamax;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.panamax.Bufs.add;
import static io.panamax.Bufs.bytes;
import static io.panamax.Bufs.remove;
import static io.panamax.Bufs.repeat;
import static io.panamax.Bufs.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** libevent's {@code evbuffer/*} contracts (regress_buffer.c) that are not about references, lines or search. */
@ExtendWith(PoolWholeExtension.class)
class EvBufferTest
{
    @Test
    void basicAddDrainMovePullupPrependReserve()
    {
        try (EvBuffer a = new EvBuffer(); EvBuffer b = new EvBuffer())
        {
            assertEquals(7, a.addPrintf("%s/%d", "hello", 1));
            assertEquals(7, a.length());
            assertEquals("hello/1", text(a));
            assertEquals(0, a.addBuffer(b));
            assertEquals("hello/1", text(a));
            assertEquals(0, a.drain(6));
            assertEquals("1", text(a));
            add(b, "/hello");
            assertEquals(0, a.addBuffer(b));
            assertEquals(0, b.length());
            assertEquals("1/hello", text(a));
            assertEquals(0, a.add(new byte[512]));
            final MemorySegment up = a.pullup(519);
            assertNotNull(up);
            assertEquals(519, up.byteSize());
            assertEquals('1', up.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
            assertEquals(0, up.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 518));
            a.validate();
            assertEquals(0, a.prepend(bytes("something")));
            assertEquals(0, a.prepend(bytes("else")));
            assertTrue(text(a).startsWith("elsesomething1/hello"));
            assertEquals(0, a.drain(Long.MAX_VALUE));
            assertEquals(0, a.length());
            for (int i = 0; i < 3; i++)
            {
                assertEquals(0, b.add(new byte[512]));
                assertEquals(0, a.addBuffer(b));
                a.validate();
                b.validate();
            }
            assertEquals(0, b.length());
            assertEquals(1536, a.length());
            assertEquals(1280, a.removeBuffer(b, 1280));
            assertEquals(1280, b.length());
            assertEquals(256, a.length());
            a.drain(a.length());
            final EvBufferIovec v = new EvBufferIovec(1);
            for (int i = 0; i < 3; i++)
            {
                assertEquals(1, a.reserveSpace(10000, v, 1));
                assertTrue(v.length(0) >= 10000);
                v.length(0, 10000);
                assertEquals(0, a.commitSpace(v, 1));
                a.validate();
            }
            assertEquals(30000, a.length());
            assertEquals(0, a.drain(50_000_000));
            assertEquals(0, a.length());
            a.validate();
        }
    }

    @Test
    void removeBufferKeepsOrderAcrossEmptyReservedChain()
    {
        try (EvBuffer buf1 = new EvBuffer(); EvBuffer buf2 = new EvBuffer())
        {
            add(buf1, "aaaaaa");
            final EvBufferIovec v = new EvBufferIovec(2);
            assertEquals(2, buf1.reserveSpace(buf1.chains().first.spaceLen() + 1, v, 2));
            v.segment(0).set(java.lang.foreign.ValueLayout.JAVA_BYTE, v.offset(0), (byte)'b');
            v.length(0, 1);
            assertEquals(0, buf1.commitSpace(v, 1));
            assertEquals("aaaaaab", text(buf1));
            add(buf2, "cc");
            assertEquals(0, buf2.prepend(bytes("ddd")));
            assertEquals("dddcc", text(buf2));
            assertEquals(0, buf2.prependBuffer(buf1));
            assertEquals("aaaaaabdddcc", text(buf2));
            assertEquals(0, buf1.length());
            assertEquals(0, buf1.addBuffer(buf2));
            assertEquals(11, buf1.removeBuffer(buf2, 11));
            assertEquals("aaaaaabdddc", text(buf2));
            assertEquals("c", text(buf1));
        }
    }

    @Test
    void reserveTwoExtentsThenPeekShowsCommittedBytes()
    {
        try (EvBuffer buf = new EvBuffer())
        {
            final EvBufferIovec v = new EvBufferIovec(2);
            assertEquals(1, buf.reserveSpace(1024, v, 2));
            assertTrue(v.length(0) >= 1024);
            assertEquals(0, buf.length());
            buf.validate();
            fill(v, 0, 512, 'X');
            v.length(0, 512);
            assertEquals(0, buf.commitSpace(v, 1));
            assertEquals(512, buf.length());
            final MemorySegment seg0 = v.segment(0);
            final long off0 = v.offset(0);
            assertEquals(1, buf.reserveSpace(32, v, 2));
            assertSame(seg0, v.segment(0));
            assertEquals(off0 + 512, v.offset(0));
            final long remaining = v.length(0);
            assertEquals(1024 - 512, remaining);
            fill(v, 0, 8, 'Y');
            v.length(0, 8);
            assertEquals(0, buf.commitSpace(v, 1));
            assertEquals(520, buf.length());
            assertEquals(2, buf.reserveSpace(remaining + 64 - 8 + 8, v, 2));
            assertEquals(off0 + 520, v.offset(0));
            assertEquals(1024 - 520, v.length(0));
            assertTrue(v.length(1) >= 64);
            final MemorySegment second = v.segment(1);
            fill(v, 0, 1, 'Z');
            v.length(0, 1);
            assertEquals(0, buf.commitSpace(v, 1));
            assertEquals(521, buf.length());
            assertEquals(2, buf.reserveSpace(1024 - 521 + 64, v, 2));
            assertSame(second, v.segment(1), "reserving again returns the same second extent");
            fill(v, 0, 400, 'W');
            v.length(0, 400);
            fill(v, 1, 60, 'x');
            v.length(1, 60);
            assertEquals(0, buf.commitSpace(v, 2));
            assertEquals(981, buf.length());
            final EvBufferIovec p = new EvBufferIovec(4);
            assertEquals(2, buf.peek(-1, null, p));
            assertEquals(921, p.length(0));
            assertEquals(60, p.length(1));
            assertEquals(repeat('X', 512) + repeat('Y', 8) + "Z" + repeat('W', 400) + repeat('x', 60), text(buf));
        }
    }

    private static void fill(final EvBufferIovec v, final int i, final int n, final char c)
    {
        v.segment(i).asSlice(v.offset(i), n).fill((byte)c);
    }

    @Test
    void reserveManyKeepsExistingExtentsAndReallocatesWhenTooFewVectors()
    {
        for (final String mode : new String[]{ "", "add", "fill" })
        {
            try (EvBuffer buf = new EvBuffer())
            {
                final EvBufferIovec v = new EvBufferIovec(8);
                assertEquals(1, buf.reserveSpace(128, v, 2));
                long sz = v.length(0);
                long cp1 = v.address(0);
                if ("add".equals(mode))
                {
                    fill(v, 0, 1, 'X');
                    v.length(0, 1);
                    assertEquals(0, buf.commitSpace(v, 1));
                }
                else if ("fill".equals(mode))
                {
                    fill(v, 0, (int)v.length(0), 'X');
                    assertEquals(0, buf.commitSpace(v, 1));
                    assertEquals(1, buf.reserveSpace(128, v, 2));
                    sz = v.length(0);
                    assertNotEquals(cp1, v.address(0));
                    cp1 = v.address(0);
                }
                assertEquals(2, buf.reserveSpace(sz + 128, v, 2), mode);
                buf.validate();
                sz = v.length(0) + v.length(1);
                assertEquals("add".equals(mode) ? cp1 + 1 : cp1, v.address(0), mode);
                cp1 = v.address(0);
                final long cp2 = v.address(1);
                assertEquals(3, buf.reserveSpace(sz + 128, v, 3), mode);
                buf.validate();
                assertEquals(cp1, v.address(0));
                assertEquals(cp2, v.address(1));
                sz = v.length(0) + v.length(1) + v.length(2);
                final int n = buf.reserveSpace(sz + 128, v, 2);
                buf.validate();
                if ("add".equals(mode))
                {
                    assertEquals(2, n);
                    assertEquals(cp1, v.address(0));
                }
                else
                {
                    assertEquals(1, n, mode);
                }
            }
        }
    }

    @Test
    void reserveWithEmptyChainKeepsCommittedBytesBeforeLaterAdds()
    {
        try (EvBuffer buf = new EvBuffer())
        {
            add(buf, "a");
            final EvBufferIovec v = new EvBufferIovec(2);
            assertEquals(2, buf.reserveSpace(4096, v, 2));
            fill(v, 0, 1, 'b');
            v.length(0, 1);
            assertEquals(0, buf.commitSpace(v, 1));
            add(buf, "c");
            assertEquals("abc", text(buf));
        }
    }

    @Test
    void zeroLengthCommitsAfterEmptyReferenceAndPrependAreLegal()
    {
        try (Arena arena = Arena.ofConfined(); EvBuffer buf = new EvBuffer())
        {
            assertEquals(0, buf.addReference(arena.allocate(1).asSlice(0, 0), EvBufferRefCleanup.NONE));
            assertEquals(0, buf.prepend(bytes("foo")));
            assertEquals(0, buf.add(new byte[0]));
            final EvBufferIovec v = new EvBufferIovec(2);
            final int n = buf.reserveSpace(4096, v, 2);
            assertTrue(n >= 1);
            for (int i = 0; i < n; i++)
            {
                v.length(i, 0);
            }
            assertEquals(0, buf.commitSpace(v, n));
            buf.validate();
            assertTrue(buf.reserveSpace(8192, v, 2) >= 1);
            buf.validate();
            assertEquals("foo", text(buf));
        }
    }

    @Test
    void commitWithForeignExtentFails()
    {
        try (EvBuffer a = new EvBuffer(); EvBuffer b = new EvBuffer())
        {
            final EvBufferIovec v = new EvBufferIovec(1);
            assertEquals(1, a.reserveSpace(100, v, 1));
            assertEquals(-1, b.commitSpace(v, 1));
            v.length(0, v.length(0) + 1);
            assertEquals(-1, a.commitSpace(v, 1), "longer than reserved");
            assertEquals(0, a.length());
            a.validate();
            b.validate();
        }
    }

    @Test
    void expandGivesOneChainAndRealignsInPlace()
    {
        try (EvBuffer buf = new EvBuffer())
        {
            assertEquals(0, buf.expand(20000));
            buf.validate();
            assertEquals(1, Bufs.chains(buf));
            assertTrue(buf.chains().first.bufferLen >= 20000);
            assertEquals(0, buf.chains().first.off);
            final MemorySegment mem = buf.chains().first.memory;
            assertEquals(0, buf.expand(1024));
            assertSame(mem, buf.chains().first.memory, "enough space: no-op");
            add(buf, "xy");
            buf.drain(1);
            assertEquals(1, buf.chains().first.misalign);
            assertEquals(0, buf.expand(buf.chains().first.bufferLen - 2 + 1));
            assertSame(mem, buf.chains().first.memory, "realigned in place");
            assertEquals(0, buf.chains().first.misalign);
            assertEquals("y", text(buf));
        }
        try (EvBuffer buf = new EvBuffer())
        {
            for (int i = 0; i < 3; i++)
            {
                assertEquals(0, buf.add(new byte[4096]));
            }
            assertEquals(0, buf.expand(1024));
            assertNotNull(buf.pullup(-1));
            buf.validate();
            assertEquals(3 * 4096, buf.length());
        }
    }

    @Test
    void expandBeyondTheLargestChunkFailsCleanly()
    {
        try (EvBuffer buf = new EvBuffer())
        {
            add(buf, "keep");
            assertEquals(-1, buf.expand(Long.MAX_VALUE));
            assertEquals(-1, buf.expand((1L << 26) + 1));
            assertEquals("keep", text(buf));
            assertThrows(IllegalArgumentException.class, () -> buf.expand(-1));
        }
    }

    @Test
    void addAfterExpandKeepsOrder()
    {
        try (EvBuffer buf = new EvBuffer())
        {
            add(buf, "1");
            assertEquals(0, buf.expand(2048));
            add(buf, "2");
            assertEquals(1, buf.addPrintf("3"));
            assertEquals("123", text(buf));
        }
        try (EvBuffer buf = new EvBuffer())
        {
            final String p = repeat('P', 1024 - 10);
            add(buf, p);
            assertEquals(0, buf.expand(100));
            add(buf, "2");
            assertEquals(1, buf.addPrintf("3"));
            assertEquals(p.length() + 2, buf.length());
            assertTrue(text(buf).endsWith("P23"));
        }
    }

    @Test
    void iterativePrintfWastesLessThanAnEighth()
    {
        final String abc = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        try (EvBuffer buf = new EvBuffer())
        {
            long sum = 0;
            for (int i = 0; i < 1000; i++)
            {
                for (int j = 1; j < abc.length(); j++)
                {
                    assertEquals(j, buf.addPrintf("%s", abc.substring(0, j)));
                    sum += j;
                }
            }
            buf.validate();
            assertEquals(sum, buf.length());
            long allocated = 0;
            long wasted = 0;
            boolean sawData = false;
            for (io.panamax.internal.buffer.Chain c = buf.chains().first; null != c; c = c.next)
            {
                allocated += c.bufferLen;
                if (c.next != null && c.off > 0)
                {
                    wasted += c.bufferLen - c.misalign - c.off;
                }
                if (sawData)
                {
                    wasted += c.misalign;
                }
                sawData |= c.off > 0;
            }
            assertTrue(wasted * 8 < allocated, "wasted " + wasted + " of " + allocated);
        }
    }

    @Test
    void prependUsesMisalignThenNewChunksAndFiresOneCallback()
    {
        try (EvBuffer a = new EvBuffer(); EvBuffer b = new EvBuffer())
        {
            assertEquals(0, a.prepend(bytes("This string has 29 characters")));
            a.validate();
            assertEquals(0, a.prepend(bytes("Short.")));
            assertEquals("Short.This string has 29 characters", text(a));
            a.drain(6 + 11);
            assertEquals(0, a.prepend(bytes("it")));
            assertEquals("it has 29 characters", text(a));
            assertEquals(0, a.prepend(bytes("It is no longer true to say ")));
            assertEquals("It is no longer true to say it has 29 characters", remove(a, 128));
            a.addPrintf("Here is string %d. ", 999);
            assertEquals(0, b.prependBuffer(a));
            b.validate();
            a.addPrintf("Here is string %d. ", 1000);
            assertEquals(0, b.prependBuffer(a));
            assertEquals(0, a.length());
            assertEquals("Here is string 1000. Here is string 999. ", text(b));
        }
        try (EvBuffer buf = new EvBuffer())
        {
            add(buf, "foo");
            final List<String> calls = new ArrayList<>();
            buf.addCb((b, info) -> calls.add(info.origSize() + "/" + info.nAdded() + "/" + info.nDeleted()));
            assertEquals(0, buf.prepend(bytes(repeat('A', 8096))));
            assertEquals(List.of("3/8096/0"), calls);
            assertEquals(repeat('A', 8096) + "foo", text(buf));
        }
    }

    @Test
    void freezeEndFailsExactlyTheBackOperations() throws Exception
    {
        try (Arena arena = Arena.ofConfined(); EvBuffer buf = new EvBuffer(); EvBuffer other = new EvBuffer())
        {
            add(buf, "abc");
            add(other, "xyz");
            assertEquals(0, buf.freeze(false));
            final EvBufferIovec v = new EvBufferIovec(2);
            assertEquals(-1, buf.add(new byte[0]));
            assertEquals(-1, buf.add(bytes("x")));
            assertEquals(-1, buf.reserveSpace(10, v, 1));
            assertEquals(-1, buf.commitSpace(v, 1));
            assertEquals(-1, buf.addReference(arena.allocate(4), EvBufferRefCleanup.NONE));
            assertEquals(-1, buf.addPrintf("Hello %s", "world"));
            assertEquals(-1, buf.addBuffer(other));
            assertEquals(-1, other.removeBuffer(buf, 1));
            assertEquals(-1, buf.addBufferReference(other));
            assertEquals(3, buf.length());
            assertEquals(3, other.length());
            // the front still works
            assertEquals(0, buf.prepend(bytes("0")));
            assertEquals("0a", remove(buf, 2));
            assertEquals(0, buf.drain(1));
            assertEquals("c", text(buf));
            assertEquals(0, buf.unfreeze(false));
            assertEquals(11, buf.addPrintf("Hello %s", "world"));
        }
    }

    @Test
    void freezeStartFailsExactlyTheFrontOperations()
    {
        try (EvBuffer buf = new EvBuffer(); EvBuffer other = new EvBuffer())
        {
            add(buf, "line one\nabc");
            add(other, "xyz");
            assertEquals(0, buf.freeze(true));
            assertEquals(-1, buf.remove(new byte[2]));
            assertEquals(-1, buf.drain(1));
            assertEquals(-1, buf.prepend(bytes("x")));
            assertNull(buf.readLine(EolStyle.LF));
            assertEquals(-1, buf.readLine(EolStyle.LF, new byte[64], 0));
            assertEquals(-1, buf.removeBuffer(other, 1));
            assertEquals(-1, buf.prependBuffer(other));
            assertEquals(-1, other.addBuffer(buf));
            assertEquals(-1, buf.write(-1));
            assertEquals(-1, buf.writeAtmost(-1, 3));
            assertEquals(12, buf.length());
            assertEquals(11, buf.addPrintf("Hello %s", "world"));
            assertEquals(0, buf.add(bytes("!")));
            assertEquals(24, buf.length());
            buf.unfreeze(true);
            assertEquals("line one", buf.readLine(EolStyle.LF));
        }
    }

    @Test
    void addIovecAppendsEveryExtentInOrder()
    {
        try (Arena arena = Arena.ofConfined(); EvBuffer buf = new EvBuffer())
        {
            final String[] parts = { "Guilt is the ", "price we pay ", "willingly for ", "doing what we are going to do anyway." };
            final MemorySegment[] vec = new MemorySegment[parts.length];
            long total = 0;
            for (int i = 0; i < parts.length; i++)
            {
                vec[i] = arena.allocateFrom(parts[i]).asSlice(0, parts[i].length());
                total += parts[i].length();
            }
            assertEquals(total, buf.addIovec(vec, vec.length));
            assertEquals(total, buf.length());
            assertEquals(String.join("", parts), text(buf));
        }
    }

    @Test
    void copyoutTruncatesAndCopyoutFromStartsAtThePointer()
    {
        final String text = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incidid" +
            "unt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco labo" +
            "ris nisi ut aliquip ex ea commodo.";
        try (Arena arena = Arena.ofConfined(); EvBuffer buf = new EvBuffer())
        {
            final MemorySegment mem = arena.allocate(text.length());
            MemorySegment.copy(bytes(text), 0, mem, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, text.length());
            assertEquals(0, buf.addReference(mem.asSlice(0, 80), EvBufferRefCleanup.NONE));
            assertEquals(0, buf.addReference(mem.asSlice(80, 80), EvBufferRefCleanup.NONE));
            assertEquals(0, buf.add(mem.asSlice(160)));
            final int len = text.length();
            assertEquals(3, Bufs.chains(buf));
            final byte[] out = new byte[300];
            assertEquals(10, buf.copyout(out, 0, 10));
            assertEquals(text.substring(0, 10), new String(out, 0, 10, java.nio.charset.StandardCharsets.ISO_8859_1));
            assertEquals(100, buf.copyout(out, 0, 100));
            assertEquals(len, buf.copyout(out, 0, 230 + len - 206));
            assertEquals(len, buf.length());
            final EvBufferPtr ptr = new EvBufferPtr();
            assertEquals(0, buf.ptrSet(ptr, 15, EvBuffer.PtrHow.SET));
            for (final int n : new int[]{ 10, 65, 90, 160 })
            {
                assertEquals(n, buf.copyoutFrom(ptr, out, 0, n));
                assertEquals(text.substring(15, 15 + n), new String(out, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            assertEquals(len - 15, buf.copyoutFrom(ptr, out, 0, 299));
            assertEquals(len, buf.length());
            assertEquals(text, text(buf));
        }
    }

    @Test
    void pullupWithEmptyChainAndEmptyBuffer()
    {
        try (Arena arena = Arena.ofConfined(); EvBuffer buf = new EvBuffer())
        {
            assertNull(buf.pullup(-1));
            add(buf, "foo");
            assertEquals(0, buf.addReference(arena.allocate(1).asSlice(0, 0), EvBufferRefCleanup.NONE));
            buf.validate();
            assertEquals("foo", Bufs.bytesToString(buf.pullup(-1)));
            assertEquals("foo", Bufs.bytesToString(buf.pullup(3)));
            assertNull(buf.pullup(4));
            assertNull(buf.pullup(0));
        }
    }

    @Test
    void byteBufferAddAndRemoveMovePositions()
    {
        try (EvBuffer buf = new EvBuffer())
        {
            final ByteBuffer heap = ByteBuffer.wrap(bytes("xxhello"));
            heap.position(2);
            assertEquals(0, buf.add(heap));
            assertEquals(7, heap.position());
            final ByteBuffer direct = ByteBuffer.allocateDirect(6);
            direct.put(bytes(" world")).flip();
            assertEquals(0, buf.add(direct));
            assertEquals(0, direct.remaining());
            final ByteBuffer out = ByteBuffer.allocateDirect(8);
            assertEquals(8, buf.copyout(out));
            assertEquals(11, buf.length());
            final ByteBuffer out2 = ByteBuffer.allocate(20);
            assertEquals(11, buf.remove(out2));
            assertEquals(11, out2.position());
            assertArrayEquals(bytes("hello world"), java.util.Arrays.copyOf(out2.array(), 11));
            assertEquals(0, buf.length());
        }
    }

    @Test
    void closedBufferThrowsAndCloseIsIdempotent()
    {
        final EvBuffer buf = new EvBuffer();
        add(buf, "data");
        buf.close();
        buf.close();
        assertTrue(buf.isClosed());
        assertThrows(IllegalStateException.class, buf::length);
        assertThrows(IllegalStateException.class, () -> buf.add(bytes("x")));
        assertThrows(IllegalStateException.class, () -> buf.remove(new byte[1]));
        assertThrows(IllegalStateException.class, () -> buf.pullup(-1));
        try (EvBuffer other = new EvBuffer())
        {
            add(other, "y");
            assertThrows(IllegalStateException.class, () -> other.addBuffer(buf));
            assertEquals("y", text(other));
        }
    }

    @Test
    void badArgumentsThrowClearExceptions()
    {
        try (EvBuffer buf = new EvBuffer())
        {
            add(buf, "abc");
            assertThrows(IllegalArgumentException.class, () -> buf.drain(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> buf.add(new byte[4], 2, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> buf.remove(new byte[4], -1, 2));
            assertThrows(IllegalArgumentException.class, () -> buf.removeBuffer(buf, -5));
            assertThrows(NullPointerException.class, () -> buf.addReference(MemorySegment.NULL, null));
            assertThrows(IllegalArgumentException.class,
                () -> buf.addReference(MemorySegment.ofArray(new byte[4]), EvBufferRefCleanup.NONE));
            assertThrows(IllegalArgumentException.class, () -> buf.reserveSpace(10, new EvBufferIovec(1), 2));
            assertEquals(-1, buf.reserveSpace(10, new EvBufferIovec(1), 0));
            assertEquals(0, buf.addBuffer(buf), "adding a buffer to itself is a no-op, as in libevent");
            assertEquals(0, buf.removeBuffer(buf, 2));
            assertEquals(0, buf.prependBuffer(buf));
            assertEquals(-1, buf.addBufferReference(buf));
            assertEquals(-1, buf.setMaxRead(0));
            assertEquals(-1, buf.setMaxRead(1L + Integer.MAX_VALUE));
            assertEquals(0, buf.setMaxRead(16384));
            assertEquals(16384, buf.maxRead());
            assertEquals("abc", text(buf));
        }
    }

    @Test
    void flagsAndLockingFollowLibevent()
    {
        try (EvBuffer buf = new EvBuffer())
        {
            assertEquals(0, buf.setFlags(EvBuffer.FLAG_DRAINS_TO_FD));
            assertEquals(EvBuffer.FLAG_DRAINS_TO_FD, buf.flags());
            assertEquals(0, buf.clearFlags(EvBuffer.FLAG_DRAINS_TO_FD));
            assertEquals(0, buf.flags());
            assertEquals(0, buf.enableLocking());
            assertEquals(-1, buf.enableLocking());
            buf.lock();
            add(buf, "locked");
            buf.unlock();
            assertEquals("locked", text(buf));
        }
    }

    @Test
    void twoBuffersCanShareOneLock()
    {
        final java.util.concurrent.locks.ReentrantLock shared = new java.util.concurrent.locks.ReentrantLock();
        try (EvBuffer in = new EvBuffer(); EvBuffer out = new EvBuffer())
        {
            assertEquals(0, in.enableLocking(shared));
            assertEquals(0, out.enableLocking(shared));
            assertEquals(-1, out.enableLocking(shared));
            in.lock();
            assertTrue(shared.isHeldByCurrentThread());
            add(out, "moved");
            assertEquals(0, in.addBuffer(out));
            in.unlock();
            assertEquals(false, shared.isHeldByCurrentThread());
            assertEquals("moved", text(in));
        }
    }

    @Test
    void lockedBufferSerialisesWritersOnTwoThreads() throws Exception
    {
        try (EvBuffer buf = new EvBuffer())
        {
            buf.enableLocking();
            final int perThread = 20_000;
            final Thread t = new Thread(() ->
            {
                for (int i = 0; i < perThread; i++)
                {
                    buf.add(bytes("ab"));
                }
            });
            t.start();
            for (int i = 0; i < perThread; i++)
            {
                buf.add(bytes("ab"));
            }
            t.join(30_000);
            assertEquals(4L * perThread, buf.length());
            buf.validate();
            assertTrue(text(buf).matches("(ab)+"));
        }
    }
}
