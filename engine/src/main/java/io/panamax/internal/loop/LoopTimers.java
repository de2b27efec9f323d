package io.panamax.internal.loop;

import io.panamax.internal.backend.Backend;
import io.panamax.internal.timer.TimerHeap;
import io.panamax.internal.timer.TimerNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A loop's pending timeouts: a min-heap of events, plus common-timeout queues (libevent's
 * {@code event_base_init_common_timeout}) that sit in the same heap as one node each, keyed by their first
 * deadline. It keeps the {@link EvCore#TIMEOUT} flag in step through {@link LiveEvents}, and hands each expired
 * event to the loop's {@link Expiry}, earliest first.
 * <p>
 * <b>Thread-safety:</b> NOT thread safe; confined to the loop thread.
 */
final class LoopTimers
{
    /**
     * Receives an event whose timeout expired, already out of the heap or its queue.
     * <p>
     * <b>Thread-safety:</b> called on the loop thread.
     */
    @FunctionalInterface
    interface Expiry
    {
        /**
         * @param ev the expired event.
         */
        void expire(EvCore ev);
    }

    private final TimerHeap heap = new TimerHeap();
    private final List<CommonTimeoutQueue> commonTimeouts = new ArrayList<>();
    private final LiveEvents live;
    private final Expiry expiry;

    /**
     * @param live   the flag bookkeeping of the loop.
     * @param expiry receives expired events.
     */
    LoopTimers(final LiveEvents live, final Expiry expiry)
    {
        this.live = live;
        this.expiry = expiry;
    }

    /**
     * @param durationNs a non-negative duration.
     * @param max        the most queues allowed.
     * @return the queue for this duration, created on first use.
     * @throws IllegalStateException beyond {@code max} queues.
     */
    CommonTimeoutQueue commonTimeout(final long durationNs, final int max)
    {
        for (final CommonTimeoutQueue queue : commonTimeouts)
        {
            if (queue.durationNs == durationNs)
            {
                return queue;
            }
        }
        if (commonTimeouts.size() >= max)
        {
            throw new IllegalStateException("at most " + max + " common timeouts per base");
        }
        final CommonTimeoutQueue queue = new CommonTimeoutQueue(durationNs);
        commonTimeouts.add(queue);
        return queue;
    }

    /**
     * @param queue a queue.
     * @return true when it was created by {@link #commonTimeout}.
     */
    boolean owns(final CommonTimeoutQueue queue)
    {
        return commonTimeouts.contains(queue);
    }

    /**
     * (Re)schedule the event in the heap, out of any common queue.
     *
     * @param ev         the event.
     * @param deadlineNs monotonic deadline.
     */
    void schedule(final EvCore ev, final long deadlineNs)
    {
        if (null != ev.commonQueue)
        {
            unlinkCommon(ev);
        }
        else if (!ev.inHeap())
        {
            live.setFlag(ev, EvCore.TIMEOUT);
        }
        heap.schedule(ev, deadlineNs);
    }

    /**
     * (Re)schedule the event in a common queue, out of the heap.
     *
     * @param ev         the event.
     * @param queue      the queue.
     * @param deadlineNs monotonic deadline.
     */
    void scheduleCommon(final EvCore ev, final CommonTimeoutQueue queue, final long deadlineNs)
    {
        if (ev.inHeap())
        {
            heap.remove(ev);
        }
        else if (null != ev.commonQueue)
        {
            unlinkCommon(ev);
        }
        else
        {
            live.setFlag(ev, EvCore.TIMEOUT);
        }
        if (queue.insert(ev, deadlineNs))
        {
            heap.schedule(queue, deadlineNs);
        }
    }

    /**
     * Drop the event's timeout, if any.
     *
     * @param ev the event.
     */
    void unschedule(final EvCore ev)
    {
        if (ev.inHeap())
        {
            heap.remove(ev);
            live.clearFlag(ev, EvCore.TIMEOUT);
        }
        else if (null != ev.commonQueue)
        {
            unlinkCommon(ev);
            live.clearFlag(ev, EvCore.TIMEOUT);
        }
    }

    /**
     * @param ev an event.
     * @return the monotonic deadline of its pending timeout, or -1 when none.
     */
    long deadlineOf(final EvCore ev)
    {
        if (null != ev.commonQueue)
        {
            return ev.commonDeadlineNs;
        }
        return ev.inHeap() ? ev.deadlineNs() : -1;
    }

    /**
     * @param nowNs the loop's time.
     * @return nanoseconds until the earliest deadline (0 when past), or {@link Backend#INFINITE}.
     */
    long timeoutNs(final long nowNs)
    {
        final TimerNode top = heap.peek();
        if (null == top)
        {
            return Backend.INFINITE;
        }
        return Math.max(0, top.deadlineNs() - nowNs);
    }

    /**
     * Hand every event whose deadline is not after {@code nowNs} to the {@link Expiry}, earliest first.
     *
     * @param nowNs the loop's time.
     */
    void expire(final long nowNs)
    {
        final TimerHeap heap = this.heap;
        TimerNode node;
        while (null != (node = heap.peek()) && node.deadlineNs() - nowNs <= 0)
        {
            if (node instanceof EvCore)
            {
                final EvCore top = (EvCore)node;
                heap.remove(top);
                expiry.expire(top);
            }
            else
            {
                final CommonTimeoutQueue queue = (CommonTimeoutQueue)node;
                EvCore head;
                while (null != (head = queue.head) && head.commonDeadlineNs - nowNs <= 0)
                {
                    queue.unlink(head);
                    expiry.expire(head);
                }
                rekey(queue);
            }
        }
    }

    /**
     * Take the event out of the heap or its queue without touching its flags (the base is closing).
     *
     * @param ev the event.
     */
    void forget(final EvCore ev)
    {
        if (ev.inHeap())
        {
            heap.remove(ev);
        }
        if (null != ev.commonQueue)
        {
            ev.commonQueue.unlink(ev);
        }
    }

    /**
     * Empty the heap (the base is closing).
     */
    void clear()
    {
        heap.clear();
    }

    private void unlinkCommon(final EvCore ev)
    {
        final CommonTimeoutQueue queue = ev.commonQueue;
        if (queue.unlink(ev))
        {
            rekey(queue);
        }
    }

    private void rekey(final CommonTimeoutQueue queue)
    {
        if (null == queue.head)
        {
            heap.remove(queue);
        }
        else
        {
            heap.schedule(queue, queue.head.commonDeadlineNs);
        }
    }
}
