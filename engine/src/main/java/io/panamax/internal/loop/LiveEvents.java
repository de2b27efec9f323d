package io.panamax.internal.loop;

import java.util.function.ToIntFunction;

/**
 * The events a loop knows of (libevent's {@code event_count}, {@code event_count_active} and their maxima, plus
 * the list {@code event_base_foreach_event} walks): an event is <i>live</i> while it is inserted, has a timeout
 * or is active, and counts once as added (and once more as active) unless it is internal.
 * {@link #setFlag}/{@link #clearFlag} are the only writers of those three {@link EvCore} flags.
 * <p>
 * <b>Thread-safety:</b> NOT thread safe; confined to the loop thread.
 */
final class LiveEvents
{
    private static final int LIVE = EvCore.INSERTED | EvCore.TIMEOUT | EvCore.ACTIVE;
    private static final int COUNT_ACTIVE = 1;
    private static final int COUNT_ADDED = 4;

    private EvCore head;
    private int activeCount;
    private int addedCount;
    private int maxActiveCount;
    private int maxAddedCount;

    /**
     * @return the first live event (follow {@link EvCore#liveNext}).
     */
    EvCore head()
    {
        return head;
    }

    /**
     * @return active non-internal events.
     */
    int activeCount()
    {
        return activeCount;
    }

    /**
     * @return flags set on non-internal events (libevent's {@code event_count}).
     */
    int addedCount()
    {
        return addedCount;
    }

    /**
     * @param ev   the event.
     * @param flag {@link EvCore#INSERTED}, {@link EvCore#TIMEOUT} or {@link EvCore#ACTIVE}.
     */
    void setFlag(final EvCore ev, final int flag)
    {
        final int before = ev.flags;
        if (0 == (before & LIVE))
        {
            ev.livePrev = null;
            ev.liveNext = head;
            if (null != head)
            {
                head.livePrev = ev;
            }
            head = ev;
        }
        ev.flags = before | flag;
        if (0 == (before & EvCore.INTERNAL))
        {
            if (EvCore.ACTIVE == flag)
            {
                activeCount++;
                maxActiveCount = Math.max(maxActiveCount, activeCount);
            }
            addedCount++;
            maxAddedCount = Math.max(maxAddedCount, addedCount);
        }
    }

    /**
     * @param ev   the event.
     * @param flag {@link EvCore#INSERTED}, {@link EvCore#TIMEOUT} or {@link EvCore#ACTIVE}.
     */
    void clearFlag(final EvCore ev, final int flag)
    {
        final int after = ev.flags & ~flag;
        ev.flags = after;
        if (0 == (after & EvCore.INTERNAL))
        {
            if (EvCore.ACTIVE == flag)
            {
                activeCount--;
            }
            addedCount--;
        }
        if (0 == (after & LIVE))
        {
            if (null != ev.livePrev)
            {
                ev.livePrev.liveNext = ev.liveNext;
            }
            else
            {
                head = ev.liveNext;
            }
            if (null != ev.liveNext)
            {
                ev.liveNext.livePrev = ev.livePrev;
            }
            ev.livePrev = null;
            ev.liveNext = null;
        }
    }

    /**
     * Raise the maxima to what they would have been had a wait's ready events all been activated before any ran
     * (events run straight from the wait are never counted as active).
     *
     * @param walked      non-internal events the wait made ready, run straight or queued.
     * @param addedBefore {@link #addedCount()} before the wait's first callback.
     */
    void noteWalk(final int walked, final int addedBefore)
    {
        maxActiveCount = Math.max(maxActiveCount, walked);
        maxAddedCount = Math.max(maxAddedCount, addedBefore + walked);
    }

    /**
     * libevent's {@code event_base_get_num_events}.
     *
     * @param which COUNT_ACTIVE (1), COUNT_VIRTUAL (2), COUNT_ADDED (4), OR-ed: the counts are summed.
     * @return the sum.
     */
    int numEvents(final int which)
    {
        int n = 0;
        if (0 != (which & COUNT_ACTIVE))
        {
            n += activeCount;
        }
        if (0 != (which & COUNT_ADDED))
        {
            n += addedCount;
        }
        return n;
    }

    /**
     * libevent's {@code event_base_get_max_events}.
     *
     * @param which COUNT_* bits, summed.
     * @param clear reset the maxima to the current counts after reading.
     * @return the sum of the maxima.
     */
    int maxEvents(final int which, final boolean clear)
    {
        int n = 0;
        if (0 != (which & COUNT_ACTIVE))
        {
            n += maxActiveCount;
            if (clear)
            {
                maxActiveCount = activeCount;
            }
        }
        if (0 != (which & COUNT_ADDED))
        {
            n += maxAddedCount;
            if (clear)
            {
                maxAddedCount = addedCount;
            }
        }
        return n;
    }

    /**
     * Visit the public handles of every live non-internal event.
     *
     * @param visitor returns non-zero to stop.
     * @return the first non-zero result, or 0.
     */
    int foreachHandle(final ToIntFunction<Object> visitor)
    {
        for (EvCore ev = head; null != ev; ev = ev.liveNext)
        {
            if (null != ev.handle && 0 == (ev.flags & EvCore.INTERNAL))
            {
                final int rc = visitor.applyAsInt(ev.handle);
                if (0 != rc)
                {
                    return rc;
                }
            }
        }
        return 0;
    }

    /**
     * Forget every event (the base is closing; the caller has unlinked them).
     */
    void clear()
    {
        head = null;
        activeCount = 0;
        addedCount = 0;
    }
}
