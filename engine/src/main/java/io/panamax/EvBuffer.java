package io.panamax;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import io.panamax.internal.buffer.Chain;
import io.panamax.internal.buffer.ChainChecks;
import io.panamax.internal.buffer.ChainList;
import io.panamax.internal.buffer.ChainRefs;
import io.panamax.internal.buffer.ChunkPool;

/**
 * libevent's {@code evbuffer}: bytes in a list of off-heap chunks, added at the back and removed from the front,
 * moved between buffers without copying, read from and written to file descriptors with one readv/writev.
 * <p>
 * Names are libevent's ({@code evbuffer_add_buffer} is {@link #addBuffer}); {@code evbuffer_readln} is
 * {@link #readLine}. Counts and {@code -1} are returned as in libevent; misuse (a closed buffer, negative lengths,
 * ranges outside an array, a stale {@link EvBufferPtr}) throws. Memory comes from a {@link BufferPool}: see there
 * how a buffer finds its pool, and the memory budget (when it is reached, growing calls return -1, and
 * {@link #read} returns -1 with {@link #lastErrno()} ENOMEM).
 * <p>
 * I/O: {@link #read} reads at most {@link #maxRead()} (4096 unless set) into at most 4 chunk tails with one readv,
 * reserving what libevent's {@code ioctl(FIONREAD)} sizing reserves without making that call;
 * {@link #write}/{@link #writeAtmost} gather up to 128 chunks into one writev (or send a leading file segment with
 * sendfile) and drain what was written. Failures, EAGAIN
 * included, are {@code -1} with the errno in {@link #lastErrno()}, never exceptions. The iovec array and the
 * call-state segment belong to the calling thread's pool: nothing is allocated per call.
 * <p>
 * Adding, draining, {@link #read} and {@link #write} allocate nothing once the pool is warm; {@link #readLine}
 * returning a String, {@link #pullup}, {@link #addPrintf} and the search variants that return a new
 * {@link EvBufferPtr} allocate their result; the variants taking a destination or a result object do not.
 * <p>
 * <b>Thread-safety:</b> not thread-safe by default: use a buffer from one thread at a time. After
 * {@link #enableLocking()} every call takes the buffer's recursive lock (also held while callbacks run), and
 * {@link #lock()}/{@link #unlock()} group calls. {@link #close()} may come from any thread that may use the buffer.
 */
public final class EvBuffer implements AutoCloseable
{
    /** {@code EVBUFFER_FLAG_DRAINS_TO_FD}: data leaves only by write, drain or whole moves (allows sendfile). */
    public static final int FLAG_DRAINS_TO_FD = 1;
    /**
     * Beyond libevent: keep the whole reservation of each {@link #read} ({@code howmuch} capped by
     * {@link #maxRead()}) instead of trimming it back to what arrived: no chunk is given back or swapped after a
     * short read, and the free space left is {@code maxRead} rather than what libevent would reserve.
     */
    public static final int FLAG_NO_FIONREAD = 0x100;
    /** {@code EVBUFFER_CB_ENABLED}: the callback runs. */
    public static final int CB_ENABLED = 1;
    /** {@code EVBUFFER_MAX_READ_DEFAULT}: bytes per {@link #read} unless {@link #setMaxRead} says otherwise. */
    public static final int MAX_READ_DEFAULT = 4096;
    /** Returned by the copying {@code readLine} variants when the line does not fit the destination. */
    public static final int LINE_TOO_LONG = -2;

    /** How {@link #ptrSet} moves a position (libevent's {@code enum evbuffer_ptr_how}). */
    public enum PtrHow
    {
        /** Set to an absolute offset. */
        SET,
        /** Advance by an offset. */
        ADD
    }

    private static final AtomicLong IDS = new AtomicLong();

    final long id = IDS.incrementAndGet();
    final ChainList chains;
    ReentrantLock lock;
    boolean closed;
    boolean freezeStart;
    boolean freezeEnd;
    int flags;
    long maxRead = MAX_READ_DEFAULT;
    int lastErrno;
    /** Set by a socket bufferevent on its output: {@link #write} uses sendmsg(MSG_NOSIGNAL), never SIGPIPE. */
    boolean toSocket;
    /**
     * The socket bufferevent whose output this is, or null: told of added bytes before the change callbacks run
     * (libevent's {@code bufferevent_socket_outbuf_cb}, as a direct call instead of a callback entry).
     */
    SocketBufferEvent outputOf;
    /** True while {@link #callbacks} holds an entry (kept by {@link EvBufferCallbacks}). */
    boolean hasCallbacks;
    final EvBufferCallbacks callbacks;

    /**
     * An empty buffer using the calling thread's default pool ({@link BufferPool#threadDefault()}).
     */
    public EvBuffer()
    {
        this(ChunkPool.threadDefault());
    }

    /**
     * An empty buffer using {@code pool}.
     *
     * @param pool where chunks come from when the calling thread owns it.
     */
    public EvBuffer(final BufferPool pool)
    {
        this(pool.chunkPool());
    }

    EvBuffer(final ChunkPool pool)
    {
        this.chains = new ChainList(pool);
        this.callbacks = new EvBufferCallbacks(this, chains);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Locking, closing

    void enter()
    {
        final ReentrantLock lock = this.lock;
        if (null != lock)
        {
            lock.lock();
        }
        if (closed)
        {
            if (null != lock)
            {
                lock.unlock();
            }
            throw new IllegalStateException("EvBuffer closed");
        }
    }

    void exit()
    {
        final ReentrantLock lock = this.lock;
        if (null != lock)
        {
            lock.unlock();
        }
    }

    /** Lock this and other in a global order (libevent's EVBUFFER_LOCK2). */
    void enter2(final EvBuffer other)
    {
        if (other == this)
        {
            enter();
            return;
        }
        if (id < other.id)
        {
            enter();
            try
            {
                other.enter();
            }
            catch (final RuntimeException ex)
            {
                exit();
                throw ex;
            }
        }
        else
        {
            other.enter();
            try
            {
                enter();
            }
            catch (final RuntimeException ex)
            {
                other.exit();
                throw ex;
            }
        }
    }

    void exit2(final EvBuffer other)
    {
        if (other != this)
        {
            other.exit();
        }
        exit();
    }

    /**
     * Free every chunk (running the cleanups of references; the one small chunk an emptied buffer keeps too, see
     * {@link BufferPool}) and make every later call throw. Idempotent.
     */
    @Override
    public void close()
    {
        final ReentrantLock lock = this.lock;
        if (null != lock)
        {
            lock.lock();
        }
        try
        {
            if (closed)
            {
                return;
            }
            closed = true;
            callbacks.clear();
            chains.freeAll();
            chains.freeSpare();
        }
        finally
        {
            if (null != lock)
            {
                lock.unlock();
            }
        }
    }

    /**
     * @return true once {@link #close()} ran.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Give the buffer a recursive lock taken by every call (libevent's {@code evbuffer_enable_locking} with a
     * NULL lock). Call it before the buffer is shared with another thread.
     *
     * @return 0, or -1 when locking was already enabled.
     */
    public int enableLocking()
    {
        return enableLocking(new ReentrantLock());
    }

    /**
     * Lock the buffer with {@code lock}, which may be shared with other objects (a thread-safe bufferevent shares
     * one lock with its two buffers, as in libevent). Call it before the buffer is shared with another thread.
     *
     * @param lock the lock.
     * @return 0, or -1 when locking was already enabled.
     */
    public int enableLocking(final ReentrantLock lock)
    {
        Objects.requireNonNull(lock, "lock");
        enter();
        try
        {
            if (null != this.lock)
            {
                return -1;
            }
            lock.lock();
            this.lock = lock;
            return 0;
        }
        finally
        {
            exit();
        }
    }

    /**
     * Take the buffer's lock, to group calls (a no-op when locking is not enabled).
     */
    public void lock()
    {
        final ReentrantLock lock = this.lock;
        if (null != lock)
        {
            lock.lock();
        }
    }

    /**
     * Release the lock taken by {@link #lock()}.
     */
    public void unlock()
    {
        final ReentrantLock lock = this.lock;
        if (null != lock)
        {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Size and settings

    /**
     * {@link #length()} for a bufferevent's own buffer on its loop path, under the bufferevent's lock (which is
     * the buffer's when it has one): no lock round trip, no closed check.
     */
    long lengthHeld()
    {
        return chains.totalLen;
    }

    /**
     * @return bytes in the buffer.
     */
    public long length()
    {
        enter();
        try
        {
            return chains.totalLen;
        }
        finally
        {
            exit();
        }
    }

    /**
     * @return bytes in the first chunk, readable without {@link #pullup} (0 when empty).
     */
    public long contiguousSpace()
    {
        enter();
        try
        {
            final Chain first = chains.first;
            return null == first ? 0 : first.off;
        }
        finally
        {
            exit();
        }
    }

    /**
     * Set flags ({@link #FLAG_DRAINS_TO_FD}, {@link #FLAG_NO_FIONREAD}).
     *
     * @param flags bits to set.
     * @return 0.
     */
    public int setFlags(final int flags)
    {
        enter();
        try
        {
            this.flags |= flags;
            return 0;
        }
        finally
        {
            exit();
        }
    }

    /**
     * Internal (the socket bufferevent): say that the fds this buffer is written to are sockets, so
     * {@link #write} sends with {@code sendmsg(MSG_NOSIGNAL)} rather than writev and a gone peer never raises
     * SIGPIPE. A non-socket fd is still written (with writev).
     *
     * @param socket true for sockets.
     */
    void writesToSocket(final boolean socket)
    {
        this.toSocket = socket;
    }

    /**
     * Clear flags.
     *
     * @param flags bits to clear.
     * @return 0.
     */
    public int clearFlags(final int flags)
    {
        enter();
        try
        {
            this.flags &= ~flags;
            return 0;
        }
        finally
        {
            exit();
        }
    }

    /**
     * @return the flags set.
     */
    public int flags()
    {
        return flags;
    }

    /**
     * Cap the bytes one {@link #read} takes (libevent 2.2's {@code evbuffer_set_max_read}).
     *
     * @param max bytes, 1 to {@link Integer#MAX_VALUE}.
     * @return 0, or -1 when out of range.
     */
    public int setMaxRead(final long max)
    {
        return EvBufferState.setMaxRead(this, max);
    }

    /**
     * @return the cap on bytes per {@link #read}.
     */
    public long maxRead()
    {
        return maxRead;
    }

    /**
     * @return the errno of the last {@link #read}, {@link #write} or {@link #writeAtmost} that returned -1.
     */
    public int lastErrno()
    {
        return lastErrno;
    }

    /**
     * Make later changes at the front ({@code atFront}) or at the back fail (libevent's {@code evbuffer_freeze}).
     *
     * @param atFront true for the front (removing, draining, prepending, writing), false for the back (adding,
     *                reading).
     * @return 0.
     */
    public int freeze(final boolean atFront)
    {
        return EvBufferState.freeze(this, atFront);
    }

    /**
     * Undo {@link #freeze}.
     *
     * @param atFront the side.
     * @return 0.
     */
    public int unfreeze(final boolean atFront)
    {
        return EvBufferState.unfreeze(this, atFront);
    }

    /**
     * @param atFront the side.
     * @return true when that side is frozen.
     */
    public boolean isFrozen(final boolean atFront)
    {
        return atFront ? freezeStart : freezeEnd;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Adding

    /**
     * Append a copy of {@code data}.
     *
     * @param data the bytes.
     * @return 0, or -1 when the back is frozen or no memory could be had.
     */
    public int add(final byte[] data)
    {
        return EvBufferCopies.addCopy(this, data, null, 0, data.length);
    }

    /**
     * Append a copy of {@code data[offset, offset + length)}.
     *
     * @param data   the bytes.
     * @param offset first byte.
     * @param length bytes.
     * @return 0, or -1 when the back is frozen or no memory could be had.
     */
    public int add(final byte[] data, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, data.length);
        return EvBufferCopies.addCopy(this, data, null, offset, length);
    }

    /**
     * Append a copy of the segment's bytes.
     *
     * @param data the bytes.
     * @return 0, or -1 when the back is frozen or no memory could be had.
     */
    public int add(final MemorySegment data)
    {
        return EvBufferCopies.addCopy(this, null, data, 0, data.byteSize());
    }

    /**
     * Append a copy of the buffer's remaining bytes and advance its position (not on failure). A direct buffer is
     * viewed through a segment object (may allocate).
     *
     * @param data the bytes.
     * @return 0, or -1 when the back is frozen or no memory could be had.
     */
    public int add(final ByteBuffer data)
    {
        final int length = data.remaining();
        final int rc = data.hasArray() ?
            EvBufferCopies.addCopy(this, data.array(), null, data.arrayOffset() + data.position(), length) :
            EvBufferCopies.addCopy(this, null, MemorySegment.ofBuffer(data), 0, length);
        if (0 == rc)
        {
            data.position(data.position() + length);
        }
        return rc;
    }

    /**
     * Append several segments, sizing the space once (libevent 2.2's {@code evbuffer_add_iovec}).
     *
     * @param vec segments.
     * @param n   how many of them.
     * @return bytes added (fewer when memory ran out), or -1 when the back is frozen.
     */
    public long addIovec(final MemorySegment[] vec, final int n)
    {
        return EvBufferCopies.addIovec(this, vec, n);
    }

    /**
     * Append formatted text, UTF-8 ({@link String#format} with {@link Locale#ROOT}; allocates).
     *
     * @param format the format.
     * @param args   its arguments.
     * @return bytes added, or -1 when the back is frozen or no memory could be had.
     */
    public int addPrintf(final String format, final Object... args)
    {
        return EvBufferState.addPrintf(this, format, args);
    }

    /**
     * Insert a copy of {@code data} at the front.
     *
     * @param data the bytes.
     * @return 0, or -1 when the front is frozen or no memory could be had.
     */
    public int prepend(final byte[] data)
    {
        return EvBufferCopies.prependCopy(this, data, null, 0, data.length);
    }

    /**
     * Insert a copy of {@code data[offset, offset + length)} at the front.
     *
     * @param data   the bytes.
     * @param offset first byte.
     * @param length bytes.
     * @return 0, or -1 when the front is frozen or no memory could be had.
     */
    public int prepend(final byte[] data, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, data.length);
        return EvBufferCopies.prependCopy(this, data, null, offset, length);
    }

    /**
     * Insert a copy of the segment's bytes at the front.
     *
     * @param data the bytes.
     * @return 0, or -1 when the front is frozen or no memory could be had.
     */
    public int prepend(final MemorySegment data)
    {
        return EvBufferCopies.prependCopy(this, null, data, 0, data.byteSize());
    }

    /**
     * Append the caller's memory without copying; {@code cleanup} runs exactly once, when the last byte is gone
     * (drained, removed, or the buffer closed). The buffer never writes into it. The segment must stay alive until
     * then (a write from memory already freed fails with EFAULT rather than reading it).
     *
     * @param data    the bytes.
     * @param cleanup run once; {@link EvBufferRefCleanup#NONE} for nothing.
     * @return 0, or -1 when the back is frozen (the cleanup then does not run).
     * @throws IllegalArgumentException for a heap segment.
     */
    public int addReference(final MemorySegment data, final EvBufferRefCleanup cleanup)
    {
        return addReferenceWithOffset(data, 0, data.byteSize(), cleanup);
    }

    /**
     * Like {@link #addReference} for {@code data[offset, offset + length)}; the cleanup gets the whole segment and
     * {@code offset + length} (libevent 2.2's {@code evbuffer_add_reference_with_offset}).
     *
     * @param data    the memory.
     * @param offset  where the bytes start.
     * @param length  bytes.
     * @param cleanup run once.
     * @return 0, or -1 when the back is frozen.
     */
    public int addReferenceWithOffset(
        final MemorySegment data, final long offset, final long length, final EvBufferRefCleanup cleanup)
    {
        return EvBufferCopies.addReferenceWithOffset(this, data, offset, length, cleanup);
    }

    /**
     * Append {@code length} bytes of a file from {@code offset}; the buffer takes ownership of {@code fd} and
     * closes it even on failure (libevent's {@code evbuffer_add_file}). With {@link #FLAG_DRAINS_TO_FD} the range
     * stays in the file and {@link #write} sends it with sendfile (its bytes cannot be read from the buffer:
     * copying calls then throw); otherwise the bytes are read now with pread, at {@code offset} from the start of
     * the file whatever the descriptor's position (which is left alone), as libevent's read fallback.
     *
     * @param fd     a regular file open for reading.
     * @param offset where the range starts.
     * @param length bytes, or -1 for the rest of the file after {@code offset} (its size from
     *               {@code lseek(SEEK_END)}; libevent takes {@code fstat}'s whole size, which overshoots the end
     *               when {@code offset > 0}).
     * @return 0, or -1 when the back is frozen, {@code fd} is not open, its size cannot be had for -1
     *         ({@link #lastErrno()} ESPIPE for a pipe or socket), or the file is shorter than the range.
     * @throws IllegalArgumentException for a negative offset or a length below -1 ({@code fd} is closed).
     */
    public int addFile(final int fd, final long offset, final long length)
    {
        return EvBufferFiles.addFile(this, fd, offset, length);
    }

    /**
     * Append {@code length} bytes of a file segment from {@code offset} within it, sharing the segment (libevent's
     * {@code evbuffer_add_file_segment}). With {@link #FLAG_DRAINS_TO_FD}, unless the segment has
     * {@link EvBufferFileSegment#DISABLE_SENDFILE}, the range stays in the file and {@link #write} sends it with
     * sendfile; otherwise its bytes are read into the buffer now with pread (libevent's read fallback; Panamax
     * never maps files).
     *
     * @param segment the segment, not closed.
     * @param offset  where the range starts, relative to the segment.
     * @param length  bytes, or -1 for the rest of the segment.
     * @return 0, or -1 when the back is frozen or the file could not be read (shorter than the range; the errno
     *         in {@link #lastErrno()}).
     * @throws IllegalArgumentException when the range is outside the segment.
     * @throws IllegalStateException when the segment is closed.
     */
    public int addFileSegment(final EvBufferFileSegment segment, final long offset, final long length)
    {
        return EvBufferFiles.addFileSegment(this, segment, offset, length);
    }

    /**
     * Make sure {@code size} bytes can be appended to one chunk without a new allocation
     * (libevent's {@code evbuffer_expand}).
     *
     * @param size bytes, not negative.
     * @return 0, or -1 when no memory could be had (also above the largest chunk, 64 MiB).
     */
    public int expand(final long size)
    {
        return EvBufferState.expand(this, size);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Removing

    /**
     * Drop bytes from the front.
     *
     * @param length bytes, not negative; more than the length empties the buffer.
     * @return 0, or -1 when the front is frozen (and the buffer not empty).
     */
    public int drain(final long length)
    {
        return EvBufferState.drain(this, length);
    }

    /**
     * Copy up to {@code dst.length} bytes out and drain them.
     *
     * @param dst where to copy.
     * @return bytes removed, or -1 when the front is frozen.
     */
    public int remove(final byte[] dst)
    {
        return (int)EvBufferCopies.removeCopy(this, dst, null, 0, dst.length, true);
    }

    /**
     * Copy up to {@code length} bytes into {@code dst[offset...]} and drain them.
     *
     * @param dst    where to copy.
     * @param offset first byte to write.
     * @param length bytes at most.
     * @return bytes removed, or -1 when the front is frozen.
     */
    public int remove(final byte[] dst, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, dst.length);
        return (int)EvBufferCopies.removeCopy(this, dst, null, offset, length, true);
    }

    /**
     * Copy up to {@code dst.byteSize()} bytes out and drain them.
     *
     * @param dst where to copy.
     * @return bytes removed, or -1 when the front is frozen.
     */
    public long remove(final MemorySegment dst)
    {
        return EvBufferCopies.removeCopy(this, null, dst, 0, dst.byteSize(), true);
    }

    /**
     * Copy up to {@code dst.remaining()} bytes out, drain them and advance the position.
     *
     * @param dst where to copy.
     * @return bytes removed, or -1 when the front is frozen.
     */
    public int remove(final ByteBuffer dst)
    {
        return (int)EvBufferCopies.copyToByteBuffer(this, dst, true);
    }

    /**
     * Copy up to {@code dst.length} bytes out without draining.
     *
     * @param dst where to copy.
     * @return bytes copied (the length when shorter), or -1 when the front is frozen.
     */
    public int copyout(final byte[] dst)
    {
        return (int)EvBufferCopies.removeCopy(this, dst, null, 0, dst.length, false);
    }

    /**
     * Copy up to {@code length} bytes into {@code dst[offset...]} without draining.
     *
     * @param dst    where to copy.
     * @param offset first byte to write.
     * @param length bytes at most.
     * @return bytes copied, or -1 when the front is frozen.
     */
    public int copyout(final byte[] dst, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, dst.length);
        return (int)EvBufferCopies.removeCopy(this, dst, null, offset, length, false);
    }

    /**
     * Copy up to {@code dst.byteSize()} bytes out without draining.
     *
     * @param dst where to copy.
     * @return bytes copied, or -1 when the front is frozen.
     */
    public long copyout(final MemorySegment dst)
    {
        return EvBufferCopies.removeCopy(this, null, dst, 0, dst.byteSize(), false);
    }

    /**
     * Copy up to {@code dst.remaining()} bytes out without draining, advancing the position.
     *
     * @param dst where to copy.
     * @return bytes copied, or -1 when the front is frozen.
     */
    public int copyout(final ByteBuffer dst)
    {
        return (int)EvBufferCopies.copyToByteBuffer(this, dst, false);
    }

    /**
     * Copy up to {@code length} bytes starting at {@code pos} into {@code dst[offset...]}, without draining
     * (libevent's {@code evbuffer_copyout_from}).
     *
     * @param pos    where to start; null for the front.
     * @param dst    where to copy.
     * @param offset first byte to write.
     * @param length bytes at most.
     * @return bytes copied, or -1 when the front is frozen.
     */
    public int copyoutFrom(final EvBufferPtr pos, final byte[] dst, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, dst.length);
        return (int)EvBufferCopies.copyFrom(this, pos, dst, null, offset, length);
    }

    /**
     * Copy up to {@code dst.byteSize()} bytes starting at {@code pos}, without draining.
     *
     * @param pos where to start; null for the front.
     * @param dst where to copy.
     * @return bytes copied, or -1 when the front is frozen.
     */
    public long copyoutFrom(final EvBufferPtr pos, final MemorySegment dst)
    {
        return EvBufferCopies.copyFrom(this, pos, null, dst, 0, dst.byteSize());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Moving between buffers

    /**
     * Move every byte of {@code src} to the end of this buffer without copying; {@code src} ends empty.
     *
     * @param src the source.
     * @return 0, or -1 when this buffer's back or src's front is frozen.
     */
    public int addBuffer(final EvBuffer src)
    {
        return EvBufferMoves.addBuffer(this, src);
    }

    /**
     * Move every byte of {@code src} to the front of this buffer without copying; {@code src} ends empty.
     *
     * @param src the source.
     * @return 0, or -1 when this buffer's or src's front is frozen.
     */
    public int prependBuffer(final EvBuffer src)
    {
        return EvBufferMoves.prependBuffer(this, src);
    }

    /**
     * Move up to {@code length} bytes from this buffer to the end of {@code dst}: whole chunks move, only the
     * chunk that is split is copied.
     *
     * @param dst    the destination.
     * @param length bytes at most, not negative.
     * @return bytes moved, or -1 when this buffer's front or dst's back is frozen.
     */
    public long removeBuffer(final EvBuffer dst, final long length)
    {
        return EvBufferMoves.removeBuffer(this, dst, length);
    }

    /**
     * Append {@code src}'s bytes to this buffer without copying or draining src: both share the chunks, which
     * become read-only, and are freed when the last buffer lets go (libevent's
     * {@code evbuffer_add_buffer_reference}).
     *
     * @param src the source.
     * @return 0 (also when src is empty), or -1 when this buffer's back is frozen, {@code src == this}, or src
     *         itself holds shared chunks (no nesting).
     */
    public int addBufferReference(final EvBuffer src)
    {
        return EvBufferMoves.addBufferReference(this, src);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Zero-copy views

    /**
     * Make the first {@code size} bytes contiguous, copying when needed.
     *
     * @param size bytes, or -1 for all.
     * @return a view of them (valid until the buffer changes), or null when {@code size} is 0, exceeds the
     *         length, or no memory could be had.
     */
    public MemorySegment pullup(final long size)
    {
        return EvBufferViews.pullup(this, size);
    }

    /**
     * Describe the readable bytes without copying (libevent's {@code evbuffer_peek}).
     *
     * @param length bytes to cover, or -1 for all.
     * @param start  where to start, or null for the front.
     * @param vecs   receives up to its capacity extents; may be null to only count.
     * @return extents needed to cover {@code length} (may exceed what {@code vecs} holds).
     */
    public int peek(final long length, final EvBufferPtr start, final EvBufferIovec vecs)
    {
        return EvBufferViews.peek(this, length, start, vecs);
    }

    /**
     * Expose at least {@code size} writable bytes at the back in at most {@code nvecs} extents
     * (libevent's {@code evbuffer_reserve_space}); reserving again before committing returns the same space.
     *
     * @param size  bytes, not negative.
     * @param vecs  receives the extents.
     * @param nvecs extents allowed, 1 to the holder's capacity.
     * @return extents used, or -1 when the back is frozen, {@code nvecs < 1} or no memory could be had.
     */
    public int reserveSpace(final long size, final EvBufferIovec vecs, final int nvecs)
    {
        return EvBufferViews.reserveSpace(this, size, vecs, nvecs);
    }

    /**
     * Make the first {@code n} reserved extents readable, with the lengths they now have
     * (libevent's {@code evbuffer_commit_space}).
     *
     * @param vecs the holder {@link #reserveSpace} filled.
     * @param n    extents to commit.
     * @return 0, or -1 when the back is frozen or the extents do not match the reservation.
     */
    public int commitSpace(final EvBufferIovec vecs, final int n)
    {
        return EvBufferViews.commitSpace(this, vecs, n);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Positions, searching, lines

    /**
     * Set or advance a position (libevent's {@code evbuffer_ptr_set}); valid positions are 0 to the length.
     *
     * @param ptr      the position.
     * @param position offset (SET) or distance (ADD), not negative.
     * @param how      {@link PtrHow#SET} or {@link PtrHow#ADD}.
     * @return 0, or -1 (with {@code ptr.pos() == -1}) when the result would be past the end.
     */
    public int ptrSet(final EvBufferPtr ptr, final long position, final PtrHow how)
    {
        return EvBufferPositions.ptrSet(this, ptr, position, how);
    }

    /**
     * Find {@code what} at or after {@code start}.
     *
     * @param what  the bytes, not empty.
     * @param start where to start, or null for the front.
     * @return a new position, {@code pos() == -1} when not found.
     */
    public EvBufferPtr search(final byte[] what, final EvBufferPtr start)
    {
        final EvBufferPtr result = new EvBufferPtr();
        searchRange(what, start, null, result);
        return result;
    }

    /**
     * Find {@code what} at or after {@code start}, into {@code result} (no allocation).
     *
     * @param what   the bytes.
     * @param start  where to start, or null; may be {@code result} itself.
     * @param result receives the position.
     * @return the offset found, or -1.
     */
    public long search(final byte[] what, final EvBufferPtr start, final EvBufferPtr result)
    {
        return searchRange(what, start, null, result);
    }

    /**
     * Find {@code what} at or after {@code start}, ending at or before {@code end}.
     *
     * @param what  the bytes.
     * @param start where to start, or null.
     * @param end   the match must end at or before this position; null for no limit.
     * @return a new position, {@code pos() == -1} when not found.
     */
    public EvBufferPtr searchRange(final byte[] what, final EvBufferPtr start, final EvBufferPtr end)
    {
        final EvBufferPtr result = new EvBufferPtr();
        searchRange(what, start, end, result);
        return result;
    }

    /**
     * {@link #searchRange(byte[], EvBufferPtr, EvBufferPtr)} into {@code result} (no allocation).
     *
     * @param what   the bytes.
     * @param start  where to start, or null.
     * @param end    limit, or null.
     * @param result receives the position.
     * @return the offset found, or -1.
     */
    public long searchRange(final byte[] what, final EvBufferPtr start, final EvBufferPtr end, final EvBufferPtr result)
    {
        return EvBufferPositions.searchRange(this, what, start, end, result);
    }

    /**
     * Find the next end of line at or after {@code start}.
     *
     * @param start where to start, or null for the front.
     * @param style the end-of-line style.
     * @return a new position at the end of line, with its {@link EvBufferPtr#eolLength()}; pos -1 and length 0
     *         when none.
     */
    public EvBufferPtr searchEol(final EvBufferPtr start, final EolStyle style)
    {
        final EvBufferPtr result = new EvBufferPtr();
        searchEol(start, style, result);
        return result;
    }

    /**
     * {@link #searchEol(EvBufferPtr, EolStyle)} into {@code result} (no allocation).
     *
     * @param start  where to start, or null; may be {@code result} itself.
     * @param style  the end-of-line style.
     * @param result receives the position and {@link EvBufferPtr#eolLength()}.
     * @return the offset of the end of line, or -1.
     */
    public long searchEol(final EvBufferPtr start, final EolStyle style, final EvBufferPtr result)
    {
        return EvBufferPositions.searchEol(this, start, style, result);
    }

    /**
     * Remove one line and return it without its end of line, decoded as UTF-8 (libevent's
     * {@code evbuffer_readln}).
     *
     * @param style the end-of-line style.
     * @return the line, or null when there is no complete line or the front is frozen (buffer unchanged).
     */
    public String readLine(final EolStyle style)
    {
        final byte[] line = readLineBytes(style);
        return null == line ? null : new String(line, StandardCharsets.UTF_8);
    }

    /**
     * Remove one line and return its bytes without the end of line.
     *
     * @param style the end-of-line style.
     * @return the bytes, or null when there is no complete line or the front is frozen.
     */
    public byte[] readLineBytes(final EolStyle style)
    {
        return EvBufferPositions.readLineBytes(this, style);
    }

    /**
     * Remove one line into {@code dst[offset...]} without allocating.
     *
     * @param style  the end-of-line style.
     * @param dst    where to copy the line (without its end of line).
     * @param offset first byte to write.
     * @return the line's length; -1 when there is no complete line or the front is frozen; {@link #LINE_TOO_LONG}
     *         when it does not fit (the buffer is then unchanged).
     */
    public int readLine(final EolStyle style, final byte[] dst, final int offset)
    {
        Objects.checkIndex(offset, dst.length + 1);
        return (int)EvBufferPositions.readLineInto(this, style, dst, null, offset, dst.length - offset);
    }

    /**
     * Remove one line into {@code dst} without allocating.
     *
     * @param style the end-of-line style.
     * @param dst   where to copy the line.
     * @return as {@link #readLine(EolStyle, byte[], int)}.
     */
    public long readLine(final EolStyle style, final MemorySegment dst)
    {
        return EvBufferPositions.readLineInto(this, style, null, dst, 0, dst.byteSize());
    }

    /** The position the readLine calls search with (made on first use by EvBufferPositions.lineScratch). */
    EvBufferPtr lineScratch;

    // ---------------------------------------------------------------------------------------------------------
    // I/O

    /**
     * Read from {@code fd} into at most 4 chunk tails with one readv, at most {@code howmuch} capped by
     * {@link #maxRead()}. libevent first asks {@code ioctl(FIONREAD)} how much is waiting and reserves that much;
     * a read returns the same bytes without asking, so this one reserves the cap, reads, and then gives back what
     * libevent would not have reserved (a fresh chunk nothing reached; a fresh chunk larger than its bytes need
     * is swapped for one of their size class, moving them). The memory held afterwards is libevent's, and there
     * is one syscall fewer per read. When the pool refuses the cap, the read is sized by FIONREAD as in libevent.
     *
     * @param fd      a descriptor (non-blocking for event-driven use).
     * @param howmuch bytes at most; negative for {@link #maxRead()}.
     * @return bytes read, 0 at end of file, or -1 with {@link #lastErrno()} set (EAGAIN included; ENOMEM when
     *         the pool refused memory). -1 too when the back is frozen.
     */
    public long read(final int fd, final long howmuch)
    {
        return EvBufferIo.read(this, fd, howmuch);
    }

    /**
     * Write as much as the descriptor takes with one writev of up to 128 chunks, and drain what was written.
     *
     * @param fd a descriptor.
     * @return bytes written, or -1 with {@link #lastErrno()} set (also when the front is frozen).
     */
    public long write(final int fd)
    {
        return writeAtmost(fd, -1);
    }

    /**
     * Like {@link #write} for at most {@code howmuch} bytes.
     *
     * @param fd      a descriptor.
     * @param howmuch bytes at most; negative for all.
     * @return bytes written, or -1 with {@link #lastErrno()} set.
     */
    public long writeAtmost(final int fd, final long howmuch)
    {
        return EvBufferIo.writeAtmost(this, fd, howmuch);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Callbacks

    /**
     * Add a change callback, enabled (libevent's {@code evbuffer_add_cb}).
     *
     * @param callback the callback.
     * @return its handle.
     */
    public EvBufferCbEntry addCb(final EvBufferCallback callback)
    {
        return callbacks.addLocked(callback);
    }

    /**
     * Remove a callback by its handle (libevent's {@code evbuffer_remove_cb_entry}).
     *
     * @param entry the handle.
     * @return 0, or -1 when it is not a callback of this buffer (any more).
     */
    public int removeCbEntry(final EvBufferCbEntry entry)
    {
        return callbacks.removeEntryLocked(entry);
    }

    /**
     * Remove the most recently added callback that is {@code callback} (libevent's {@code evbuffer_remove_cb}).
     *
     * @param callback the callback given to {@link #addCb}.
     * @return 0, or -1 when no such callback.
     */
    public int removeCb(final EvBufferCallback callback)
    {
        return callbacks.removeLocked(callback);
    }

    /**
     * Set flags on a callback ({@link #CB_ENABLED} enables it).
     *
     * @param entry the handle.
     * @param flags bits to set.
     * @return 0.
     */
    public int cbSetFlags(final EvBufferCbEntry entry, final int flags)
    {
        return callbacks.setFlagsLocked(entry, flags, true);
    }

    /**
     * Clear flags on a callback (clearing {@link #CB_ENABLED} disables it: it misses the changes meanwhile).
     *
     * @param entry the handle.
     * @param flags bits to clear.
     * @return 0.
     */
    public int cbClearFlags(final EvBufferCbEntry entry, final int flags)
    {
        return callbacks.setFlagsLocked(entry, flags, false);
    }

    /**
     * Run this buffer's callbacks from {@code base}'s deferred queue, after the active events of an iteration,
     * instead of right after each change (libevent's {@code evbuffer_defer_callbacks}). The info then covers
     * every change since the callbacks last ran. Changes made on another thread reach the loop through
     * {@link EventBase#execute}.
     *
     * @param base the base whose loop runs the callbacks.
     * @return 0.
     */
    public int deferCallbacks(final EventBase base)
    {
        return callbacks.deferLocked(base);
    }

    void invokeCallbacks()
    {
        final ChainList chains = this.chains;
        final SocketBufferEvent owner = outputOf;
        if (null != owner && chains.nAddForCb > 0)
        {
            owner.outputAdded();
        }
        if (hasCallbacks)
        {
            callbacks.invoke();
        }
        else
        {
            // No entry to tell (what invoke() would find, without reading the callbacks object): reset the counters.
            chains.nAddForCb = 0;
            chains.nDelForCb = 0;
        }
    }

    ReentrantLock currentLock()
    {
        return lock;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Checks

    /** File segments have no bytes in memory: copying or scanning calls refuse them. */
    void checkNoFileSegment()
    {
        if (chains.mayHoldFiles && ChainRefs.hasFileSegment(chains))
        {
            throw new IllegalStateException(
                "buffer holds a file segment (DRAINS_TO_FD): its bytes leave only by write, drain or whole moves");
        }
    }

    static void checkLength(final long length)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("negative length: " + length);
        }
    }

    ChainList chains()
    {
        return chains;
    }

    /**
     * Check the chain invariants (libevent's {@code evbuffer_validate_}); for tests and debugging.
     *
     * @throws IllegalStateException naming the broken invariant.
     */
    public void validate()
    {
        enter();
        try
        {
            final String problem = ChainChecks.validate(chains);
            if (null != problem)
            {
                throw new IllegalStateException("EvBuffer invariant broken: " + problem);
            }
        }
        finally
        {
            exit();
        }
    }

    @Override
    public String toString()
    {
        return "EvBuffer[length=" + (closed ? "closed" : Long.toString(chains.totalLen)) + "]";
    }
}
