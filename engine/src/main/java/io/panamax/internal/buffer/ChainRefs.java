package io.panamax.internal.buffer;

import java.lang.foreign.MemorySegment;

import io.panamax.EvBufferRefCleanup;

/**
 * Chains over memory a list does not own: caller segments added by reference and file ranges sent with
 * sendfile.
 * <p>
 * <b>Thread-safety:</b> none; the owning buffer serialises access to the list.
 */
public final class ChainRefs
{
    private ChainRefs()
    {
    }

    /**
     * Append caller memory without copying (libevent's {@code evbuffer_add_reference_with_offset}).
     *
     * @param list the list.
     * @param memory  the caller's segment.
     * @param offset  where the data starts in it.
     * @param len     bytes.
     * @param cleanup run once when the last byte is gone; may be null.
     */
    public static void addReference(final ChainList list,
        final MemorySegment memory, final long offset, final long len, final EvBufferRefCleanup cleanup)
    {
        final ChunkPool lender = list.pool().forCurrentThread();
        final Chunk chunk = lender.reference(memory, offset + len, cleanup);
        final Chain chain = lender.chain();
        chain.chunk = chunk;
        chain.memory = memory;
        chain.flags = Chain.REFERENCE | Chain.IMMUTABLE;
        chain.misalign = offset;
        chain.bufferLen = offset + len;
        chain.off = len;
        list.insert(chain);
        list.nAddForCb += len;
    }

    /**
     * Append a file range sent with sendfile when the buffer is written (libevent's sendfile chain).
     *
     * @param list the list.
     * @param fd     the file; closed (by {@code closer}) when the last byte is gone.
     * @param offset where the range starts in the file.
     * @param len    bytes.
     * @param closer closes the descriptor.
     */
    public static void addFileSegment(
        final ChainList list, final int fd, final long offset, final long len, final EvBufferRefCleanup closer)
    {
        final Chunk chunk = list.pool().forCurrentThread().fileReference(fd, offset + len, closer);
        addFileRange(list, chunk, offset, len);
    }

    /**
     * Append a range of a file descriptor that is already counted for this chain (a new one, or one retained by
     * the caller).
     *
     * @param list the list.
     * @param chunk  the file's descriptor.
     * @param offset where the range starts in the file.
     * @param len    bytes.
     */
    private static void addFileRange(final ChainList list, final Chunk chunk, final long offset, final long len)
    {
        final Chain chain = list.pool().forCurrentThread().chain();
        chain.chunk = chunk;
        chain.memory = MemorySegment.NULL;
        chain.flags = Chain.SENDFILE | Chain.IMMUTABLE;
        chain.misalign = offset;
        chain.bufferLen = offset + len;
        chain.off = len;
        list.mayHoldFiles = true;
        list.insert(chain);
        list.nAddForCb += len;
    }

    /**
     * Append a range of a shared file segment (libevent's {@code evbuffer_add_file_segment}); the segment's count
     * goes up by one until the range is drained.
     *
     * @param list the list.
     * @param segment the segment's descriptor (see {@link ChunkPool#fileReference}).
     * @param offset  where the range starts in the file.
     * @param len     bytes.
     */
    public static void addSharedFileRange(final ChainList list, final Chunk segment, final long offset, final long len)
    {
        segment.retain();
        addFileRange(list, segment, offset, len);
    }

    /**
     * @param list the list.
     * @return true when a chain is a file segment (its bytes are not in memory).
     */
    public static boolean hasFileSegment(final ChainList list)
    {
        if (!list.mayHoldFiles)
        {
            return false;
        }
        for (Chain c = list.first; null != c; c = c.next)
        {
            if (0 != (c.flags & Chain.SENDFILE))
            {
                return true;
            }
        }
        list.mayHoldFiles = false;
        return false;
    }
}
