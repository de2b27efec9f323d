package io.panamax;

import io.panamax.ffm.Errno;
import io.panamax.internal.buffer.ChainIo;
import io.panamax.internal.buffer.ChainMoves;
import io.panamax.internal.buffer.ChainRefs;

/**
 * File ranges for {@link EvBuffer}: {@code addFile} and {@code addFileSegment} (sendfile when the buffer
 * drains to a descriptor, else a pread copy) and the size of a file for length -1.
 * <p>
 * <b>Thread-safety:</b> as {@link EvBuffer}: these run inside its public methods, under its lock when it has one.
 */
final class EvBufferFiles
{
    private EvBufferFiles()
    {
    }

    /** {@link EvBuffer#addFile}. */
    static int addFile(final EvBuffer buf, final int fd, final long offset, final long length)
    {
        if (offset < 0 || length < -1)
        {
            ChainIo.close(fd);
            throw new IllegalArgumentException("negative offset or length: " + offset + ", " + length);
        }
        buf.enter();
        boolean owned = true;
        try
        {
            if (buf.freezeEnd || !ChainIo.isOpen(fd))
            {
                return -1;
            }
            final long len = fileRange(buf, fd, offset, length);
            if (len < 0)
            {
                return -1;
            }
            if (0 != (buf.flags & EvBuffer.FLAG_DRAINS_TO_FD))
            {
                if (0 == len)
                {
                    return 0;
                }
                ChainRefs.addFileSegment(buf.chains, fd, offset, len, (seg, n) -> ChainIo.close(fd));
                owned = false;
                buf.invokeCallbacks();
                return 0;
            }
            return readFile(buf, fd, offset, len);
        }
        finally
        {
            if (owned)
            {
                ChainIo.close(fd);
            }
            buf.exit();
        }
    }

    /** {@link EvBuffer#addFileSegment}. */
    static int addFileSegment(
        final EvBuffer buf, final EvBufferFileSegment segment, final long offset, final long length)
    {
        final long len = -1 == length ? segment.length() - offset : length;
        if (offset < 0 || len < 0 || offset + len > segment.length())
        {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside a segment of " +
                segment.length());
        }
        if (segment.isClosed())
        {
            throw new IllegalStateException("file segment closed");
        }
        buf.enter();
        try
        {
            if (buf.freezeEnd)
            {
                return -1;
            }
            if (0 == (buf.flags & EvBuffer.FLAG_DRAINS_TO_FD) ||
                0 != (segment.flags() & EvBufferFileSegment.DISABLE_SENDFILE))
            {
                return readFile(buf, segment.fd(), segment.offset() + offset, len);
            }
            if (0 != len)
            {
                ChainRefs.addSharedFileRange(buf.chains, segment.chunk, segment.offset() + offset, len);
                buf.invokeCallbacks();
            }
            return 0;
        }
        finally
        {
            buf.exit();
        }
    }

    /** For {@link EvBuffer}. */
    static int readFile(final EvBuffer buf, final int fd, final long offset, final long length)
    {
        try (EvBuffer tmp = new EvBuffer(buf.chains.pool()))
        {
            final long rc = ChainIo.pread(tmp.chains, fd, offset, length);
            if (rc != length)
            {
                buf.lastErrno = rc < 0 ? (int)-rc : 0;
                return -1;
            }
            tmp.chains.nAddForCb = 0;
            tmp.chains.nDelForCb = 0;
            if (tmp.chains.totalLen > 0)
            {
                ChainMoves.appendAll(buf.chains, tmp.chains);
            }
            buf.invokeCallbacks();
            return 0;
        }
    }

    /** For {@link EvBuffer}. */
    static long fileRange(final EvBuffer buf, final int fd, final long offset, final long length)
    {
        if (-1 != length)
        {
            return length;
        }
        final long size = ChainIo.fileSize(fd);
        if (size < 0)
        {
            buf.lastErrno = (int)-size;
            return -1;
        }
        if (offset > size)
        {
            buf.lastErrno = Errno.EINVAL;
            return -1;
        }
        return size - offset;
    }
}
