package io.panamax;

/**
 * The handle {@link EvBuffer#addCb} returns (libevent's {@code struct evbuffer_cb_entry}): pass it to
 * {@link EvBuffer#removeCbEntry}, {@link EvBuffer#cbSetFlags} and {@link EvBuffer#cbClearFlags}.
 * <p>
 * <b>Thread-safety:</b> use it under the buffer's rules.
 */
public final class EvBufferCbEntry
{
    final EvBufferCallback callback;
    final EvBuffer buffer;
    int flags = EvBuffer.CB_ENABLED;
    boolean removed;
    EvBufferCbEntry next;

    EvBufferCbEntry(final EvBuffer buffer, final EvBufferCallback callback)
    {
        this.buffer = buffer;
        this.callback = callback;
    }

    /**
     * @return the callback.
     */
    public EvBufferCallback callback()
    {
        return callback;
    }

    /**
     * @return the flags ({@link EvBuffer#CB_ENABLED}).
     */
    public int flags()
    {
        return flags;
    }

    /**
     * @return true once removed from its buffer.
     */
    public boolean isRemoved()
    {
        return removed;
    }
}
