package io.panamax;

/**
 * Told what changed in an {@link EvBuffer} since the callbacks last ran (libevent's {@code evbuffer_cb_func}).
 * <p>
 * <b>Thread-safety:</b> runs on the thread that changed the buffer, right after the change, with the buffer's
 * lock held when locking is enabled. It may add to or drain the buffer (the callbacks then run again, nested) and
 * may remove itself. The {@code info} object is reused: copy what you need before returning.
 */
@FunctionalInterface
public interface EvBufferCallback
{
    /**
     * @param buffer the buffer that changed.
     * @param info   the length before the change and the bytes added and deleted.
     */
    void onChange(EvBuffer buffer, EvBufferCbInfo info);
}
