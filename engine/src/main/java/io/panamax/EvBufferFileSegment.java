package io.panamax;

import java.util.Objects;

import io.panamax.ffm.Errno;
import io.panamax.internal.buffer.ChainIo;
import io.panamax.internal.buffer.Chunk;
import io.panamax.internal.buffer.ChunkPool;

/**
 * A reference-counted, reusable range of a file (libevent's {@code evbuffer_file_segment}): add parts of it to any
 * number of buffers with {@link EvBuffer#addFileSegment}; the file is closed (with {@link #CLOSE_ON_FREE}) and the
 * cleanup runs once the segment is closed and no buffer holds a part of it any more.
 * <p>
 * A buffer with {@link EvBuffer#FLAG_DRAINS_TO_FD} keeps the range in the file and sends it with sendfile; any other
 * buffer (or a segment with {@link #DISABLE_SENDFILE}) gets a copy of the bytes, read with pread when added
 * (libevent's read fallback; Panamax never maps files).
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
     * @param length bytes, or -1 for the rest of the file after {@code offset} (its size from
     *               {@code lseek(SEEK_END)}; libevent takes {@code fstat}'s whole size, which overshoots the end when
     *               {@code offset > 0}).
     * @param flags  {@link #CLOSE_ON_FREE}, {@link #DISABLE_MMAP}, {@link #DISABLE_SENDFILE}, {@link #DISABLE_LOCKING}.
     * @return the segment.
     * @throws IllegalArgumentException for a negative offset, a length below -1, a descriptor that is not open,
     *                                  or -1 for a descriptor whose size cannot be had (a pipe, a socket) or an
     *                                  offset past its end.
     */
    public static EvBufferFileSegment create(final int fd, final long offset, final long length, final int flags)
    {
        if (offset < 0 || length < -1)
        {
            throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
        }
        if (!ChainIo.isOpen(fd))
        {
            throw new IllegalArgumentException("file descriptor not open: " + fd);
        }
        long len = length;
        if (-1 == length)
        {
            final long size = ChainIo.fileSize(fd);
            if (size < 0 || offset > size)
            {
                throw new IllegalArgumentException("no rest of file after offset " + offset + " on fd " + fd +
                    (size < 0 ? ": " + Errno.name((int)-size) : " (size " + size + ")"));
            }
            len = size - offset;
        }
        return new EvBufferFileSegment(fd, offset, len, flags);
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
