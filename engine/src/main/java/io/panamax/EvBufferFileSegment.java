package io.panamax;

import java.util.Objects;

import io.panamax.internal.buffer.ChainIo;
import io.panamax.internal.buffer.Chunk;
import io.panamax.internal.buffer.ChunkPool;

/**
 * A reference-counted, reusable range of a file (libevent's {@code evbuffer_file_segment}): add parts of it to any
 * number of buffers with {@link EvBuffer#addFileSegment}; the file is closed (with {@link #CLOSE_ON_FREE}) and the
 * cleanup runs once the segment is closed and no buffer holds a part of it any more.
 * <p>
 * Buffers send segments with sendfile, so a buffer takes one only with {@link EvBuffer#FLAG_DRAINS_TO_FD} set
 * (libevent's mmap and read fallbacks need bindings Panamax does not have yet).
 * <p>
 * <b>Thread-safety:</b> create and close on one thread; buffers on other threads may hold parts of it (the count
 * is atomic).
 */
public final class EvBufferFileSegment implements AutoCloseable
{
    /** {@code EVBUF_FS_CLOSE_ON_FREE}: close the file when the segment is freed. */
    public static final int CLOSE_ON_FREE = 1;
    /** {@code EVBUF_FS_DISABLE_MMAP}: accepted; Panamax never maps. */
    public static final int DISABLE_MMAP = 2;
    /** {@code EVBUF_FS_DISABLE_SENDFILE}: no sendfile, so no buffer takes the segment. */
    public static final int DISABLE_SENDFILE = 4;
    /** {@code EVBUF_FS_DISABLE_LOCKING}: accepted; the count is atomic anyway. */
    public static final int DISABLE_LOCKING = 8;

    private final int fd;
    private final long offset;
    private final long length;
    private final int flags;
    final Chunk chunk;
    private volatile EvBufferFileSegmentCleanup cleanup;
    private boolean closed;

    private EvBufferFileSegment(final int fd, final long offset, final long length, final int flags)
    {
        this.fd = fd;
        this.offset = offset;
        this.length = length;
        this.flags = flags;
        this.chunk = ChunkPool.threadDefault().fileReference(fd, offset + length, (memory, len) -> freed());
    }

    /**
     * libevent's {@code evbuffer_file_segment_new}.
     *
     * @param fd     a regular file open for reading.
     * @param offset where the segment starts.
     * @param length bytes (libevent's -1 "to the end" needs fstat and is not supported).
     * @param flags  {@link #CLOSE_ON_FREE}, {@link #DISABLE_MMAP}, {@link #DISABLE_SENDFILE}, {@link #DISABLE_LOCKING}.
     * @return the segment.
     * @throws IllegalArgumentException for a negative offset or length, or a descriptor that is not open.
     */
    public static EvBufferFileSegment create(final int fd, final long offset, final long length, final int flags)
    {
        if (offset < 0 || length < 0)
        {
            throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
        }
        if (!ChainIo.isOpen(fd))
        {
            throw new IllegalArgumentException("file descriptor not open: " + fd);
        }
        return new EvBufferFileSegment(fd, offset, length, flags);
    }

    /**
     * Set the cleanup (libevent's {@code evbuffer_file_segment_add_cleanup_cb}).
     *
     * @param cleanup run once when the segment is finally freed.
     */
    public void addCleanupCb(final EvBufferFileSegmentCleanup cleanup)
    {
        this.cleanup = Objects.requireNonNull(cleanup, "cleanup");
    }

    /**
     * @return the file descriptor.
     */
    public int fd()
    {
        return fd;
    }

    /**
     * @return where the segment starts in the file.
     */
    public long offset()
    {
        return offset;
    }

    /**
     * @return the segment's length.
     */
    public long length()
    {
        return length;
    }

    /**
     * @return the flags given at creation.
     */
    public int flags()
    {
        return flags;
    }

    /**
     * @return true once {@link #close()} ran.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Let go of the creator's reference (libevent's {@code evbuffer_file_segment_free}); buffers keep theirs.
     * Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        chunk.release();
    }

    private void freed()
    {
        if (0 != (flags & CLOSE_ON_FREE))
        {
            ChainIo.close(fd);
        }
        final EvBufferFileSegmentCleanup cleanup = this.cleanup;
        if (null != cleanup)
        {
            cleanup.cleanup(this, flags);
        }
    }
}
