package io.panamax;

import io.panamax.internal.loop.Loop;

import java.lang.foreign.MemorySegment;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * libevent's {@code bufferevent}: an fd (or, later, a partner or a filter) with an input and an output
 * {@link EvBuffer}, read and write events, watermarks, idle timeouts and callbacks. The user reads from
 * {@link #input()} and writes to {@link #output()} and never touches the fd.
 * <p>
 * A new bufferevent has only {@link Ev#WRITE} enabled: reading must be enabled with {@link #enable(int)}.
 * "Enabled" (what the user asked for) is kept apart from "suspended" (watermark, rate limit, connecting, lookup):
 * a direction is polled only when enabled and not suspended. The input's back and the output's front are frozen
 * against the user: only the bufferevent fills the input and drains the output.
 * <p>
 * Reading: on readable, read at most {@code high − inputLength} (when a read high watermark is set; at or above
 * it reading is suspended until the user drains), at most {@link #getMaxSingleRead()} and at most what a rate limit
 * allows ({@link #setRateLimit}) with one readv; EOF gives {@code READING|EOF}, an error {@code READING|ERROR}
 * (with {@link #socketError()}); EAGAIN/EINTR are silent. The read callback runs when the input holds at least the
 * low watermark. When the buffer pool's memory budget is spent ({@link BufferPool#limitBytes()}), reading is
 * suspended, not failed, and tried again every 10 ms. A read callback that leaves the input at or above the high
 * watermark is not re-run in a loop (libevent #891): when the user later drains it below the high watermark and at
 * least the low one is left, the read callback runs once more (deferred), so bytes in memory are never left
 * undelivered.
 * <p>
 * Writing (beyond libevent, which always waits one loop turn for writability): data added to the output on the loop
 * thread is written within the same loop iteration, never inside the add call itself: when the bufferevent's own
 * callback that added it (read, write, event, deferred) returns, or else after the iteration's active events. Only
 * what the socket did not take arms the write event; then one write of at most {@link #getMaxSingleWrite()} per
 * writable (a gathering {@code sendmsg} with {@code MSG_NOSIGNAL} on a socket, writev otherwise), and polling stops
 * when the output is empty. Output added from another thread is written by the loop the same way. The write
 * callback follows libevent's {@code bufferevent_writecb} rule {@code (res || !connected) && length <= lowWatermark}:
 * it runs when the output is at or below the write low watermark after a write that moved bytes, or after a
 * writable event with nothing to write; on the writable event that completes a connect it runs only if that event
 * also wrote bytes (a connect with an empty output gives {@code CONNECTED} and no write callback). Errors give
 * {@code WRITING|ERROR} and disable writing; a vanished peer never raises SIGPIPE (Linux: {@code MSG_NOSIGNAL};
 * macOS: {@code SO_NOSIGPIPE}).
 * <p>
 * Deferred callbacks ({@link BevOpt#DEFER_CALLBACKS}) run from the base's deferred queue after the active events,
 * in libevent's order (CONNECTED, read, write, the other event bits OR-ed together). Whether one runs is decided
 * at delivery: a callback set to null meanwhile does not run, and a read notification is dropped by
 * {@link #disable disable(READ)} (see there).
 * <p>
 * Renames beyond the naming rule: {@code bufferevent_setcb} is {@link #setCallbacks}, {@code bufferevent_getcb}
 * is {@link #readCallback()}/{@link #writeCallback()}/{@link #eventCallback()}, {@code bufferevent_socket_connect}
 * is {@link #connect}, {@code bufferevent_socket_connect_hostname} is {@link #connectHostname},
 * {@code bufferevent_socket_get_dns_error} is {@link #dnsError()}, {@code bufferevent_get_enabled} is
 * {@link #enabled()}, {@code bufferevent_free} is {@link #close()}.
 * <p>
 * <b>Thread-safety:</b> used on the thread of its base (checked for the operations that touch the loop). With
 * {@link BevOpt#THREADSAFE}, one recursive lock guards the bufferevent and both buffers, so other threads may
 * write, read, enable and close it; work that needs the loop is handed to it ({@link EventBase#execute}), and the
 * bufferevent is freed on the loop thread when the last reference ({@link #incref()}/{@link #decref()}) is gone.
 */
public abstract sealed class BufferEvent implements AutoCloseable permits SocketBufferEvent
{
    /** libevent's default for {@link #setMaxSingleRead} and {@link #setMaxSingleWrite}. */
    public static final long MAX_SINGLE_DEFAULT = 16384;

    static final int SUSPEND_WM = 0x01;
    static final int SUSPEND_BW = 0x02;
    static final int SUSPEND_BW_GROUP = 0x04;
    static final int SUSPEND_LOOKUP = 0x08;
    static final int SUSPEND_MEMORY = 0x40;
    private static final int ALL_OPTIONS =
        BevOpt.CLOSE_ON_FREE | BevOpt.THREADSAFE | BevOpt.DEFER_CALLBACKS | BevOpt.UNLOCK_CALLBACKS;

    final EventBase base;
    final Loop loop;
    final int options;
    final EvBuffer input;
    final EvBuffer output;
    final ReentrantLock lock;
    final BevCallbacks callbacks;
    private final BevWatermarks watermarks;
    private final BevClosing closer;

    BevDataCallback readCb;
    BevDataCallback writeCb;
    BevEventCallback eventCb;
    int enabled = Ev.WRITE;
    int readSuspended;
    int writeSuspended;
    long wmReadLow;
    long wmReadHigh;
    long wmWriteLow;
    long wmWriteHigh;
    long readTimeoutNs = -1;
    long writeTimeoutNs = -1;
    long maxSingleRead = MAX_SINGLE_DEFAULT;
    long maxSingleWrite = MAX_SINGLE_DEFAULT;
    int socketError;
    BevRateLimit rateLimit;
    boolean closing;
    boolean closeWhenFlushed;
    boolean released;
    int refcnt = 1;

    BufferEvent(final EventBase base, final int options)
    {
        Objects.requireNonNull(base, "base");
        if (0 != (options & ~ALL_OPTIONS))
        {
            throw new IllegalArgumentException("unknown BevOpt bits: 0x" + Integer.toHexString(options));
        }
        if (0 != (options & BevOpt.UNLOCK_CALLBACKS) && 0 == (options & BevOpt.DEFER_CALLBACKS))
        {
            throw new IllegalArgumentException("BevOpt.UNLOCK_CALLBACKS needs BevOpt.DEFER_CALLBACKS");
        }
        base.loop().checkOwner();
        this.base = base;
        this.loop = base.loop();
        this.options = options;
        this.input = new EvBuffer();
        this.output = new EvBuffer();
        this.lock = 0 != (options & BevOpt.THREADSAFE) ? new ReentrantLock() : null;
        if (null != lock)
        {
            input.enableLocking(lock);
            output.enableLocking(lock);
        }
        this.callbacks = new BevCallbacks(this);
        this.watermarks = new BevWatermarks(this);
        this.closer = new BevClosing(this);
    }

    /**
     * libevent's {@code bufferevent_socket_new}: a bufferevent over a socket.
     *
     * @param base    the base (on its owner thread).
     * @param fd      a connected, non-blocking socket, or -1 (set later by {@link #setFd} or {@link #connect}).
     * @param options {@link BevOpt} bits.
     * @return the bufferevent, with {@link Ev#WRITE} enabled.
     * @throws IllegalArgumentException for unknown options, {@code UNLOCK_CALLBACKS} without
     *                                  {@code DEFER_CALLBACKS}, or an invalid fd.
     */
    public static BufferEvent socket(final EventBase base, final int fd, final int options)
    {
        return new SocketBufferEvent(base, fd, options);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Locking and references

    final void lockIf()
    {
        final ReentrantLock lock = this.lock;
        if (null != lock)
        {
            lock.lock();
        }
    }

    /** @return true when the lock is held now (always without {@link BevOpt#THREADSAFE}). */
    final boolean tryLockIf()
    {
        final ReentrantLock lock = this.lock;
        return null == lock || lock.tryLock();
    }

    final void unlockIf()
    {
        final ReentrantLock lock = this.lock;
        if (null != lock)
        {
            lock.unlock();
        }
    }

    final void increfAndLock()
    {
        lockIf();
        refcnt++;
    }

    final boolean decrefAndUnlock()
    {
        final boolean last = 0 == --refcnt;
        unlockIf();
        if (last)
        {
            closer.finish();
        }
        return last;
    }

    /**
     * libevent's {@code bufferevent_lock}: take the bufferevent's lock (no-op without {@link BevOpt#THREADSAFE}).
     */
    public void lock()
    {
        lockIf();
    }

    /**
     * libevent's {@code bufferevent_unlock}.
     */
    public void unlock()
    {
        unlockIf();
    }

    /**
     * libevent's {@code bufferevent_incref}: keep the bufferevent alive for one more user; pair with
     * {@link #decref()}.
     */
    public void incref()
    {
        lockIf();
        try
        {
            if (released)
            {
                throw new IllegalStateException("BufferEvent already freed");
            }
            refcnt++;
        }
        finally
        {
            unlockIf();
        }
    }

    /**
     * libevent's {@code bufferevent_decref}: drop one reference; the last one frees the bufferevent (on the loop
     * thread: from another thread the freeing is handed to the loop).
     *
     * @return true when this was the last reference.
     */
    public boolean decref()
    {
        lockIf();
        if (released)
        {
            unlockIf();
            throw new IllegalStateException("BufferEvent already freed");
        }
        return decrefAndUnlock();
    }

    /** Drop a reference taken for work that cannot run any more (the base closed); no-op once freed. */
    final void decrefQuietly()
    {
        lockIf();
        if (released)
        {
            unlockIf();
            return;
        }
        decrefAndUnlock();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Kind-specific operations (libevent's bufferevent_ops)

    /**
     * @return this kind's operations table.
     */
    abstract BevOps ops();

    final void enableImpl(final int what)
    {
        ops().opEnable(what);
    }

    final void disableImpl(final int what)
    {
        ops().opDisable(what);
    }

    final void adjustTimeouts()
    {
        ops().opAdjustTimeouts();
    }

    final void destruct()
    {
        ops().opDestruct();
        if (null != rateLimit)
        {
            rateLimit.close();
        }
    }

    final int flushImpl(final int iotype, final int mode)
    {
        return ops().opFlush(iotype, mode);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Accessors

    /**
     * @return libevent's {@code bufferevent_get_base}.
     */
    public final EventBase base()
    {
        return base;
    }

    /**
     * @return the {@link BevOpt} bits given at creation.
     */
    public final int options()
    {
        return options;
    }

    /**
     * libevent's {@code bufferevent_get_input}: what was read. Do not add callbacks to it.
     *
     * @return the input buffer (its back is frozen against the user).
     */
    public final EvBuffer input()
    {
        return input;
    }

    /**
     * libevent's {@code bufferevent_get_output}: what is to be written. Do not add callbacks to it.
     *
     * @return the output buffer (its front is frozen against the user).
     */
    public final EvBuffer output()
    {
        return output;
    }

    /**
     * @return the errno of the last error reported with {@link BevEvent#ERROR} (0 when none).
     */
    public final int socketError()
    {
        return socketError;
    }

    /**
     * @return true once {@link #close()} ran (or a close after flush completed).
     */
    public final boolean isClosed()
    {
        return closing && !closeWhenFlushed || released;
    }

    final void checkOpen()
    {
        if (closing || released)
        {
            throw new IllegalStateException("BufferEvent is closed");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Callbacks

    /**
     * libevent's {@code bufferevent_setcb}: set the three callbacks (null for none).
     *
     * @param read  runs when input has data at or above the read low watermark.
     * @param write runs when the output drained to the write low watermark.
     * @param event runs on connect, EOF, error and timeout.
     */
    public final void setCallbacks(final BevDataCallback read, final BevDataCallback write,
        final BevEventCallback event)
    {
        lockIf();
        try
        {
            checkOpen();
            readCb = read;
            writeCb = write;
            eventCb = event;
        }
        finally
        {
            unlockIf();
        }
    }

    /**
     * @return the read callback ({@code bufferevent_getcb}).
     */
    public final BevDataCallback readCallback()
    {
        return readCb;
    }

    /**
     * @return the write callback ({@code bufferevent_getcb}).
     */
    public final BevDataCallback writeCallback()
    {
        return writeCb;
    }

    /**
     * @return the event callback ({@code bufferevent_getcb}).
     */
    public final BevEventCallback eventCallback()
    {
        return eventCb;
    }

    final void runReadCb(final int opts)
    {
        BevCallbacks.runRead(this, opts);
    }

    final void runWriteCb(final int opts)
    {
        BevCallbacks.runWrite(this, opts);
    }

    final void runEventCb(final int what, final int opts)
    {
        callbacks.runEvent(what, opts);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Enabling and suspending

    /**
     * libevent's {@code bufferevent_enable}: poll these directions (unless suspended).
     *
     * @param what {@link Ev#READ} and/or {@link Ev#WRITE}.
     */
    public final void enable(final int what)
    {
        increfAndLock();
        try
        {
            checkOpen();
            int impl = what & (Ev.READ | Ev.WRITE);
            if (0 != readSuspended)
            {
                impl &= ~Ev.READ;
            }
            if (0 != writeSuspended)
            {
                impl &= ~Ev.WRITE;
            }
            enabled |= what & (Ev.READ | Ev.WRITE);
            if (0 != impl)
            {
                enableImpl(impl);
            }
            if (0 != (what & Ev.READ))
            {
                callbacks.renotifyRead();
            }
        }
        finally
        {
            decrefAndUnlock();
        }
    }

    /**
     * libevent's {@code bufferevent_disable}: stop polling these directions.
     * <p>
     * Beyond libevent (its #1809; libevent 2.2 re-checks only the callback pointer): disabling {@link Ev#READ}
     * also drops a deferred read notification not yet delivered ({@link BevOpt#DEFER_CALLBACKS} or a deferred
     * {@link #trigger}), so no read callback runs after {@code disable(READ)} returns on the loop thread, or after
     * it returns on another thread once a callback already running has finished. The bytes stay in the input:
     * the next {@code enable(READ)} queues the read callback again when the input still holds at least the read
     * low watermark (and at least one byte), so nothing in memory is left undelivered. A deferred callback whose
     * callback was set to null by {@link #setCallbacks} before delivery does not run either (as in libevent).
     * Write and event notifications are not dropped by {@code disable}.
     *
     * @param what {@link Ev#READ} and/or {@link Ev#WRITE}.
     */
    public final void disable(final int what)
    {
        increfAndLock();
        try
        {
            checkOpen();
            enabled &= ~what;
            if (0 != (what & (Ev.READ | Ev.WRITE)))
            {
                disableImpl(what & (Ev.READ | Ev.WRITE));
            }
            if (0 != (what & Ev.READ))
            {
                callbacks.dropReadNotice();
            }
        }
        finally
        {
            decrefAndUnlock();
        }
    }

    /**
     * @return libevent's {@code bufferevent_get_enabled}: the directions the user enabled.
     */
    public final int enabled()
    {
        return enabled;
    }

    final void suspendRead(final int what)
    {
        if (0 == readSuspended)
        {
            disableImpl(Ev.READ);
        }
        readSuspended |= what;
    }

    final void unsuspendRead(final int what)
    {
        readSuspended &= ~what;
        if (0 == readSuspended && 0 != (enabled & Ev.READ))
        {
            enableImpl(Ev.READ);
        }
    }

    final void suspendWrite(final int what)
    {
        if (0 == writeSuspended)
        {
            disableImpl(Ev.WRITE);
        }
        writeSuspended |= what;
    }

    final void suspend(final boolean read, final int what)
    {
        if (read)
        {
            suspendRead(what);
        }
        else
        {
            suspendWrite(what);
        }
    }

    final void unsuspend(final boolean read, final int what)
    {
        if (read)
        {
            unsuspendRead(what);
        }
        else
        {
            unsuspendWrite(what);
        }
    }

    final void unsuspendWrite(final int what)
    {
        writeSuspended &= ~what;
        if (0 == writeSuspended && 0 != (enabled & Ev.WRITE))
        {
            enableImpl(Ev.WRITE);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reading and writing

    /**
     * libevent's {@code bufferevent_read}: take bytes from the input.
     *
     * @param dst where to copy.
     * @return bytes copied; 0 also when the input's front is frozen.
     */
    public final int read(final byte[] dst)
    {
        return read(dst, 0, dst.length);
    }

    /**
     * libevent's {@code bufferevent_read} into part of an array.
     *
     * @param dst    where to copy.
     * @param offset first index.
     * @param length bytes at most.
     * @return bytes copied; 0 also when the input's front is frozen.
     */
    public final int read(final byte[] dst, final int offset, final int length)
    {
        final int n = input.remove(dst, offset, length);
        return Math.max(0, n);
    }

    /**
     * libevent's {@code bufferevent_read} into off-heap (or heap) memory.
     *
     * @param dst where to copy; up to its size.
     * @return bytes copied; 0 also when the input's front is frozen.
     */
    public final long read(final MemorySegment dst)
    {
        return Math.max(0, input.remove(dst));
    }

    /**
     * libevent's {@code bufferevent_read_buffer}: move the whole input to {@code dst} without copying.
     *
     * @param dst the destination.
     * @return 0, or -1 when a frozen end prevents it.
     */
    public final int readBuffer(final EvBuffer dst)
    {
        return dst.addBuffer(input);
    }

    /**
     * libevent's {@code bufferevent_write}: append a copy to the output; writing starts if enabled.
     *
     * @param data the bytes.
     * @return 0, or -1 when it could not be added.
     */
    public final int write(final byte[] data)
    {
        return output.add(data);
    }

    /**
     * libevent's {@code bufferevent_write} for part of an array.
     *
     * @param data   the bytes.
     * @param offset first index.
     * @param length bytes.
     * @return 0, or -1 when it could not be added.
     */
    public final int write(final byte[] data, final int offset, final int length)
    {
        return output.add(data, offset, length);
    }

    /**
     * libevent's {@code bufferevent_write} from a memory segment (copied).
     *
     * @param data the bytes.
     * @return 0, or -1 when it could not be added.
     */
    public final int write(final MemorySegment data)
    {
        return output.add(data);
    }

    /**
     * libevent's {@code bufferevent_write_buffer}: move all of {@code src} to the output without copying.
     *
     * @param src the source; empty afterwards.
     * @return 0, or -1 when a frozen end prevents it.
     */
    public final int writeBuffer(final EvBuffer src)
    {
        return output.addBuffer(src);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Watermarks, limits, timeouts

    /**
     * libevent's {@code bufferevent_setwatermark}.
     *
     * @param events {@link Ev#READ} and/or {@link Ev#WRITE}.
     * @param low    the low watermark (read: the read callback needs this much; write: the write callback runs at
     *               or below it).
     * @param high   the high watermark (read: reading stops at this much input; 0 = unlimited; write: advisory).
     */
    public final void setWatermark(final int events, final long low, final long high)
    {
        if (low < 0 || high < 0)
        {
            throw new IllegalArgumentException("watermarks must not be negative: " + low + ", " + high);
        }
        increfAndLock();
        try
        {
            checkOpen();
            watermarks.set(events, low, high);
        }
        finally
        {
            decrefAndUnlock();
        }
    }

    /**
     * libevent's {@code bufferevent_getwatermark}.
     *
     * @param events  exactly one of {@link Ev#READ} and {@link Ev#WRITE}.
     * @param lowHigh receives low at index 0 and high at index 1.
     * @return 0, or -1 when {@code events} names both directions or neither.
     */
    public final int getWatermark(final int events, final long[] lowHigh)
    {
        if (Ev.READ == events)
        {
            lowHigh[0] = wmReadLow;
            lowHigh[1] = wmReadHigh;
            return 0;
        }
        if (Ev.WRITE == events)
        {
            lowHigh[0] = wmWriteLow;
            lowHigh[1] = wmWriteHigh;
            return 0;
        }
        return -1;
    }

    /**
     * libevent's {@code bufferevent_set_max_single_read}; also the input's {@code maxRead}.
     *
     * @param size bytes per read; 0 or negative restores {@link #MAX_SINGLE_DEFAULT}.
     * @return 0.
     */
    public final int setMaxSingleRead(final long size)
    {
        lockIf();
        try
        {
            maxSingleRead = size <= 0 || size > Integer.MAX_VALUE ? MAX_SINGLE_DEFAULT : size;
            input.setMaxRead(maxSingleRead);
            return 0;
        }
        finally
        {
            unlockIf();
        }
    }

    /**
     * libevent's {@code bufferevent_set_max_single_write}.
     *
     * @param size bytes per write; 0 or negative restores {@link #MAX_SINGLE_DEFAULT}.
     * @return 0.
     */
    public final int setMaxSingleWrite(final long size)
    {
        lockIf();
        try
        {
            maxSingleWrite = size <= 0 || size > Integer.MAX_VALUE ? MAX_SINGLE_DEFAULT : size;
            return 0;
        }
        finally
        {
            unlockIf();
        }
    }

    /**
     * @return libevent's {@code bufferevent_get_max_single_read}.
     */
    public final long getMaxSingleRead()
    {
        return maxSingleRead;
    }

    /**
     * @return libevent's {@code bufferevent_get_max_single_write}.
     */
    public final long getMaxSingleWrite()
    {
        return maxSingleWrite;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Rate limits (libevent's bufferevent_ratelim.c; the logic is in BevRateLimit)

    /**
     * libevent's {@code bufferevent_set_rate_limit}: cap this bufferevent's reading and writing by a token bucket
     * (see {@link EvTokenBucketCfg}); null removes the limit and resumes I/O at full speed. A new bucket starts with
     * one tick's worth ({@code rate}) in each direction, as in libevent; replacing a configuration keeps the levels,
     * clipped down to the new bursts. Setting the configuration already in use does nothing.
     * <p>
     * Each read and write is at most {@code min(maxSingle, bucket level, group share)}; the bytes moved are taken
     * from the bucket, which may go negative. A direction whose bucket is at or below zero is suspended (apart from
     * {@link #enabled()}) until a refill timer at the next tick finds it positive again.
     *
     * @param cfg the configuration, or null.
     * @return 0.
     * @throws IllegalStateException when the bufferevent is closed.
     */
    public final int setRateLimit(final EvTokenBucketCfg cfg)
    {
        increfAndLock();
        try
        {
            checkOpen();
            if (null == rateLimit)
            {
                if (null == cfg)
                {
                    return 0;
                }
                rateLimit = new BevRateLimit(this);
            }
            rateLimit.setCfg(cfg);
            return 0;
        }
        finally
        {
            decrefAndUnlock();
        }
    }

    /**
     * @return libevent's {@code bufferevent_get_token_bucket_cfg}: the configuration set by
     * {@link #setRateLimit}, or null.
     */
    public final EvTokenBucketCfg tokenBucketCfg()
    {
        lockIf();
        try
        {
            return null == rateLimit ? null : rateLimit.cfg();
        }
        finally
        {
            unlockIf();
        }
    }

    /**
     * @return libevent's {@code bufferevent_get_read_limit}: the read bucket's level after refilling it for the
     * ticks elapsed (may be negative), or {@link Long#MAX_VALUE} without a rate limit.
     */
    public final long readLimit()
    {
        lockIf();
        try
        {
            return null == rateLimit ? Long.MAX_VALUE : rateLimit.readLimit();
        }
        finally
        {
            unlockIf();
        }
    }

    /**
     * @return libevent's {@code bufferevent_get_write_limit}: as {@link #readLimit()} for writing.
     */
    public final long writeLimit()
    {
        lockIf();
        try
        {
            return null == rateLimit ? Long.MAX_VALUE : rateLimit.writeLimit();
        }
        finally
        {
            unlockIf();
        }
    }

    /**
     * @return libevent's {@code bufferevent_get_max_to_read}: how much the next read may take, the smallest of
     * {@link #getMaxSingleRead()}, the read bucket and the group share; never negative.
     */
    public final long maxToRead()
    {
        lockIf();
        try
        {
            return null == rateLimit ? maxSingleRead : rateLimit.readMax(maxSingleRead);
        }
        finally
        {
            unlockIf();
        }
    }

    /**
     * @return libevent's {@code bufferevent_get_max_to_write}: as {@link #maxToRead()} for writing.
     */
    public final long maxToWrite()
    {
        lockIf();
        try
        {
            return null == rateLimit ? maxSingleWrite : rateLimit.writeMax(maxSingleWrite);
        }
        finally
        {
            unlockIf();
        }
    }

    /**
     * libevent's {@code bufferevent_decrement_read_limit}: take {@code n} bytes from the read bucket by hand (a
     * negative {@code n} adds them). Going from positive to zero or below suspends reading and arms the refill
     * timer; going from zero or below to positive resumes reading.
     *
     * @param n bytes to take (negative: to add).
     * @return 0.
     * @throws IllegalStateException without a rate limit (libevent asserts), or when closed.
     */
    public final int decrementReadLimit(final long n)
    {
        increfAndLock();
        try
        {
            checkOpen();
            checkRateLimit().decrement(true, n);
            return 0;
        }
        finally
        {
            decrefAndUnlock();
        }
    }

    /**
     * libevent's {@code bufferevent_decrement_write_limit}: as {@link #decrementReadLimit} for writing.
     *
     * @param n bytes to take (negative: to add).
     * @return 0.
     * @throws IllegalStateException without a rate limit (libevent asserts), or when closed.
     */
    public final int decrementWriteLimit(final long n)
    {
        increfAndLock();
        try
        {
            checkOpen();
            checkRateLimit().decrement(false, n);
            return 0;
        }
        finally
        {
            decrefAndUnlock();
        }
    }

    /**
     * libevent's {@code bufferevent_add_to_rate_limit_group}: join a group (leaving any other group first); if the
     * group is suspended, this bufferevent is suspended with it.
     *
     * @param group a group of this bufferevent's base.
     * @return 0.
     * @throws IllegalStateException when closed, or the group is closed.
     * @throws IllegalArgumentException when the group belongs to another base.
     */
    public final int addToRateLimitGroup(final BevRateLimitGroup group)
    {
        Objects.requireNonNull(group, "group");
        loop.checkOwner();
        increfAndLock();
        try
        {
            checkOpen();
            if (null == rateLimit)
            {
                rateLimit = new BevRateLimit(this);
            }
            if (rateLimit.group == group)
            {
                return 0;
            }
            if (null != rateLimit.group)
            {
                rateLimit.group.remove(this, true);
            }
            group.add(this);
            rateLimit.group = group;
            return 0;
        }
        finally
        {
            decrefAndUnlock();
        }
    }

    /**
     * libevent's {@code bufferevent_remove_from_rate_limit_group}: leave the group (if any) and resume what it
     * suspended.
     *
     * @return 0.
     */
    public final int removeFromRateLimitGroup()
    {
        loop.checkOwner();
        increfAndLock();
        try
        {
            if (null != rateLimit && null != rateLimit.group)
            {
                rateLimit.group.remove(this, true);
            }
            return 0;
        }
        finally
        {
            decrefAndUnlock();
        }
    }

    /**
     * @return the rate-limit group this bufferevent is in, or null.
     */
    public final BevRateLimitGroup rateLimitGroup()
    {
        return null == rateLimit ? null : rateLimit.group;
    }

    private BevRateLimit checkRateLimit()
    {
        if (null == rateLimit || null == rateLimit.cfg())
        {
            throw new IllegalStateException("no rate limit set on this BufferEvent");
        }
        return rateLimit;
    }

    /**
     * libevent's {@code bufferevent_set_timeouts}: idle timeouts, counted only while a direction is enabled and
     * waiting for I/O; each I/O restarts it. When one expires that direction is disabled and the event callback
     * gets {@code READING|TIMEOUT} or {@code WRITING|TIMEOUT}. Setting (or enabling again) restarts the timer;
     * null disarms at once.
     *
     * @param read  the read timeout, or null for none.
     * @param write the write timeout, or null for none.
     */
    public final void setTimeouts(final Duration read, final Duration write)
    {
        loop.checkOwner();
        increfAndLock();
        try
        {
            checkOpen();
            readTimeoutNs = null == read ? -1 : Math.max(0, read.toNanos());
            writeTimeoutNs = null == write ? -1 : Math.max(0, write.toNanos());
            adjustTimeouts();
        }
        finally
        {
            decrefAndUnlock();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Trigger and flush

    /**
     * libevent's {@code bufferevent_trigger}: run the read and/or write callback as if data had arrived or been
     * written; watermarks apply unless {@link BevTrig#IGNORE_WATERMARKS}. Runs at once unless
     * {@link BevTrig#DEFER_CALLBACKS} is given or the bufferevent defers callbacks.
     *
     * @param iotype {@link Ev#READ} and/or {@link Ev#WRITE}.
     * @param opts   {@link BevTrig} bits.
     */
    public final void trigger(final int iotype, final int opts)
    {
        increfAndLock();
        try
        {
            checkOpen();
            triggerLocked(iotype, opts);
        }
        finally
        {
            decrefAndUnlock();
        }
    }

    final void triggerLocked(final int iotype, final int opts)
    {
        if (0 != (iotype & Ev.READ) &&
            (0 != (opts & BevTrig.IGNORE_WATERMARKS) || input.lengthHeld() >= wmReadLow))
        {
            runReadCb(opts);
        }
        if (0 != (iotype & Ev.WRITE) &&
            (0 != (opts & BevTrig.IGNORE_WATERMARKS) || output.lengthHeld() <= wmWriteLow))
        {
            runWriteCb(opts);
        }
    }

    /**
     * libevent's {@code bufferevent_trigger_event}: run the event callback with {@code what}, at once unless
     * deferred.
     *
     * @param what the bits to pass (all are passed through).
     * @param opts {@link BevTrig#DEFER_CALLBACKS} or 0.
     */
    public final void triggerEvent(final int what, final int opts)
    {
        increfAndLock();
        try
        {
            checkOpen();
            runEventCb(what, opts);
        }
        finally
        {
            decrefAndUnlock();
        }
    }

    /**
     * libevent's {@code bufferevent_flush}: ask a filter or pair to push data; a no-op for sockets.
     *
     * @param iotype {@link Ev#READ} and/or {@link Ev#WRITE}.
     * @param mode   {@link BevFlush#NORMAL}, {@link BevFlush#FLUSH} or {@link BevFlush#FINISHED}.
     * @return 0 when nothing was flushed, 1 when something was, -1 on failure.
     */
    public final int flush(final int iotype, final int mode)
    {
        increfAndLock();
        try
        {
            checkOpen();
            return flushImpl(iotype, mode);
        }
        finally
        {
            decrefAndUnlock();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // fd, connect, priority (socket kinds)

    /**
     * @return libevent's {@code bufferevent_getfd}: the fd, or -1.
     */
    public abstract int fd();

    /**
     * libevent's {@code bufferevent_setfd}: use another fd (the old one is not closed); enabled directions are
     * polled on it.
     *
     * @param fd a non-blocking socket, or -1.
     */
    public abstract void setFd(int fd);

    /**
     * libevent 2.2's {@code bufferevent_replacefd}: as {@link #setFd}, and close the old fd.
     *
     * @param fd a non-blocking socket, or -1.
     */
    public abstract void replaceFd(int fd);

    /**
     * libevent's {@code bufferevent_socket_connect}: connect to an IPv4, IPv6 or Unix-domain address, creating a
     * non-blocking socket when the fd is -1 (closed with the bufferevent). The outcome always arrives later through
     * the event callback: {@link BevEvent#CONNECTED} or {@link BevEvent#ERROR}; no callback ever runs inside
     * this call.
     *
     * @param address an {@link java.net.InetSocketAddress} (resolved) or a {@link java.net.UnixDomainSocketAddress}.
     * @return 0 when connecting (the event callback tells how it ends), or -1 when it failed at once (no callback
     *         follows; {@link #socketError()} has the errno).
     */
    public abstract int connect(SocketAddress address);

    /**
     * libevent's {@code bufferevent_socket_connect_hostname}: resolve {@code host} off the loop thread, then
     * connect to the first address. A failed lookup reports {@link BevEvent#ERROR} with {@link #dnsError()}.
     *
     * @param host   a host name or numeric address.
     * @param port   the port.
     * @param family {@link java.net.StandardProtocolFamily#INET}, {@code INET6}, or null for either.
     * @return 0 when the lookup started.
     */
    public abstract int connectHostname(String host, int port, ProtocolFamily family);

    /**
     * @return libevent's {@code bufferevent_socket_get_dns_error}: the {@code EAI_*} code of the last failed
     *         lookup, 0 when none.
     */
    public abstract int dnsError();

    /**
     * libevent's {@code bufferevent_priority_set}.
     *
     * @param priority 0 (most urgent) ≤ priority &lt; {@link EventBase#npriorities()}.
     */
    public abstract void priority(int priority);

    /**
     * @return libevent's {@code bufferevent_get_priority}.
     */
    public abstract int priority();

    // ---------------------------------------------------------------------------------------------------------
    // Closing

    /**
     * libevent's {@code bufferevent_free}: stop all I/O, drop unsent output, close the fd with
     * {@link BevOpt#CLOSE_ON_FREE}. No callback runs after this returns (on the loop thread). Safe from the
     * bufferevent's own callbacks; memory is released when the last reference goes. Idempotent.
     */
    @Override
    public final void close()
    {
        closer.close();
    }

    /**
     * Close once the output has been written (beyond libevent; what libevent users write by hand with a write
     * callback): reading stops now and the read callback is dropped; the event callback still reports a write
     * error or timeout, after which the bufferevent closes. Closes at once when the output is empty.
     */
    public final void closeAfterFlush()
    {
        closer.closeAfterFlush();
    }

    @Override
    public String toString()
    {
        return getClass().getSimpleName() + "[fd=" + fd() + ", enabled=" + enabled + ", input=" +
            (released ? "closed" : input.length()) + ", output=" + (released ? "closed" : output.length()) + "]";
    }
}
