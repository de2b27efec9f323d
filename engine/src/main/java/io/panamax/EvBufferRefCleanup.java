package io.panamax;

import java.lang.foreign.MemorySegment;

/**
 * Called once when the memory given to {@link EvBuffer#addReference} is no longer used by any buffer (libevent's
 * {@code evbuffer_ref_cleanup_cb}); what C passed as {@code extra} is captured by the lambda.
 * <p>
 * <b>Thread-safety:</b> runs on the thread that frees the last chain pointing at the memory (the one that drains,
 * removes or closes the buffer), possibly while that buffer's lock is held. It must not use that buffer. An
 * exception it throws is logged and swallowed, so the buffer stays consistent.
 */
@FunctionalInterface
public interface EvBufferRefCleanup
{
    /** A cleanup that does nothing. */
    EvBufferRefCleanup NONE = (data, length) ->
    {
    };

    /**
     * @param data   the segment given to {@code addReference}.
     * @param length the bytes referenced, plus the offset for {@link EvBuffer#addReferenceWithOffset}.
     */
    void cleanup(MemorySegment data, long length);
}
