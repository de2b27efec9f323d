package io.panamax;

import java.io.ByteArrayOutputStream;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Adds and prepends of arrays of 16 KiB and more, which are copied with libc's memcpy when they start at the array's
 * first byte (and with the JIT's copy otherwise): every byte lands where it should, whatever the buffer held.
 */
@ExtendWith(PoolWholeExtension.class)
class EvBufferLargeCopyTest
{
    private static final int[] SIZES = { 16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, 40_000, 70_000, 1 << 20 };

    private static byte[] random(final Random random, final int size)
    {
        final byte[] data = new byte[size];
        random.nextBytes(data);
        return data;
    }

    private static byte[] contents(final EvBuffer buf)
    {
        final byte[] all = new byte[(int)buf.length()];
        assertEquals(all.length, buf.copyout(all));
        return all;
    }

    @Test
    void largeArrayAddsKeepEveryByteIntoEmptyPartlyFilledAndDrainedBuffers()
    {
        final Random random = new Random(42);
        for (final int size : SIZES)
        {
            for (final int before : new int[] { 0, 100, 5000 })
            {
                for (final int drained : new int[] { 0, 37 })
                {
                    try (EvBuffer buf = new EvBuffer())
                    {
                        final ByteArrayOutputStream model = new ByteArrayOutputStream();
                        final byte[] head = random(random, before);
                        assertEquals(0, buf.add(head));
                        model.write(head, 0, head.length);
                        final int drop = Math.min(drained, before);
                        assertEquals(0, buf.drain(drop));
                        final byte[] data = random(random, size);
                        assertEquals(0, buf.add(data));
                        buf.validate();
                        final byte[] all = model.toByteArray();
                        final byte[] expected = new byte[all.length - drop + size];
                        System.arraycopy(all, drop, expected, 0, all.length - drop);
                        System.arraycopy(data, 0, expected, all.length - drop, size);
                        assertArrayEquals(expected, contents(buf), "size " + size + " after " + before);
                    }
                }
            }
        }
    }

    @Test
    void largeArrayAddsFromAnOffsetAndLargePrependsKeepEveryByte()
    {
        final Random random = new Random(7);
        for (final int size : SIZES)
        {
            try (EvBuffer buf = new EvBuffer())
            {
                final byte[] data = random(random, size + 10);
                assertEquals(0, buf.add(data, 3, size));
                final byte[] front = random(random, size);
                assertEquals(0, buf.prepend(front));
                buf.validate();
                final byte[] expected = new byte[2 * size];
                System.arraycopy(front, 0, expected, 0, size);
                System.arraycopy(data, 3, expected, size, size);
                assertArrayEquals(expected, contents(buf), "size " + size);
            }
        }
    }
}
