package io.panamax.internal.loop;

import io.panamax.Ev;
import io.panamax.EventCallback;
import io.panamax.internal.timer.TimerNode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The state of one event (libevent's {@code struct event}): what it waits for, its callback, where it is linked
 * (fd map, timer heap, active queue) and its pending result. The public {@code io.panamax.Event} is a thin
 * handle over one of these; internal code (bufferevents, listeners) may use an {@code EvCore} directly through
 * {@link Loop#add}, {@link Loop#del} and {@link Loop#active}.
 * <p>
 * <b>Thread-safety:</b> owned by its loop's thread; only {@link #activeFromAnyThread(int)} may be called from
 * other threads.
 */
public final class EvCore extends TimerNode implements Runnable
{
    static final int INSERTED = 0x01;
    static final int TIMEOUT = 0x02;
    static final int ACTIVE = 0x04;
    static final int INTERNAL = 0x10;
    static final int CLOSED = 0x20;

    private static final VarHandle REMOTE_RES;

    static
    {
        try
        {
            REMOTE_RES = MethodHandles.lookup().findVarHandle(EvCore.class, "remoteRes", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    final Loop loop;
    final int fd;
    final int events;
    final EventCallback callback;
    final Object handle;
    int flags;
    int res;
    int ncalls;
    int priority;
    long intervalNs = -1;
    /** When it was last linked into the fd map, in the loop's count of such links (see {@code LoopReady}). */
    long insertSeq;

    EvCore activePrev;
    EvCore activeNext;
    EvCore fdPrev;
    EvCore fdNext;
    EvCore livePrev;
    EvCore liveNext;
    CommonTimeoutQueue commonQueue;
    CommonTimeoutQueue intervalQueue;
    EvCore commonPrev;
    EvCore commonNext;
    long commonDeadlineNs;

    @SuppressWarnings("unused") // written through REMOTE_RES
    private volatile int remoteRes;

    /**
     * Create an event on a loop; it is neither pending nor active.
     *
     * @param loop     the loop.
     * @param fd       the fd, the signal number with {@link Ev#SIGNAL}, or -1.
     * @param events   {@code Ev} bits.
     * @param callback what to run.
     * @param handle   the public object visitors see (an {@code io.panamax.Event}), or null.
     */
    public EvCore(final Loop loop, final int fd, final int events, final EventCallback callback, final Object handle)
    {
        this.loop = loop;
        this.fd = fd;
        this.events = events;
        this.callback = callback;
        this.handle = handle;
        this.priority = loop.defaultPriority();
    }

    /**
     * @return the fd, signal number or -1.
     */
    public int fd()
    {
        return fd;
    }

    /**
     * @return the {@code Ev} bits given at creation.
     */
    public int events()
    {
        return events;
    }

    /**
     * @return the callback.
     */
    public EventCallback callback()
    {
        return callback;
    }

    /**
     * @return the public handle given at creation, or null.
     */
    public Object handle()
    {
        return handle;
    }

    /**
     * @return the loop.
     */
    public Loop loop()
    {
        return loop;
    }

    /**
     * @return the priority.
     */
    public int priority()
    {
        return priority;
    }

    /**
     * @return true while a timeout (heap or common queue) is pending.
     */
    public boolean hasTimeout()
    {
        return null != commonQueue || inHeap();
    }

    /**
     * {@link Loop#pending} without its checks, for the engine's own code that already runs on the owner thread of an
     * open loop with an open event of that loop (a bufferevent's write path asks once per echoed read): the subset
     * of {@code what} that is pending or active.
     *
     * @param what the {@code Ev} bits asked about.
     * @return the subset of {@code what} that is pending or active.
     */
    public int pendingHere(final int what)
    {
        int bits = 0;
        final int f = flags;
        if (0 != (f & INSERTED))
        {
            bits |= events & (Ev.READ | Ev.WRITE | Ev.CLOSED | Ev.SIGNAL);
        }
        if (0 != (f & ACTIVE))
        {
            bits |= res;
        }
        if (hasTimeout())
        {
            bits |= Ev.TIMEOUT;
        }
        return bits & what & (Ev.READ | Ev.WRITE | Ev.CLOSED | Ev.SIGNAL | Ev.TIMEOUT);
    }

    /**
     * @return true once {@link Loop#close(EvCore)} ran for it.
     */
    public boolean isClosed()
    {
        return 0 != (flags & CLOSED);
    }

    /**
     * Mark the event internal: it is not counted in {@code numEvents} and does not keep the loop running.
     * Call before the first add.
     *
     * @return this.
     */
    public EvCore internal()
    {
        flags |= INTERNAL;
        return this;
    }

    /**
     * Activate from any thread: bits OR together until the loop applies them (one task per batch, no
     * allocation).
     *
     * @param res {@code Ev} bits to deliver.
     */
    public void activeFromAnyThread(final int res)
    {
        if (0 == (int)REMOTE_RES.getAndBitwiseOr(this, res | Integer.MIN_VALUE))
        {
            loop.execute(this);
        }
    }

    /**
     * Applies remote activations; runs on the loop thread. Not for users.
     */
    @Override
    public void run()
    {
        final int res = (int)REMOTE_RES.getAndSet(this, 0) & Integer.MAX_VALUE;
        if (!isClosed() && !loop.isClosed())
        {
            loop.active(this, res, 1);
        }
    }
}
