package io.panamax;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Test helpers: content as text, validation after each step. */
final class Bufs
{
    private Bufs()
    {
    }

    static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(final EvBuffer buf)
    {
        buf.validate();
        final byte[] all = new byte[(int)buf.length()];
        assertEquals(all.length, buf.copyout(all));
        return new String(all, StandardCharsets.ISO_8859_1);
    }

    static void add(final EvBuffer buf, final String s)
    {
        assertEquals(0, buf.add(bytes(s)));
        buf.validate();
    }

    static String remove(final EvBuffer buf, final int n)
    {
        final byte[] out = new byte[n];
        final int got = buf.remove(out);
        buf.validate();
        return new String(out, 0, Math.max(got, 0), StandardCharsets.ISO_8859_1);
    }

    static String line(final EvBuffer buf, final EolStyle style)
    {
        final byte[] line = buf.readLineBytes(style);
        buf.validate();
        return null == line ? null : new String(line, StandardCharsets.ISO_8859_1);
    }

    static int chains(final EvBuffer buf)
    {
        int n = 0;
        for (io.panamax.internal.buffer.Chain c = buf.chains().first; null != c; c = c.next)
        {
            n++;
        }
        return n;
    }

    static String repeat(final char c, final int n)
    {
        return String.valueOf(c).repeat(n);
    }

    static String bytesToString(final java.lang.foreign.MemorySegment seg)
    {
        return null == seg ? null : new String(seg.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
            StandardCharsets.ISO_8859_1);
    }
}
