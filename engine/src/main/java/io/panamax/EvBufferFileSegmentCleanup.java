package io.panamax;

/**
 * Called once when a file segment is no longer used by its creator or any buffer (libevent's
 * {@code evbuffer_file_segment_cleanup_cb}); what C passed as {@code arg} is captured by the lambda.
 * <p>
 * <b>Thread-safety:</b> runs on the thread that lets go of the last reference (closing the segment or draining or
 * closing the last buffer holding it). An exception it throws is logged and swallowed.
 */
@FunctionalInterface
public interface EvBufferFileSegmentCleanup
{
    /**
     * @param segment the segment.
     * @param flags   its flags.
     */
    void cleanup(EvBufferFileSegment segment, int flags);
}
