package io.panamax;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.panamax.Bufs.add;
import static io.panamax.Bufs.bytes;
import static io.panamax.Bufs.remove;
import static io.panamax.Bufs.text;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** libevent's reference, multicast, empty-chain (#774/#778/#806) and callback contracts. */
@ExtendWith(PoolWholeExtension.class)
class EvBufferReferenceTest
{
    private static MemorySegment native_(final Arena arena, final String s)
    {
        final MemorySegment seg = arena.allocate(Math.max(1, s.length()));
        MemorySegment.copy(bytes(s), 0, seg, JAVA_BYTE, 0, s.length());
        return seg.asSlice(0, s.length());
    }

    private static void addRef(final EvBuffer buf, final Arena arena, final String s)
    {
        assertEquals(0, buf.addReference(native_(arena, s), EvBufferRefCleanup.NONE));
        buf.validate();
    }

    @Test
    void removeBufferWithEmptyReferenceChains()
    {
        try (Arena arena = Arena.ofConfined(); EvBuffer src = new EvBuffer(); EvBuffer dst = new EvBuffer())
        {
            addRef(src, arena, "AA");
            addRef(src, arena, "AA");
            add(dst, "AA");
            addRef(dst, arena, "");
            assertEquals(3, src.removeBuffer(dst, 3));
            assertEquals("A", text(src));
            assertEquals("AAAAA", text(dst));
        }
    }

    private static EvBuffer fooBuffer(final Arena arena, final boolean viaPrepend)
    {
        final EvBuffer buf = new EvBuffer();
        final EvBuffer tmp = new EvBuffer();
        if (viaPrepend)
        {
            add(tmp, "foo");
            addRef(tmp, arena, "");
            assertEquals(0, buf.prependBuffer(tmp));
            addRef(tmp, arena, "foo");
            addRef(tmp, arena, "");
            assertEquals(0, buf.prependBuffer(tmp));
        }
        else
        {
            addRef(buf, arena, "foo");
            addRef(buf, arena, "");
            add(tmp, "foo");
            addRef(tmp, arena, "foo");
            assertEquals(0, buf.addBuffer(tmp));
        }
        tmp.close();
        buf.validate();
        return buf;
    }

    @Test
    void removeBufferWithEmptyChainsInTheMiddle()
    {
        try (Arena arena = Arena.ofConfined(); EvBuffer src = fooBuffer(arena, false); EvBuffer dst = fooBuffer(arena, false))
        {
            assertEquals(9, src.length());
            assertEquals(8, src.removeBuffer(dst, 8));
            assertEquals("o", text(src));
            assertEquals("foofoofoofoofoofo", text(dst));
        }
        try (Arena arena = Arena.ofConfined(); EvBuffer src = fooBuffer(arena, true); EvBuffer dst = fooBuffer(arena, true))
        {
            assertEquals(6, src.length());
            assertEquals(5, src.removeBuffer(dst, 5));
            assertEquals("o", text(src));
            assertEquals("foofoofoofo", text(dst));
        }
    }

    @Test
    void emptyPrependOnReferenceDoesNotPutLaterBytesInFront()
    {
        try (Arena arena = Arena.ofConfined(); EvBuffer buf1 = new EvBuffer(); EvBuffer buf2 = new EvBuffer())
        {
            addRef(buf1, arena, "foo");
            assertEquals(0, buf1.prepend(new byte[0]));
            assertEquals(1, buf1.removeBuffer(buf2, 1));
            add(buf1, "bar");
            assertEquals("oobar", text(buf1));
            assertEquals("f", text(buf2));
        }
    }

    @Test
    void addBufferWithEmptyReferenceChains()
    {
        try (Arena arena = Arena.ofConfined(); EvBuffer src = new EvBuffer(); EvBuffer dst = new EvBuffer();
            EvBuffer tmp = new EvBuffer())
        {
            addRef(src, arena, "foo");
            addRef(src, arena, "");
            add(tmp, "foo");
            assertEquals(0, src.addBuffer(tmp));
            assertEquals(6, src.length());
            addRef(dst, arena, "");
            add(tmp, "foo");
            assertEquals(0, dst.addBuffer(tmp));
            assertEquals(3, dst.length());
            assertEquals(0, dst.addBuffer(src));
            assertEquals("foofoofoo", text(dst));
        }
    }

    @Test
    void emptyReferenceThenPrependAndPrependBuffer()
    {
        try (Arena arena = Arena.ofConfined(); EvBuffer buf1 = new EvBuffer(); EvBuffer buf2 = new EvBuffer())
        {
            addRef(buf1, arena, "");
            assertEquals(0, buf1.prepend(bytes("foo")));
            assertEquals("foo", Bufs.bytesToString(buf1.pullup(-1)));
            buf1.validate();
            buf1.drain(3);
            addRef(buf1, arena, "");
            add(buf2, "foo");
            assertEquals(0, buf2.prependBuffer(buf1));
            assertEquals("foo", text(buf2));
            assertEquals(null, buf1.pullup(-1));
        }
    }

    @Test
    void referenceIsNeverWrittenAndCleanupRunsOnceWithItsLength()
    {
        final String data = "this is what we add as read-only memory.";
        final List<Long> cleanups = new ArrayList<>();
        try (Arena arena = Arena.ofConfined(); EvBuffer src = new EvBuffer(); EvBuffer dst = new EvBuffer())
        {
            final MemorySegment mem = native_(arena, data);
            final byte[] before = mem.toArray(JAVA_BYTE);
            assertEquals(0, src.addReference(mem, (seg, len) ->
            {
                assertEquals(mem.address(), seg.address());
                cleanups.add(len);
            }));
            final EvBufferIovec v = new EvBufferIovec(1);
            assertEquals(1, dst.reserveSpace(data.length(), v, 1));
            assertEquals(10, src.copyout(v.segment(0).asSlice(v.offset(0), 10)));
            src.drain(10);
            assertEquals(0, src.prepend(bytes("aaaaa")));
            assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(mem.toArray(JAVA_BYTE)),
                "prepend must not write into referenced memory");
            assertEquals(0, src.drain(5));
            assertEquals(30, src.copyout(v.segment(0).asSlice(v.offset(0) + 10, 30)));
            assertEquals(0, cleanups.size());
            src.drain(30);
            assertEquals(List.of((long)data.length()), cleanups);
            v.length(0, 40);
            assertEquals(0, dst.commitSpace(v, 1));
            assertEquals(data, text(dst));
        }
        assertEquals(1, cleanups.size());
    }

    @Test
    void addReferenceCleanupsRunWhenLastByteGoesNotWhenChainsMove()
    {
        final String chunk1 = "If you have found the answer to such a problem";
        final String chunk2 = "you ought to write it up for publication";
        final List<String> cleanups = new ArrayList<>();
        try (Arena arena = Arena.ofConfined(); EvBuffer buf1 = new EvBuffer(); EvBuffer buf2 = new EvBuffer())
        {
            final MemorySegment m1 = native_(arena, chunk1);
            final MemorySegment m2 = native_(arena, chunk2);
            buf1.addReference(m1, (s, len) -> cleanups.add("111:" + len));
            add(buf1, ", ");
            buf1.addReference(m2, (s, len) -> cleanups.add("222:" + len));
            assertEquals(chunk1.length() + chunk2.length() + 2, buf1.length());
            assertEquals("If you", remove(buf1, 6));
            assertEquals(" have", remove(buf1, 5));
            assertEquals(0, buf1.prepend(bytes("I have ")));
            assertEquals(chunk1, Bufs.bytesToString(m1), "prepend did not write into chunk1");
            buf1.drain(7);
            buf1.drain(chunk1.length() - 11 - 1);
            assertEquals(0, cleanups.size());
            assertEquals("m", remove(buf1, 1));
            assertEquals(List.of("111:" + chunk1.length()), cleanups);
            buf1.drain(2);
            assertEquals(0, buf2.addBuffer(buf1));
            assertEquals(1, cleanups.size(), "moving chains runs no cleanup");
            assertEquals("you ought to", remove(buf2, 12));
            buf2.drain(buf2.length());
            assertEquals(List.of("111:" + chunk1.length(), "222:" + chunk2.length()), cleanups);
            buf2.addReference(m2, (s, len) -> cleanups.add("3333"));
        }
        assertEquals(3, cleanups.size(), "closing a buffer with a pending reference runs its cleanup");
    }

    @Test
    void referenceAddedAfterExpandKeepsOrder()
    {
        try (Arena arena = Arena.ofConfined(); EvBuffer buf = new EvBuffer())
        {
            final String p = "P".repeat(1024 - 10);
            add(buf, p);
            assertEquals(0, buf.expand(100));
            addRef(buf, arena, "2");
            assertEquals(1, buf.addPrintf("3"));
            assertEquals(p.length() + 2, buf.length());
            assertTrue(text(buf).endsWith("P23"));
        }
    }

    @Test
    void addReferenceWithOffsetReadsFromOffsetAndReportsFullLength()
    {
        final String prefix = "prefix!!!";
        final String body = "the referenced body";
        final long[] seen = { -1 };
        try (Arena arena = Arena.ofConfined(); EvBuffer buf = new EvBuffer())
        {
            final MemorySegment mem = native_(arena, prefix + body);
            assertEquals(0, buf.addReferenceWithOffset(mem, prefix.length(), body.length(), (s, len) -> seen[0] = len));
            assertEquals(body, text(buf));
            buf.drain(buf.length());
            assertEquals(prefix.length() + body.length(), seen[0]);
        }
    }

    @Test
    void multicastSharesWithoutNestingAndSurvivesTheSource()
    {
        try (Arena arena = Arena.ofConfined(); EvBuffer buf2 = new EvBuffer())
        {
            final EvBuffer buf1 = new EvBuffer();
            addRef(buf1, arena, "If you have found the answer to such a problem");
            add(buf1, ", ");
            addRef(buf1, arena, "you ought to write it up for publication");
            assertEquals(0, buf2.addBufferReference(buf1));
            assertEquals(-1, buf2.addBufferReference(buf2));
            assertEquals(-1, buf1.addBufferReference(buf2), "no nesting");
            assertEquals(88, buf2.length());
            assertEquals(88, buf1.length());
            assertEquals("If you", remove(buf1, 6));
            assertEquals(0, buf1.prepend(bytes("XX")));
            assertEquals(0, buf2.prepend(bytes("YY")));
            assertTrue(text(buf2).startsWith("YYIf you have"));
            assertEquals("YY", remove(buf2, 2));
            buf1.close();
            assertEquals("If you", remove(buf2, 6));
            assertEquals(" have", remove(buf2, 5));
            assertEquals(77, buf2.length());
        }
    }

    @Test
    void multicastDrainLeavesTheOtherBuffer()
    {
        try (EvBuffer buf1 = new EvBuffer(); EvBuffer buf2 = new EvBuffer())
        {
            add(buf1, "0123456789".repeat(8) + "01234567");
            assertEquals(0, buf2.addBufferReference(buf1));
            assertEquals(0, buf1.drain(buf1.length()));
            assertEquals(88, buf2.length());
            assertEquals(0, buf2.drain(buf2.length()));
            assertEquals(0, buf2.length());
            buf1.validate();
            buf2.validate();
            assertEquals(0, new EvBuffer().addBufferReference(buf1), "empty source: no-op");
        }
    }

    @Test
    void sharedChunkIsNotAppendedIntoBySource()
    {
        try (EvBuffer buf1 = new EvBuffer(); EvBuffer buf2 = new EvBuffer())
        {
            add(buf1, "abc");
            assertEquals(0, buf2.addBufferReference(buf1));
            add(buf1, "def");
            add(buf2, "xyz");
            assertEquals("abcdef", text(buf1));
            assertEquals("abcxyz", text(buf2));
        }
    }

    @Test
    void callbacksSeeChangesSinceLastRunAndRespectDisable()
    {
        final StringBuilder log1 = new StringBuilder();
        final StringBuilder log2 = new StringBuilder();
        try (Arena arena = Arena.ofConfined(); EvBuffer buf = new EvBuffer())
        {
            final EvBufferCallback cb1 = (b, i) -> log1.append(i.origSize()).append("->")
                .append(i.origSize() + i.nAdded() - i.nDeleted()).append("; ");
            final EvBufferCallback cb2 = (b, i) -> log2.append(i.origSize()).append("->")
                .append(i.origSize() + i.nAdded() - i.nDeleted()).append("; ");
            final EvBufferCbEntry e1 = buf.addCb(cb1);
            final EvBufferCbEntry e2 = buf.addCb(cb2);
            add(buf, "The NSA is watching you, Ulysses!!!".substring(0, 35) + "!");
            assertEquals(36, buf.length());
            assertEquals(0, buf.cbClearFlags(e2, EvBuffer.CB_ENABLED));
            buf.drain(10);
            assertEquals(0, buf.prepend(bytes("Hello")));
            assertEquals(0, buf.cbSetFlags(e2, EvBuffer.CB_ENABLED));
            addRef(buf, arena, "Goodbye");
            assertEquals(0, buf.removeCbEntry(e1));
            buf.drain(buf.length());
            assertEquals(-1, buf.removeCb(cb1), "already removed");
            add(buf, "X");
            assertEquals(0, buf.removeCb(cb2));
            assertEquals(-1, buf.removeCbEntry(e2));
            assertEquals("0->36; 36->26; 26->31; 31->38; ", log1.toString());
            assertEquals("0->36; 31->38; 38->0; 0->1; ", log2.toString());
        }
    }

    @Test
    void callbackMayDrainAndRemoveItself()
    {
        try (EvBuffer buf = new EvBuffer())
        {
            final List<Long> lengths = new ArrayList<>();
            final EvBufferCbEntry[] self = new EvBufferCbEntry[1];
            self[0] = buf.addCb((b, info) ->
            {
                lengths.add(b.length());
                if (b.length() > 0)
                {
                    b.drain(b.length());
                }
                else
                {
                    b.removeCbEntry(self[0]);
                }
            });
            add(buf, "data");
            assertEquals(List.of(4L, 0L), lengths);
            assertEquals(0, buf.length());
            add(buf, "more");
            assertEquals(2, lengths.size(), "removed itself");
        }
    }
}
