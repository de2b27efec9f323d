package io.panamax.internal.loop;

import io.panamax.internal.timer.TimerNode;

/**
 * One common-timeout queue (libevent's common timeouts, contracts §5.5): a FIFO of events that all wait the same
 * duration, so adding and removing is O(1) (an append, or an unlink), and only the head's deadline is in the timer
 * heap, through this node. Timers of one duration, like per-connection idle timeouts, then cost nothing in the heap.
 * <p>
 * <b>Thread-safety:</b> NOT thread safe; owned by its loop's thread.
 */
public final class CommonTimeoutQueue extends TimerNode
{
    final long durationNs;
    EvCore head;
    EvCore tail;

    CommonTimeoutQueue(final long durationNs)
    {
        this.durationNs = durationNs;
    }

    /**
     * @return the duration every event of this queue waits.
     */
    public long durationNs()
    {
        return durationNs;
    }

    /**
     * Insert in deadline order, scanning back from the tail (almost always an append).
     *
     * @param ev         an event in no queue.
     * @param deadlineNs its deadline.
     * @return true when the event became the head.
     */
    boolean insert(final EvCore ev, final long deadlineNs)
    {
        ev.commonDeadlineNs = deadlineNs;
        ev.commonQueue = this;
        EvCore after = tail;
        while (null != after && after.commonDeadlineNs - deadlineNs > 0)
        {
            after = after.commonPrev;
        }
        ev.commonPrev = after;
        ev.commonNext = null == after ? head : after.commonNext;
        if (null == after)
        {
            head = ev;
        }
        else
        {
            after.commonNext = ev;
        }
        if (null == ev.commonNext)
        {
            tail = ev;
        }
        else
        {
            ev.commonNext.commonPrev = ev;
        }
        return head == ev;
    }

    /**
     * @param ev an event of this queue.
     * @return true when it was the head.
     */
    boolean unlink(final EvCore ev)
    {
        final boolean wasHead = head == ev;
        if (null != ev.commonPrev)
        {
            ev.commonPrev.commonNext = ev.commonNext;
        }
        else
        {
            head = ev.commonNext;
        }
        if (null != ev.commonNext)
        {
            ev.commonNext.commonPrev = ev.commonPrev;
        }
        else
        {
            tail = ev.commonPrev;
        }
        ev.commonPrev = null;
        ev.commonNext = null;
        ev.commonQueue = null;
        return wasHead;
    }
}
