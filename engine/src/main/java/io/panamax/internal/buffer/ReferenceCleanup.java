package io.panamax.internal.buffer;

import java.lang.foreign.MemorySegment;

/**
 * Internal form of a reference's cleanup: called once with the referenced segment and its length (offset
 * included), as libevent's {@code evbuffer_ref_cleanup_cb}.
 * <p>
 * <b>Thread-safety:</b> runs on the thread that frees the last chain pointing at the memory.
 */
@FunctionalInterface
public interface ReferenceCleanup
{
    /**
     * @param data   the segment given to {@code addReference}.
     * @param length the bytes that were referenced, plus the offset for {@code addReferenceWithOffset}.
     */
    void cleanup(MemorySegment data, long length);
}
