package io.panamax;

import io.panamax.ffm.Errno;
import io.panamax.internal.buffer.ChainIo;

/**
 * Socket and pipe I/O of an {@link EvBuffer}: {@code read} (readv into chunk tails, sized as libevent without
 * its FIONREAD) and {@code writeAtmost} (writev, sendmsg to sockets, sendfile for file ranges).
 * <p>
 * <b>Thread-safety:</b> as {@link EvBuffer}: these run inside its public methods, under its lock when it has one.
 */
final class EvBufferIo
{
    private EvBufferIo()
    {
    }

    /** {@link EvBuffer#read}. */
    static long read(final EvBuffer buf, final int fd, final long howmuch)
    {
        buf.enter();
        try
        {
            if (buf.freezeEnd)
            {
                buf.lastErrno = Errno.EPERM;
                return -1;
            }
            final long n = howmuch >= 0 && howmuch < buf.maxRead ? howmuch : buf.maxRead;
            if (0 == n)
            {
                return 0;
            }
            final long rc = 0 != (buf.flags & EvBuffer.FLAG_NO_FIONREAD) ?
                ChainIo.read(buf.chains, fd, n) : ChainIo.readTrimmed(buf.chains, fd, n);
            if (rc < 0)
            {
                buf.lastErrno = (int)-rc;
                return -1;
            }
            if (rc > 0)
            {
                buf.invokeCallbacks();
            }
            return rc;
        }
        finally
        {
            buf.exit();
        }
    }

    /** {@link EvBuffer#writeAtmost}. */
    static long writeAtmost(final EvBuffer buf, final int fd, final long howmuch)
    {
        buf.enter();
        try
        {
            if (buf.freezeStart)
            {
                buf.lastErrno = Errno.EPERM;
                return -1;
            }
            final long total = buf.chains.totalLen;
            final long n = howmuch < 0 || howmuch > total ? total : howmuch;
            if (0 == n)
            {
                return 0;
            }
            final long rc = ChainIo.write(buf.chains, fd, n, buf.toSocket);
            if (rc < 0)
            {
                buf.lastErrno = (int)-rc;
                return -1;
            }
            if (rc > 0)
            {
                buf.chains.drain(rc);
                buf.invokeCallbacks();
            }
            return rc;
        }
        finally
        {
            buf.exit();
        }
    }
}
