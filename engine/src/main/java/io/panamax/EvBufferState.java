package io.panamax;

import java.util.Locale;
import java.nio.charset.StandardCharsets;

import io.panamax.internal.buffer.ChainSpace;

/**
 * The state-changing calls of an {@link EvBuffer} that are neither adding nor moving bytes: the read size,
 * freezing, draining, expanding, and {@code addPrintf}.
 * <p>
 * <b>Thread-safety:</b> as {@link EvBuffer}: these run inside its public methods, under its lock when it has one.
 */
final class EvBufferState
{
    private EvBufferState()
    {
    }

    /** {@link EvBuffer#setMaxRead}. */
    static int setMaxRead(final EvBuffer buf, final long max)
    {
        buf.enter();
        try
        {
            if (max < 1 || max > Integer.MAX_VALUE)
            {
                return -1;
            }
            buf.maxRead = max;
            return 0;
        }
        finally
        {
            buf.exit();
        }
    }

    /** {@link EvBuffer#freeze}. */
    static int freeze(final EvBuffer buf, final boolean atFront)
    {
        return setFrozen(buf, atFront, true);
    }

    /** {@link EvBuffer#unfreeze}. */
    static int unfreeze(final EvBuffer buf, final boolean atFront)
    {
        return setFrozen(buf, atFront, false);
    }

    private static int setFrozen(final EvBuffer buf, final boolean atFront, final boolean frozen)
    {
        buf.enter();
        try
        {
            if (atFront)
            {
                buf.freezeStart = frozen;
            }
            else
            {
                buf.freezeEnd = frozen;
            }
            return 0;
        }
        finally
        {
            buf.exit();
        }
    }

    /** {@link EvBuffer#drain}. */
    static int drain(final EvBuffer buf, final long length)
    {
        EvBuffer.checkLength(length);
        buf.enter();
        try
        {
            if (0 == buf.chains.totalLen)
            {
                return 0;
            }
            if (buf.freezeStart)
            {
                return -1;
            }
            buf.chains.drain(length);
            buf.invokeCallbacks();
            return 0;
        }
        finally
        {
            buf.exit();
        }
    }

    /** {@link EvBuffer#addPrintf}. */
    static int addPrintf(final EvBuffer buf, final String format, final Object... args)
    {
        final byte[] bytes = String.format(Locale.ROOT, format, args).getBytes(StandardCharsets.UTF_8);
        buf.enter();
        try
        {
            if (buf.freezeEnd)
            {
                return -1;
            }
            if (null == ChainSpace.expandSingleChain(buf.chains, Math.min(64, bytes.length)))
            {
                return -1;
            }
            if (buf.chains.add(bytes, null, 0, bytes.length) < 0)
            {
                return -1;
            }
            buf.invokeCallbacks();
            return bytes.length;
        }
        finally
        {
            buf.exit();
        }
    }

    /** {@link EvBuffer#expand}. */
    static int expand(final EvBuffer buf, final long size)
    {
        EvBuffer.checkLength(size);
        buf.enter();
        try
        {
            return null == ChainSpace.expandSingleChain(buf.chains, size) ? -1 : 0;
        }
        finally
        {
            buf.exit();
        }
    }
}
