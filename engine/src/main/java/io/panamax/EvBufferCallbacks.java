package io.panamax;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

import io.panamax.internal.buffer.ChainList;
import io.panamax.internal.loop.DeferredCallback;

/**
 * An {@link EvBuffer}'s change callbacks (libevent's {@code evbuffer_cb_entry} list, {@code evbuffer_run_callbacks}
 * and the deferred variant). Entries are inserted at the head as in libevent; a removed entry is flagged so an
 * iteration in progress skips it. The info object is reused per nesting depth, so invoking allocates nothing.
 * <p>
 * <b>Thread-safety:</b> guarded by the owning buffer (its lock when enabled).
 */
final class EvBufferCallbacks
{
    private final EvBuffer buffer;
    private final ChainList chains;
    private EvBufferCbEntry head;
    private EvBufferCbInfo[] infos = { new EvBufferCbInfo() };
    private int depth;
    private Deferred deferred;

    EvBufferCallbacks(final EvBuffer buffer, final ChainList chains)
    {
        this.buffer = buffer;
        this.chains = chains;
    }

    /** {@link EvBuffer#addCb}: takes the buffer's lock. */
    EvBufferCbEntry addLocked(final EvBufferCallback callback)
    {
        Objects.requireNonNull(callback, "callback");
        buffer.enter();
        try
        {
            return add(callback);
        }
        finally
        {
            buffer.exit();
        }
    }

    /** {@link EvBuffer#removeCbEntry}: takes the buffer's lock. */
    int removeEntryLocked(final EvBufferCbEntry entry)
    {
        buffer.enter();
        try
        {
            return removeEntry(entry);
        }
        finally
        {
            buffer.exit();
        }
    }

    /** {@link EvBuffer#removeCb}: takes the buffer's lock. */
    int removeLocked(final EvBufferCallback callback)
    {
        buffer.enter();
        try
        {
            return remove(callback);
        }
        finally
        {
            buffer.exit();
        }
    }

    /** {@link EvBuffer#cbSetFlags} ({@code set}) and {@link EvBuffer#cbClearFlags}: takes the buffer's lock. */
    int setFlagsLocked(final EvBufferCbEntry entry, final int flags, final boolean set)
    {
        if (entry.buffer != buffer)
        {
            throw new IllegalArgumentException("callback entry belongs to another buffer");
        }
        buffer.enter();
        try
        {
            entry.flags = set ? entry.flags | flags : entry.flags & ~flags;
            return 0;
        }
        finally
        {
            buffer.exit();
        }
    }

    /** {@link EvBuffer#deferCallbacks}: takes the buffer's lock. */
    int deferLocked(final EventBase base)
    {
        Objects.requireNonNull(base, "base");
        buffer.enter();
        try
        {
            defer(base);
            return 0;
        }
        finally
        {
            buffer.exit();
        }
    }

    private EvBufferCbEntry add(final EvBufferCallback callback)
    {
        final EvBufferCbEntry entry = new EvBufferCbEntry(buffer, callback);
        entry.next = head;
        head = entry;
        buffer.hasCallbacks = true;
        return entry;
    }

    private int removeEntry(final EvBufferCbEntry entry)
    {
        EvBufferCbEntry prev = null;
        for (EvBufferCbEntry e = head; null != e; prev = e, e = e.next)
        {
            if (e == entry)
            {
                if (null == prev)
                {
                    head = e.next;
                    buffer.hasCallbacks = null != head;
                }
                else
                {
                    prev.next = e.next;
                }
                e.removed = true;
                return 0;
            }
        }
        return -1;
    }

    private int remove(final EvBufferCallback callback)
    {
        for (EvBufferCbEntry e = head; null != e; e = e.next)
        {
            if (e.callback == callback)
            {
                return removeEntry(e);
            }
        }
        return -1;
    }

    void clear()
    {
        for (EvBufferCbEntry e = head; null != e; e = e.next)
        {
            e.removed = true;
        }
        head = null;
        buffer.hasCallbacks = false;
    }

    private void defer(final EventBase base)
    {
        deferred = new Deferred(base);
    }

    /** True when there is no callback (the counters are then reset) or no change since the last run. */
    private boolean nothingToReport()
    {
        final ChainList list = chains;
        if (null == head)
        {
            list.nAddForCb = 0;
            list.nDelForCb = 0;
            return true;
        }
        return 0 == list.nAddForCb && 0 == list.nDelForCb;
    }

    /** libevent's {@code evbuffer_invoke_callbacks_}: now, or through the base's deferred queue. */
    void invoke()
    {
        if (nothingToReport())
        {
            return;
        }
        final Deferred deferred = this.deferred;
        if (null != deferred)
        {
            deferred.request();
            return;
        }
        run();
    }

    /** libevent's {@code evbuffer_run_callbacks}. */
    private void run()
    {
        if (nothingToReport())
        {
            return;
        }
        final ChainList list = chains;
        EvBufferCbEntry entry = head;
        final int depth = this.depth;
        if (depth == infos.length)
        {
            infos = Arrays.copyOf(infos, depth + 1);
            infos[depth] = new EvBufferCbInfo();
        }
        final EvBufferCbInfo info = infos[depth];
        final long newSize = list.totalLen;
        info.origSize = newSize + list.nDelForCb - list.nAddForCb;
        info.nAdded = list.nAddForCb;
        info.nDeleted = list.nDelForCb;
        list.nAddForCb = 0;
        list.nDelForCb = 0;
        this.depth = depth + 1;
        try
        {
            while (null != entry && !buffer.isClosed())
            {
                final EvBufferCbEntry next = entry.next;
                if (!entry.removed && 0 != (entry.flags & EvBuffer.CB_ENABLED))
                {
                    entry.callback.onChange(buffer, info);
                }
                entry = next;
            }
        }
        finally
        {
            this.depth = depth;
        }
    }

    /** The buffer's record in the base's deferred queue. */
    private final class Deferred extends DeferredCallback
    {
        private final EventBase base;
        private final Runnable scheduleFromElsewhere = () -> schedule(1);

        Deferred(final EventBase base)
        {
            super(base.loop());
            this.base = base;
        }

        void request()
        {
            if (base.loop().isOwnerThread())
            {
                schedule(1);
            }
            else
            {
                base.execute(scheduleFromElsewhere);
            }
        }

        @Override
        protected void run(final int bits)
        {
            final ReentrantLock lock = buffer.currentLock();
            if (null != lock)
            {
                lock.lock();
            }
            try
            {
                if (!buffer.isClosed())
                {
                    EvBufferCallbacks.this.run();
                }
            }
            finally
            {
                if (null != lock)
                {
                    lock.unlock();
                }
            }
        }
    }
}
