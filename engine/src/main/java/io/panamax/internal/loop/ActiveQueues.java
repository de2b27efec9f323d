package io.panamax.internal.loop;

import java.util.Arrays;

/**
 * The active queues of a loop, one FIFO per priority (libevent's {@code activequeues}), 0 the most urgent. An
 * event sits in the queue of its priority, clamped to the last queue if the base has fewer priorities than the
 * event was given. The queues are intrusive ({@link EvCore#activePrev}/{@link EvCore#activeNext}), so queueing
 * allocates nothing.
 * <p>
 * <b>Thread-safety:</b> NOT thread safe; confined to the loop thread.
 */
final class ActiveQueues
{
    private EvCore[] heads = new EvCore[1];
    private EvCore[] tails = new EvCore[1];
    private int priorities = 1;
    private int generation;

    /**
     * @return the number of queues.
     */
    int priorities()
    {
        return priorities;
    }

    /**
     * @return how many times {@link #init} replaced the queues.
     */
    int generation()
    {
        return generation;
    }

    /**
     * Replace the queues with {@code n} empty ones (the caller checked none is in use).
     *
     * @param n queues, at least 1.
     */
    void init(final int n)
    {
        generation++;
        priorities = n;
        heads = new EvCore[n];
        tails = new EvCore[n];
    }

    /**
     * @param ev an event in no queue.
     * @return the priority of the queue it was appended to.
     */
    int append(final EvCore ev)
    {
        final int p = Math.min(ev.priority, priorities - 1);
        link(p, tails[p], ev);
        return p;
    }

    /**
     * @param mark an event in the queue of {@code ev}'s priority, or null for the queue's head.
     * @param ev   an event in no queue.
     */
    void insertAfter(final EvCore mark, final EvCore ev)
    {
        link(Math.min(ev.priority, priorities - 1), mark, ev);
    }

    /** Link {@code ev} into queue {@code p} after {@code mark} (null: at the head). */
    private void link(final int p, final EvCore mark, final EvCore ev)
    {
        final EvCore next = null == mark ? heads[p] : mark.activeNext;
        ev.activePrev = mark;
        ev.activeNext = next;
        if (null == mark)
        {
            heads[p] = ev;
        }
        else
        {
            mark.activeNext = ev;
        }
        if (null == next)
        {
            tails[p] = ev;
        }
        else
        {
            next.activePrev = ev;
        }
    }

    /**
     * @param ev an event in its queue.
     */
    void unlink(final EvCore ev)
    {
        final int p = Math.min(ev.priority, priorities - 1);
        if (null != ev.activePrev)
        {
            ev.activePrev.activeNext = ev.activeNext;
        }
        else
        {
            heads[p] = ev.activeNext;
        }
        if (null != ev.activeNext)
        {
            ev.activeNext.activePrev = ev.activePrev;
        }
        else
        {
            tails[p] = ev.activePrev;
        }
        ev.activePrev = null;
        ev.activeNext = null;
    }

    /**
     * @param p a priority.
     * @return the first event of its queue, or null.
     */
    EvCore head(final int p)
    {
        return heads[p];
    }

    /**
     * @return the most urgent non-empty priority, or -1 when every queue is empty.
     */
    int firstNonEmpty()
    {
        final EvCore[] heads = this.heads;
        for (int p = 0; p < heads.length; p++)
        {
            if (null != heads[p])
            {
                return p;
            }
        }
        return -1;
    }

    /**
     * Empty every queue (the base is closing; the caller has reset the events' links).
     */
    void clear()
    {
        Arrays.fill(heads, null);
        Arrays.fill(tails, null);
    }
}
