package io.panamax.internal.buffer;

import java.lang.foreign.MemorySegment;

import io.panamax.ffm.Errno;
import io.panamax.ffm.FileIo;
import io.panamax.ffm.IovecDescriptor;
import io.panamax.ffm.Libc;
import io.panamax.ffm.MsghdrDescriptor;
import io.panamax.ffm.SendFile;
import io.panamax.ffm.Sockets;

/**
 * readv into the free tails of a chain list (read(2) when there is one tail) and writev (or, to a socket, sendmsg
 * with {@code MSG_NOSIGNAL}; send when there is one chain) from its front, with the iovec array, msghdr and
 * call-state segment of the calling thread's pool (allocated once per pool, never per call).
 * <p>
 * The read's chain and length arrays are the pool's too ({@link PoolScratch}): no per-buffer state, so a read touches
 * only memory every connection of the thread shares besides the buffer's own list.
 * <p>
 * <b>Thread-safety:</b> one call at a time per thread; the list is serialised by its buffer.
 */
public final class ChainIo
{
    /** libevent's {@code NUM_READ_IOVEC}: a read fills at most this many chain tails. */
    public static final int NUM_READ_IOVEC = 4;
    /** libevent's {@code NUM_WRITE_IOVEC}: a write gathers at most this many chains. */
    public static final int NUM_WRITE_IOVEC = Math.min(ChunkPool.IOV_ENTRIES, IovecDescriptor.IOV_MAX);

    private ChainIo()
    {
    }

    /**
     * How many bytes a read of {@code fd} would return now ({@code ioctl(FIONREAD)}), as libevent's
     * {@code get_n_bytes_readable_on_socket}.
     *
     * @param list the list (for its pool's scratch and call state).
     * @param fd   the descriptor.
     * @return the count, or {@code -errno}.
     */
    public static int readable(final ChainList list, final int fd)
    {
        final ChunkPool pool = list.pool().forCurrentThread();
        return Libc.ioctlFionread(callState(pool), fd, pool.scratch().out());
    }

    /**
     * Read at most {@code howmuch} bytes into up to {@link #NUM_READ_IOVEC} chain tails with one readv.
     *
     * @param list    the list to fill.
     * @param fd      the descriptor.
     * @param howmuch bytes at most, positive.
     * @return bytes read, 0 at end of file, {@code -errno} on failure ({@code -ENOMEM} when the pool refused).
     */
    public static long read(final ChainList list, final int fd, final long howmuch)
    {
        if (ChainSpace.expandFast(list, howmuch, NUM_READ_IOVEC) < 0)
        {
            return -Errno.ENOMEM;
        }
        return readv(list, fd, howmuch);
    }

    /**
     * libevent's read sizing without its {@code ioctl(FIONREAD)}: reserve {@code cap} bytes, read, then give back
     * what a reservation sized by FIONREAD would not have taken. The bytes read are the same either way (a read
     * returns at most what is waiting); only the reservation differs, and the trim makes it libevent's again: a
     * fresh chain nothing reached is freed, one that got fewer bytes than a smaller chunk holds moves them into
     * that chunk. A read that fills {@code cap} needs no trim, and that is the busy stream's common case. When
     * the pool refuses {@code cap}, the read is sized by FIONREAD as in libevent.
     *
     * @param list the list to fill.
     * @param fd   the descriptor.
     * @param cap  bytes at most, positive: {@code min(howmuch, maxRead)}.
     * @return bytes read, 0 at end of file, {@code -errno} on failure ({@code -ENOMEM} when the pool refused).
     */
    public static long readTrimmed(final ChainList list, final int fd, final long cap)
    {
        final Chain lastBefore = list.last;
        final Chain lastWithDataBefore = list.lastWithData;
        if (ChainSpace.expandFast(list, cap, NUM_READ_IOVEC) < 0)
        {
            final long waiting = readable(list, fd);
            if (waiting <= 0 || waiting >= cap)
            {
                return -Errno.ENOMEM;
            }
            return read(list, fd, waiting);
        }
        final Chain fresh = list.last != lastBefore ? list.last : null;
        final long rc = readv(list, fd, cap);
        if (null != fresh && rc < cap)
        {
            ChainSpace.trimFresh(list, fresh, lastWithDataBefore);
        }
        return rc;
    }

    private static long readv(final ChainList list, final int fd, final long howmuch)
    {
        final ChunkPool pool = list.pool().forCurrentThread();
        Chain tail = list.lastWithData;
        long space = tail.spaceLen();
        if (0 == space)
        {
            tail = tail.next;
            space = tail.spaceLen();
        }
        if (space >= howmuch || null == tail.next)
        {
            // One tail (the common case: a fresh chunk of the cap, or the room left in the last chunk): read(2)
            // straight into it, with no iovec to fill and none for the kernel to copy in, and none of the vectors
            // setupVecs and distribute share (the same steps for one chain).
            final long rc = Libc.readToAddress(callState(pool), fd, tail.memory.address() + tail.end(),
                Math.min(space, howmuch));
            if (rc > 0)
            {
                tail.off += rc;
                if (list.lastWithData != tail)
                {
                    // Only when it moves: a reference store into the list costs a GC barrier (G1's card check).
                    list.lastWithData = tail;
                }
                list.totalLen += rc;
                list.nAddForCb += rc;
                list.version++;
            }
            return rc;
        }
        final PoolScratch scratch = pool.scratch();
        final Chain[] chains = scratch.readChains;
        final long[] lengths = scratch.readLengths;
        final int n = ChainSpace.setupVecs(list, howmuch, chains, lengths, NUM_READ_IOVEC, true);
        final MemorySegment iov = scratch.iov(IovecDescriptor.LENGTH);
        for (int i = 0; i < n; i++)
        {
            final Chain chain = chains[i];
            IovecDescriptor.set(iov, i, chain.memory.address() + chain.end(), lengths[i]);
        }
        final long rc = Libc.readv(callState(pool), fd, iov, n);
        if (rc > 0)
        {
            ChainSpace.distribute(list, chains, n, rc);
        }
        return rc;
    }

    /**
     * Write up to {@code howmuch} bytes from the front, gathering up to {@link #NUM_WRITE_IOVEC} chains into one
     * writev, or sending the first chain with sendfile when it is a file segment (the gathering stops before a
     * file segment, as in libevent). Does not drain: the caller drains what was written.
     * <p>
     * With {@code socket} the gathered chains go out with one {@code sendmsg(MSG_NOSIGNAL)} instead of writev (one
     * chain with {@code send(MSG_NOSIGNAL)}, which spares the kernel the msghdr and iovec copy-in), so a
     * peer that is gone gives EPIPE/ECONNRESET without raising SIGPIPE (Linux; macOS sockets carry
     * {@code SO_NOSIGPIPE}); an fd that turns out not to be a socket ({@code ENOTSOCK}) is written with writev. A
     * file segment goes out with {@link SendFile#sendfileNoSigpipe}, which blocks SIGPIPE around the call.
     *
     * @param list    the list.
     * @param fd      the descriptor.
     * @param howmuch bytes at most, {@code 0 < howmuch <= totalLen}.
     * @param socket  true when {@code fd} is a socket (use sendmsg).
     * @return bytes written or {@code -errno} ({@code -EFAULT} when referenced memory was already freed).
     */
    public static long write(final ChainList list, final int fd, final long howmuch, final boolean socket)
    {
        final Chain first = list.first;
        if (socket && first.off >= howmuch && 0 == (first.flags & Chain.SENDFILE) && first.memory.scope().isAlive())
        {
            // All of it from the first chunk (an echo's usual output): send(2) from its address, with no iovec to
            // fill nor msghdr for the kernel to copy in, and small enough to be inlined into the caller.
            final ChunkPool pool = list.pool().forCurrentThread();
            final long address = first.memory.address() + first.misalign;
            final long rc = Sockets.sendFromAddress(callState(pool), fd, address, howmuch, 0);
            return -Errno.ENOTSOCK != rc ? rc : writeOne(pool, fd, address, howmuch);
        }
        return gather(list, fd, howmuch, socket);
    }

    /** {@link #write} of one range to a descriptor that is not a socket after all. */
    private static long writeOne(final ChunkPool pool, final int fd, final long address, final long length)
    {
        final MemorySegment iov = pool.scratch().iov(IovecDescriptor.LENGTH);
        IovecDescriptor.set(iov, 0, address, length);
        return Libc.writev(callState(pool), fd, iov, 1);
    }

    /** {@link #write} of more than the first chain, of a file segment, or to a descriptor that is not a socket. */
    private static long gather(final ChainList list, final int fd, final long howmuch, final boolean socket)
    {
        final ChunkPool pool = list.pool().forCurrentThread();
        final MemorySegment iov = pool.scratch().iov(IovecDescriptor.LENGTH);
        int i = 0;
        long left = howmuch;
        long firstAddress = 0;
        long firstLength = 0;
        for (Chain chain = list.first; null != chain && i < NUM_WRITE_IOVEC && left > 0; chain = chain.next)
        {
            final long off = chain.off;
            if (0 == off)
            {
                continue;
            }
            if (0 != (chain.flags & Chain.SENDFILE))
            {
                if (0 == i)
                {
                    return socket ?
                        SendFile.sendfileNoSigpipe(callState(pool), fd, chain.chunk.fileFd(), chain.misalign,
                            Math.min(off, left), pool.scratch().sendfile(SendFile.NOSIGPIPE_SCRATCH_LENGTH)) :
                        SendFile.sendfile(callState(pool), fd, chain.chunk.fileFd(), chain.misalign,
                            Math.min(off, left), pool.scratch().out());
                }
                break;
            }
            final MemorySegment memory = chain.memory;
            if (!memory.scope().isAlive())
            {
                if (0 == i)
                {
                    return -Errno.EFAULT;
                }
                break;
            }
            final long len = Math.min(off, left);
            final long address = memory.address() + chain.misalign;
            if (0 == i)
            {
                firstAddress = address;
                firstLength = len;
            }
            IovecDescriptor.set(iov, i++, address, len);
            left -= len;
        }
        if (0 == i)
        {
            return 0;
        }
        if (socket && 1 == i)
        {
            // One chunk to send (the first was empty, or it was not alive): send(2) from its address. The iovec
            // entry is already written for the writev that ENOTSOCK falls back to.
            final long rc = Sockets.sendFromAddress(callState(pool), fd, firstAddress, firstLength, 0);
            if (-Errno.ENOTSOCK != rc)
            {
                return rc;
            }
        }
        else if (socket)
        {
            final MemorySegment msghdr = pool.scratch().msghdr(MsghdrDescriptor.LENGTH);
            MsghdrDescriptor.iov(msghdr, iov, i);
            final long rc = Sockets.sendmsg(callState(pool), fd, msghdr, Sockets.MSG_NOSIGNAL);
            if (-Errno.ENOTSOCK != rc)
            {
                return rc;
            }
        }
        return Libc.writev(callState(pool), fd, iov, i);
    }

    /**
     * Append {@code length} bytes of a file read at {@code offset} with pread (the descriptor's position is left
     * alone), in as many reads as it takes.
     *
     * @param list   the list to fill.
     * @param fd     a regular file.
     * @param offset where in the file.
     * @param length bytes, not negative.
     * @return bytes appended (fewer than {@code length} when the file ended first), or {@code -errno}
     *         ({@code -ENOMEM} when the pool refused); bytes read before a failure stay in the list.
     */
    public static long pread(final ChainList list, final int fd, final long offset, final long length)
    {
        final ChunkPool pool = list.pool().forCurrentThread();
        final Chain[] chains = pool.scratch().readChains;
        final long[] lengths = pool.scratch().readLengths;
        long done = 0;
        while (done < length)
        {
            final long want = Math.min(length - done, 1 << 20);
            if (ChainSpace.expandFast(list, want, 2) < 0)
            {
                return -Errno.ENOMEM;
            }
            ChainSpace.setupVecs(list, want, chains, lengths, 1, true);
            final Chain chain = chains[0];
            final long rc = FileIo.pread(callState(pool), fd, chain.memory.asSlice(chain.end(), lengths[0]),
                lengths[0], offset + done);
            if (rc <= 0)
            {
                return rc < 0 ? rc : done;
            }
            ChainSpace.distribute(list, chains, 1, rc);
            done += rc;
        }
        return done;
    }

    /**
     * @param fd a descriptor.
     * @return the size of the file it refers to, or {@code -errno} (ESPIPE for a pipe or socket).
     */
    public static long fileSize(final int fd)
    {
        return FileIo.size(callState(ChunkPool.threadDefault()), fd);
    }

    /**
     * Close a descriptor with the calling thread's call state (file segments' cleanup).
     *
     * @param fd the descriptor.
     * @return 0 or {@code -errno}.
     */
    public static int close(final int fd)
    {
        return Libc.close(callState(ChunkPool.threadDefault()), fd);
    }

    /**
     * @param fd a descriptor.
     * @return true when it is open ({@code fcntl(F_GETFD)} succeeds).
     */
    public static boolean isOpen(final int fd)
    {
        return fd >= 0 && Libc.fcntl(callState(ChunkPool.threadDefault()), fd, Libc.F_GETFD, 0) >= 0;
    }

    private static MemorySegment callState(final ChunkPool pool)
    {
        // Every caller got the pool from forCurrentThread or threadDefault: the owner thread.
        return pool.scratch().ownerCallState(Errno.CALL_STATE_LAYOUT.byteSize(),
            Errno.CALL_STATE_LAYOUT.byteAlignment());
    }
}
