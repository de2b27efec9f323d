package io.panamax;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Long random operation sequences against a plain byte-array model: after every step the content equals the
 * model and libevent's invariants hold; every reference cleanup runs exactly once; the pool ends whole.
 * jqwik shrinks a failing sequence and prints its seed.
 */
class EvBufferPropertyTest
{
    private static final byte[] ALPHABET = { 'a', 'b', 'c', '\r', '\n', 0, 'x', 'y' };

    /** One step. */
    enum Kind
    {
        ADD, PREPEND, DRAIN, REMOVE, REFERENCE, RESERVE_COMMIT, ADD_BUFFER, PREPEND_BUFFER, REMOVE_BUFFER, PULLUP,
        EXPAND, COPYOUT_FROM, SEARCH, READ_LINE, MULTICAST
    }

    record Op(Kind kind, int size, int arg, int seed)
    {
        byte[] data()
        {
            final byte[] d = new byte[size];
            int s = seed;
            for (int i = 0; i < size; i++)
            {
                s = s * 1103515245 + 12345;
                d[i] = ALPHABET[(s >>> 16) & 7];
            }
            return d;
        }
    }

    @Provide
    Arbitrary<List<Op>> ops()
    {
        final Arbitrary<Op> op = Combinators.combine(
            Arbitraries.of(Kind.class),
            Arbitraries.oneOf(Arbitraries.integers().between(0, 64), Arbitraries.integers().between(0, 5000)),
            Arbitraries.integers().between(0, 4),
            Arbitraries.integers()).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(200);
    }

    /** The model: the bytes the buffer must hold. */
    private static final class Model
    {
        byte[] bytes = new byte[0];

        void add(final byte[] d)
        {
            final byte[] n = Arrays.copyOf(bytes, bytes.length + d.length);
            System.arraycopy(d, 0, n, bytes.length, d.length);
            bytes = n;
        }

        void prepend(final byte[] d)
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(d);
            out.writeBytes(bytes);
            bytes = out.toByteArray();
        }

        byte[] take(final int n)
        {
            final int k = Math.min(n, bytes.length);
            final byte[] head = Arrays.copyOf(bytes, k);
            bytes = Arrays.copyOfRange(bytes, k, bytes.length);
            return head;
        }
    }

    private static byte[] content(final EvBuffer buf)
    {
        final byte[] all = new byte[(int)buf.length()];
        buf.copyout(all);
        return all;
    }

    private static int indexOf(final byte[] hay, final byte[] needle, final int from)
    {
        outer:
        for (int i = Math.max(0, from); i + needle.length <= hay.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (hay[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Property(tries = 300, seed = "")
    void randomOperationsMatchTheModel(@ForAll("ops") @Size(min = 1, max = 200) final List<Op> ops)
    {
        final int[] cleanups = new int[1];
        int references = 0;
        try (BufferPool pool = BufferPool.create(); Arena arena = Arena.ofConfined())
        {
            try (EvBuffer buf = new EvBuffer(pool); EvBuffer other = new EvBuffer(pool))
            {
                final Model model = new Model();
                final EvBufferIovec vecs = new EvBufferIovec(3);
                final EvBufferPtr ptr = new EvBufferPtr();
                for (final Op op : ops)
                {
                    final byte[] d = op.data();
                    final int len = model.bytes.length;
                    switch (op.kind())
                    {
                        case ADD -> {
                            assertEquals(0, buf.add(d));
                            model.add(d);
                        }
                        case PREPEND -> {
                            assertEquals(0, buf.prepend(d));
                            model.prepend(d);
                        }
                        case DRAIN -> {
                            final int n = len == 0 ? op.size() : op.size() % (len + 1);
                            assertEquals(0, buf.drain(n));
                            model.take(n);
                        }
                        case REMOVE -> {
                            final byte[] out = new byte[op.size()];
                            final int n = buf.remove(out);
                            assertArrayEquals(model.take(op.size()), Arrays.copyOf(out, n));
                        }
                        case REFERENCE -> {
                            final MemorySegment mem = arena.allocate(Math.max(1, d.length + op.arg()));
                            MemorySegment.copy(d, 0, mem, JAVA_BYTE, op.arg(), d.length);
                            references++;
                            assertEquals(0, buf.addReferenceWithOffset(mem, op.arg(), d.length, (s, l) ->
                            {
                                assertEquals(op.arg() + d.length, l);
                                cleanups[0]++;
                            }));
                            model.add(d);
                        }
                        case RESERVE_COMMIT -> {
                            final int nvecs = 1 + op.arg() % 3;
                            final int n = buf.reserveSpace(op.size(), vecs, nvecs);
                            assertTrue(n >= 0 && n <= nvecs);
                            long total = 0;
                            for (int i = 0; i < n; i++)
                            {
                                total += vecs.length(i);
                            }
                            assertTrue(total >= op.size(), "reserved " + total + " < " + op.size());
                            final ByteArrayOutputStream committed = new ByteArrayOutputStream();
                            int k = 0;
                            for (int i = 0; i < n; i++)
                            {
                                final long room = Math.min(vecs.length(i), d.length - k);
                                final int mode = (op.seed() >>> (2 * i)) & 3;
                                final int use = (int)(0 == mode ? 0 : 1 == mode ? room / 2 : room);
                                MemorySegment.copy(d, k, vecs.segment(i), JAVA_BYTE, vecs.offset(i), use);
                                committed.write(d, k, use);
                                k += use;
                                vecs.length(i, use);
                            }
                            assertEquals(0, buf.commitSpace(vecs, n));
                            model.add(committed.toByteArray());
                        }
                        case ADD_BUFFER -> {
                            assertEquals(0, other.add(d));
                            assertEquals(0, buf.addBuffer(other));
                            assertEquals(0, other.length());
                            model.add(d);
                        }
                        case PREPEND_BUFFER -> {
                            assertEquals(0, other.add(d));
                            assertEquals(0, buf.prependBuffer(other));
                            model.prepend(d);
                        }
                        case REMOVE_BUFFER -> {
                            final long n = buf.removeBuffer(other, op.size());
                            assertEquals(Math.min(op.size(), len), n);
                            assertArrayEquals(model.take(op.size()), content(other));
                            other.validate();
                            other.drain(other.length());
                        }
                        case PULLUP -> {
                            final int n = len == 0 ? 0 : 1 + op.size() % len;
                            final MemorySegment up = buf.pullup(n);
                            if (n == 0)
                            {
                                assertEquals(null, up);
                            }
                            else
                            {
                                assertArrayEquals(Arrays.copyOf(model.bytes, n), up.toArray(JAVA_BYTE));
                            }
                        }
                        case EXPAND -> assertEquals(0, buf.expand(op.size()));
                        case COPYOUT_FROM -> {
                            final int start = len == 0 ? 0 : op.seed() % (len + 1) < 0 ? 0 : op.seed() % (len + 1);
                            assertEquals(0, buf.ptrSet(ptr, start, EvBuffer.PtrHow.SET));
                            final byte[] out = new byte[op.size()];
                            final int n = buf.copyoutFrom(ptr, out, 0, out.length);
                            assertEquals(Math.min(op.size(), len - start), n);
                            assertArrayEquals(Arrays.copyOfRange(model.bytes, start, start + n), Arrays.copyOf(out, n));
                        }
                        case SEARCH -> {
                            if (len > 0)
                            {
                                final int from = Math.floorMod(op.seed(), len);
                                final int nlen = 1 + op.arg();
                                final byte[] needle = Arrays.copyOfRange(model.bytes, from,
                                    Math.min(len, from + nlen));
                                final int start = Math.floorMod(op.size(), len);
                                buf.ptrSet(ptr, start, EvBuffer.PtrHow.SET);
                                assertEquals(indexOf(model.bytes, needle, start), buf.search(needle, ptr).pos());
                            }
                        }
                        case READ_LINE -> {
                            final EolStyle style = EolStyle.values()[op.arg()];
                            final byte[] expected = modelLine(model, style);
                            final byte[] line = buf.readLineBytes(style);
                            if (null == expected)
                            {
                                assertEquals(null, line);
                            }
                            else
                            {
                                assertArrayEquals(expected, line);
                            }
                        }
                        case MULTICAST -> {
                            try (EvBuffer shared = new EvBuffer(pool))
                            {
                                shared.add(d);
                                assertEquals(0, buf.addBufferReference(shared));
                                shared.drain(op.arg());
                            }
                            model.add(d);
                        }
                        default -> throw new AssertionError(op);
                    }
                    buf.validate();
                    other.validate();
                    assertEquals(model.bytes.length, buf.length(), op::toString);
                    assertArrayEquals(model.bytes, content(buf), op::toString);
                }
            }
            assertEquals(references, cleanups[0], "every cleanup exactly once");
            assertTrue(pool.isWhole(), pool::toString);
        }
    }

    /** The model of readln: the line and its removal, or null. */
    private static byte[] modelLine(final Model m, final EolStyle style)
    {
        final byte[] b = m.bytes;
        int at = -1;
        int eol = 0;
        switch (style)
        {
            case ANY -> {
                for (int i = 0; i < b.length; i++)
                {
                    if (b[i] == '\r' || b[i] == '\n')
                    {
                        at = i;
                        int j = i;
                        while (j < b.length && (b[j] == '\r' || b[j] == '\n'))
                        {
                            j++;
                        }
                        eol = j - i;
                        break;
                    }
                }
            }
            case CRLF -> {
                at = indexOf(b, new byte[]{ '\n' }, 0);
                eol = 1;
                if (at > 0 && b[at - 1] == '\r')
                {
                    at--;
                    eol = 2;
                }
            }
            case CRLF_STRICT -> {
                at = indexOf(b, new byte[]{ '\r', '\n' }, 0);
                eol = 2;
            }
            case LF -> {
                at = indexOf(b, new byte[]{ '\n' }, 0);
                eol = 1;
            }
            case NUL -> {
                at = indexOf(b, new byte[]{ 0 }, 0);
                eol = 1;
            }
            default -> throw new AssertionError(style);
        }
        if (at < 0)
        {
            return null;
        }
        final byte[] line = m.take(at);
        m.take(eol);
        return line;
    }
}
