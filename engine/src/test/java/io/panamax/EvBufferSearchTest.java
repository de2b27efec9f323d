package io.panamax;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.panamax.Bufs.add;
import static io.panamax.Bufs.bytes;
import static io.panamax.Bufs.line;
import static io.panamax.Bufs.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** libevent's readln, search_eol, find, ptr_set, search and peek contracts. */
@ExtendWith(PoolWholeExtension.class)
class EvBufferSearchTest
{
    @Test
    void readLineAnyTreatsARunOfCrLfAsOneEolAndKeepsNul()
    {
        try (EvBuffer buf = new EvBuffer())
        {
            add(buf, "complex silly newline\r\n\n\r\n\n\rmore\0\n");
            assertEquals("complex silly newline", line(buf, EolStyle.ANY));
            final byte[] more = buf.readLineBytes(EolStyle.ANY);
            assertEquals(5, more.length);
            assertEquals("more\0", new String(more, java.nio.charset.StandardCharsets.ISO_8859_1));
            assertEquals(0, buf.length());
            add(buf, "\nno newline");
            assertEquals("", line(buf, EolStyle.ANY));
            assertNull(line(buf, EolStyle.ANY));
            assertEquals("no newline", text(buf));
        }
    }

    @Test
    void readLineCrlfAcceptsBareLf()
    {
        try (EvBuffer buf = new EvBuffer())
        {
            add(buf, "Line with\rin the middle\nLine with good crlf\r\n\nfinal\n");
            assertEquals("Line with\rin the middle", line(buf, EolStyle.CRLF));
            assertEquals("Line with good crlf", line(buf, EolStyle.CRLF));
            assertEquals("", line(buf, EolStyle.CRLF));
            assertEquals("final", line(buf, EolStyle.CRLF));
            add(buf, "x");
            assertNull(line(buf, EolStyle.CRLF));
            assertEquals("x", text(buf));
        }
    }

    @Test
    void readLineCrlfStrictNeedsBothBytes()
    {
        try (EvBuffer buf = new EvBuffer())
        {
            add(buf, "x and a bad crlf\nand a good one\r\n\r\nMore\r");
            assertEquals("x and a bad crlf\nand a good one", line(buf, EolStyle.CRLF_STRICT));
            assertEquals("", line(buf, EolStyle.CRLF_STRICT));
            assertNull(line(buf, EolStyle.CRLF_STRICT));
            add(buf, "\n");
            assertEquals("More", line(buf, EolStyle.CRLF_STRICT));
            assertEquals(0, buf.length());
            add(buf, "An internal CR\r is not an eol\r\nNor is a lack of one");
            assertEquals("An internal CR\r is not an eol", line(buf, EolStyle.CRLF_STRICT));
            assertNull(line(buf, EolStyle.CRLF_STRICT));
            add(buf, "\r\n");
            assertEquals("Nor is a lack of one", line(buf, EolStyle.CRLF_STRICT));
            assertEquals(0, buf.length());
        }
    }

    @Test
    void readLineLfAndNul()
    {
        try (EvBuffer buf = new EvBuffer())
        {
            add(buf, "An\rand a nl\n\nText");
            assertEquals("An\rand a nl", line(buf, EolStyle.LF));
            assertEquals("", line(buf, EolStyle.LF));
            assertNull(line(buf, EolStyle.LF));
            add(buf, "\n");
            assertEquals("Text", line(buf, EolStyle.LF));
            add(buf, "NUL\n\0\0The all-zeros character which may serve\0to accomplish time fill\0and media fill");
            assertEquals("NUL\n", line(buf, EolStyle.NUL));
            assertEquals("", line(buf, EolStyle.NUL));
            assertEquals("The all-zeros character which may serve", line(buf, EolStyle.NUL));
            assertEquals("to accomplish time fill", line(buf, EolStyle.NUL));
            assertNull(line(buf, EolStyle.NUL));
            assertEquals("and media fill", text(buf));
        }
    }

    @Test
    void readLineCrlfStrictSplitAcrossChunks()
    {
        try (EvBuffer buf = new EvBuffer(); EvBuffer part = new EvBuffer())
        {
            add(buf, "x");
            for (final String p : new String[]{ " and a bad crlf\nand a good one\r", "\n\r", "\nMore\r" })
            {
                add(part, p);
                assertEquals(0, buf.addBuffer(part));
            }
            assertEquals(4, Bufs.chains(buf));
            assertEquals("x and a bad crlf\nand a good one", line(buf, EolStyle.CRLF_STRICT));
            assertEquals("", line(buf, EolStyle.CRLF_STRICT));
            assertNull(line(buf, EolStyle.CRLF_STRICT));
            add(buf, "\n");
            assertEquals("More", line(buf, EolStyle.CRLF_STRICT));
        }
    }

    @Test
    void readLineCrlfWhenCrEndsOneChunkAndLfStartsTheNext()
    {
        try (EvBuffer buf = new EvBuffer(); EvBuffer part = new EvBuffer())
        {
            add(buf, "first\r");
            add(part, "\nsecond\r\n");
            buf.addBuffer(part);
            assertEquals("first", line(buf, EolStyle.CRLF));
            assertEquals("second", line(buf, EolStyle.CRLF));
            assertEquals(0, buf.length());
        }
    }

    @Test
    void readLineIntoCallerBufferDoesNotAllocateAndRefusesTooLongLines()
    {
        try (EvBuffer buf = new EvBuffer())
        {
            add(buf, "hello\r\nworld, too long\r\n");
            final byte[] dst = new byte[8];
            assertEquals(5, buf.readLine(EolStyle.CRLF, dst, 1));
            assertEquals("hello", new String(dst, 1, 5, java.nio.charset.StandardCharsets.ISO_8859_1));
            assertEquals(EvBuffer.LINE_TOO_LONG, buf.readLine(EolStyle.CRLF, dst, 0));
            assertEquals(17, buf.length(), "unchanged");
            final MemorySegment seg = MemorySegment.ofArray(new byte[32]);
            assertEquals(15, buf.readLine(EolStyle.CRLF, seg));
            assertEquals(0, buf.length());
            assertEquals(-1, buf.readLine(EolStyle.CRLF, seg));
        }
    }

    @Test
    void searchEolPositionsAndLengths()
    {
        try (EvBuffer buf = new EvBuffer())
        {
            add(buf, "string! \r\n\r\nx\n");
            EvBufferPtr p = buf.searchEol(null, EolStyle.CRLF);
            assertEquals(8, p.pos());
            assertEquals(2, p.eolLength());
            final EvBufferPtr start = new EvBufferPtr();
            buf.ptrSet(start, 8, EvBuffer.PtrHow.SET);
            p = buf.searchEol(start, EolStyle.CRLF);
            assertEquals(8, p.pos());
            assertEquals(2, p.eolLength());
            buf.ptrSet(start, 9, EvBuffer.PtrHow.SET);
            p = buf.searchEol(start, EolStyle.CRLF);
            assertEquals(9, p.pos());
            assertEquals(1, p.eolLength());
            p = buf.searchEol(start, EolStyle.CRLF_STRICT);
            assertEquals(10, p.pos());
            assertEquals(2, p.eolLength());
            p = buf.searchEol(null, EolStyle.LF);
            assertEquals(9, p.pos());
            assertEquals(1, p.eolLength());
            p = buf.searchEol(start, EolStyle.LF);
            assertEquals(9, p.pos());
            buf.ptrSet(start, 10, EvBuffer.PtrHow.SET);
            p = buf.searchEol(start, EolStyle.LF);
            assertEquals(11, p.pos());
            assertEquals(1, p.eolLength());
            buf.ptrSet(start, buf.length(), EvBuffer.PtrHow.SET);
            p = buf.searchEol(start, EolStyle.LF);
            assertEquals(-1, p.pos());
            assertEquals(0, p.eolLength());
        }
    }

    @Test
    void searchesFindMatchesAtEveryPlaceOfLongChainsAfterTheFirst()
    {
        final int chainBytes = 3000;
        final int[] places = { 0, 1, 7, 8, 255, 256, 257, 511, 512, 1500, chainBytes - 1 };
        for (int chainIndex = 0; chainIndex < 3; chainIndex++)
        {
            for (final int place : places)
            {
                final int at = chainIndex * chainBytes + place;
                final byte[] data = new byte[3 * chainBytes];
                java.util.Arrays.fill(data, (byte)'a');
                data[at] = '\n';
                try (EvBuffer buf = new EvBuffer(); EvBuffer piece = new EvBuffer())
                {
                    for (int c = 0; c < 3; c++)
                    {
                        piece.add(data, c * chainBytes, chainBytes);
                        buf.addBuffer(piece);
                    }
                    assertEquals(3, buf.peek(-1, null, null), "one chain per piece");
                    final EvBufferPtr result = new EvBufferPtr();
                    assertEquals(at, buf.searchEol(null, EolStyle.LF, result), "LF at " + at);
                    assertEquals(at, buf.searchEol(null, EolStyle.ANY, result), "ANY at " + at);
                    assertEquals(at, buf.search(new byte[] { '\n' }, null, result), "search at " + at);
                    assertEquals(-1, buf.searchEol(null, EolStyle.NUL, result));
                    if (at > 0)
                    {
                        buf.drain(buf.length());
                        data[at - 1] = '\r';
                        add(buf, new String(data, java.nio.charset.StandardCharsets.ISO_8859_1));
                        assertEquals(at - 1, buf.searchEol(null, EolStyle.CRLF, result), "CRLF at " + at);
                        assertEquals(2, result.eolLength());
                        assertEquals(at - 1, buf.search(new byte[] { '\r', '\n' }, null, result));
                    }
                    buf.validate();
                }
            }
        }
    }

    @Test
    void searchNeverMatchesPastTheEnd()
    {
        try (EvBuffer buf = new EvBuffer())
        {
            add(buf, "xxxx1234567890\r");
            buf.drain(4);
            assertEquals(-1, buf.search(bytes("\r\n"), null).pos());
            buf.drain(buf.length());
            add(buf, "a".repeat(255) + "x");
            assertEquals(-1, buf.search(bytes("xy"), null).pos());
            assertEquals(254, buf.search(bytes("ax"), null).pos());
        }
    }

    @Test
    void ptrSetStaysWithinZeroToLength()
    {
        try (EvBuffer buf = new EvBuffer(); EvBuffer tmp = new EvBuffer())
        {
            final EvBufferPtr pos = new EvBufferPtr();
            assertEquals(0, buf.ptrSet(pos, 0, EvBuffer.PtrHow.SET));
            assertEquals(0, pos.pos());
            assertEquals(-1, buf.ptrSet(pos, 1, EvBuffer.PtrHow.ADD));
            assertEquals(-1, pos.pos());
            assertEquals(-1, buf.ptrSet(pos, 1, EvBuffer.PtrHow.SET));
            assertEquals(-1, pos.pos());
            for (final int n : new int[]{ 5000, 4000, 3000 })
            {
                tmp.add(new byte[n]);
                buf.addBuffer(tmp);
            }
            assertEquals(3, Bufs.chains(buf));
            assertEquals(-1, buf.ptrSet(pos, 13000, EvBuffer.PtrHow.SET));
            assertEquals(-1, pos.pos());
            assertEquals(0, buf.ptrSet(pos, 0, EvBuffer.PtrHow.SET));
            assertEquals(-1, buf.ptrSet(pos, 13000, EvBuffer.PtrHow.ADD));
            assertEquals(0, buf.ptrSet(pos, 0, EvBuffer.PtrHow.SET));
            assertEquals(0, buf.ptrSet(pos, 10000, EvBuffer.PtrHow.ADD));
            assertEquals(10000, pos.pos());
            assertEquals(0, buf.ptrSet(pos, 1000, EvBuffer.PtrHow.ADD));
            assertEquals(11000, pos.pos());
            assertEquals(0, buf.ptrSet(pos, 1000, EvBuffer.PtrHow.ADD));
            assertEquals(12000, pos.pos());
            assertEquals(-1, buf.ptrSet(pos, 1000, EvBuffer.PtrHow.ADD));
            assertEquals(-1, pos.pos());
        }
    }

    @Test
    void stalePointerAndForeignPointerThrow()
    {
        try (EvBuffer buf = new EvBuffer(); EvBuffer other = new EvBuffer())
        {
            add(buf, "hello");
            add(other, "hello");
            final EvBufferPtr pos = new EvBufferPtr();
            buf.ptrSet(pos, 2, EvBuffer.PtrHow.SET);
            assertThrows(IllegalArgumentException.class, () -> other.ptrSet(pos, 1, EvBuffer.PtrHow.ADD));
            add(buf, "!");
            assertThrows(IllegalArgumentException.class, () -> buf.search(bytes("l"), pos));
            assertThrows(IllegalArgumentException.class, () -> buf.ptrSet(pos, 1, EvBuffer.PtrHow.ADD));
            assertEquals(0, buf.ptrSet(pos, 1, EvBuffer.PtrHow.SET));
            assertThrows(IllegalArgumentException.class, () -> buf.ptrSet(pos, -1, EvBuffer.PtrHow.SET));
        }
    }

    @Test
    void searchAcrossChunksAndWithinRanges()
    {
        try (EvBuffer buf = new EvBuffer(); EvBuffer tmp = new EvBuffer())
        {
            assertEquals(-1, buf.search(bytes("x"), null).pos());
            final EvBufferPtr zero = new EvBufferPtr();
            buf.ptrSet(zero, 0, EvBuffer.PtrHow.SET);
            assertEquals(-1, buf.search(bytes("x"), zero).pos());
            assertEquals(-1, buf.searchRange(bytes("x"), zero, zero).pos());
            for (final String p : new String[]{ "hello", "foo", "cat", "attack" })
            {
                add(tmp, p);
                buf.addBuffer(tmp);
            }
            assertEquals(17, buf.length());
            assertEquals(4, Bufs.chains(buf));
            assertEquals(11, buf.search(bytes("attack"), null).pos());
            assertEquals(-1, buf.search(bytes("attacker"), null).pos());
            EvBufferPtr pos = buf.search(bytes("oc"), null);
            assertEquals(7, pos.pos());
            pos = buf.search(bytes("cat"), pos);
            assertEquals(8, pos.pos());
            assertEquals(-1, buf.search(bytes("tacking"), pos).pos());
            final EvBufferPtr p5 = new EvBufferPtr();
            buf.ptrSet(p5, 5, EvBuffer.PtrHow.SET);
            assertEquals(5, buf.search(bytes("foo"), p5).pos());
            final EvBufferPtr p7 = new EvBufferPtr();
            buf.ptrSet(p7, 7, EvBuffer.PtrHow.SET);
            assertEquals(10, buf.search(bytes("tat"), p7).pos());
            final EvBufferPtr end = new EvBufferPtr();
            buf.ptrSet(end, 12, EvBuffer.PtrHow.SET);
            assertEquals(5, buf.searchRange(bytes("foo"), null, end).pos());
            assertEquals(5, buf.searchRange(bytes("foocata"), null, end).pos());
            assertEquals(-1, buf.searchRange(bytes("foocatat"), null, end).pos());
            assertEquals(-1, buf.searchRange(bytes("ack"), null, end).pos());
            buf.ptrSet(end, 17, EvBuffer.PtrHow.SET);
            assertEquals(11, buf.searchRange(bytes("attack"), null, end).pos());
            final EvBufferPtr p11 = new EvBufferPtr();
            buf.ptrSet(p11, 11, EvBuffer.PtrHow.SET);
            assertEquals(11, buf.searchRange(bytes("attack"), p11, end).pos());
            final EvBufferPtr p17 = new EvBufferPtr();
            buf.ptrSet(p17, 17, EvBuffer.PtrHow.SET);
            assertEquals(-1, buf.searchRange(bytes("attack"), p17, end).pos());
            assertEquals(-1, buf.search(bytes("attack"), p17).pos());
        }
    }

    @Test
    void peekCountsAndFillsExtents()
    {
        try (EvBuffer buf = new EvBuffer(); EvBuffer tmp = new EvBuffer())
        {
            final EvBufferIovec none = null;
            assertEquals(0, buf.peek(-1, null, new EvBufferIovec(4)));
            final String[] chunks = new String[16];
            for (int i = 0; i < 16; i++)
            {
                chunks[i] = "Contents of chunk [" + i + "]\n";
                add(tmp, chunks[i]);
                buf.addBuffer(tmp);
            }
            assertEquals(16, buf.peek(-1, null, none));
            final EvBufferIovec v = new EvBufferIovec(20);
            assertEquals(16, buf.peek(-1, null, v));
            for (int i = 0; i < 16; i++)
            {
                assertEquals(chunks[i], Bufs.bytesToString(v.slice(i)));
            }
            final EvBufferIovec one = new EvBufferIovec(1);
            assertEquals(1, buf.peek(-1, null, one));
            assertEquals(chunks[0], Bufs.bytesToString(one.slice(0)));
            assertEquals(2, buf.peek(40, null, v));
            assertEquals(5, buf.peek(100, null, none));
            assertEquals(3, buf.peek(60, null, one));
            assertEquals(1, one.count());
            assertEquals(16, buf.peek(65536, null, v));
            final EvBufferPtr ptr = new EvBufferPtr();
            buf.ptrSet(ptr, 30, EvBuffer.PtrHow.SET);
            assertEquals(3, buf.peek(50, ptr, v));
            assertEquals(" of chunk [1]\n", Bufs.bytesToString(v.slice(0)));
            assertEquals(chunks[2], Bufs.bytesToString(v.slice(1)));
            assertEquals(chunks[3], Bufs.bytesToString(v.slice(2)));
            buf.ptrSet(ptr, 14, EvBuffer.PtrHow.ADD);
            assertEquals(2, buf.peek(44, ptr, v));
            assertEquals(chunks[2], Bufs.bytesToString(v.slice(0)));
            buf.ptrSet(ptr, buf.length(), EvBuffer.PtrHow.SET);
            assertEquals(0, buf.peek(-1, ptr, v));
        }
    }

    @Test
    void peekFromInsideTheFirstChain()
    {
        try (EvBuffer buf = new EvBuffer(); EvBuffer tmp = new EvBuffer())
        {
            add(buf, "x".repeat(22));
            add(tmp, "y".repeat(20));
            buf.addBuffer(tmp);
            final EvBufferIovec two = new EvBufferIovec(2);
            assertEquals(2, buf.peek(-1, null, two));
            final EvBufferPtr p = new EvBufferPtr();
            buf.ptrSet(p, 20, EvBuffer.PtrHow.SET);
            assertEquals(2, buf.peek(-1, p, two));
            assertEquals(1, buf.peek(2, p, two));
            assertEquals(2, buf.peek(3, p, two));
            assertEquals(2, buf.peek(3, p, null));
        }
    }
}
