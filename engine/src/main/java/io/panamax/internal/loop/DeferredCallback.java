package io.panamax.internal.loop;

/**
 * A callback the loop runs later, after the active events of an iteration (libevent's deferred
 * {@code event_callback}, {@code defer-internal.h}). Bufferevents and evbuffers extend it once per object and
 * call {@link #schedule(int)} whenever something happened; the bits OR together until {@link #run(int)} gets
 * them, and the target is queued at most once (libevent's {@code queued} flag).
 * <p>
 * At most {@link DeferredQueue#MAX_PER_ITERATION} deferred callbacks run per iteration; the rest run in the next
 * one, so a callback that re-schedules itself cannot starve I/O.
 * <p>
 * <b>Thread-safety:</b> {@link #schedule(int)} and {@link #cancel()} on the loop thread only (checked); from
 * another thread, call {@code loop.execute(() -> cb.schedule(bits))}. {@link #run(int)} runs on the loop thread.
 */
public abstract class DeferredCallback
{
    final Loop loop;
    int pendingBits;
    boolean queued;

    /**
     * @param loop the loop whose queue runs this callback.
     */
    protected DeferredCallback(final Loop loop)
    {
        this.loop = loop;
    }

    /**
     * Queue the callback with these bits, or OR them into a queued one.
     *
     * @param bits what happened; must not be 0 (use any non-zero marker when there is nothing to say).
     * @return true when newly queued, false when it was already queued (as libevent's
     *         {@code event_deferred_cb_schedule_}).
     */
    public final boolean schedule(final int bits)
    {
        loop.checkOwner();
        pendingBits |= bits;
        if (queued)
        {
            return false;
        }
        queued = true;
        loop.deferred().push(this);
        return true;
    }

    /**
     * Drop the pending bits: a queued record is then skipped (its callback does not run).
     */
    public final void cancel()
    {
        loop.checkOwner();
        pendingBits = 0;
    }

    /**
     * @return true while queued.
     */
    public final boolean isQueued()
    {
        return queued;
    }

    /**
     * @return the bits gathered since the last run.
     */
    public final int pendingBits()
    {
        return pendingBits;
    }

    /**
     * The deferred work; exceptions go to the base's error handler.
     *
     * @param bits everything scheduled since the last run (never 0).
     */
    protected abstract void run(int bits);
}
