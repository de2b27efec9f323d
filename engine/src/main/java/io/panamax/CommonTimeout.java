package io.panamax;

import io.panamax.internal.loop.CommonTimeoutQueue;

/**
 * A common timeout of one base (what libevent's {@code event_base_init_common_timeout} returns as a "magic"
 * timeval): events added with {@link Event#add(CommonTimeout)} wait this duration in a FIFO queue, O(1) to add and
 * remove, with only the queue's head in the timer heap. Use it for timeouts thousands of events share (idle,
 * read and write timeouts of connections).
 * <p>
 * <b>Thread-safety:</b> immutable; use it with events of its base, on the base's owner thread.
 */
public final class CommonTimeout
{
    private final EventBase base;
    private final CommonTimeoutQueue queue;

    CommonTimeout(final EventBase base, final CommonTimeoutQueue queue)
    {
        this.base = base;
        this.queue = queue;
    }

    CommonTimeoutQueue queue()
    {
        return queue;
    }

    /**
     * @return the base it belongs to.
     */
    public EventBase base()
    {
        return base;
    }

    /**
     * @return the duration in nanoseconds.
     */
    public long durationNs()
    {
        return queue.durationNs();
    }

    /**
     * @param other another object.
     * @return true for a handle on the same queue (the same duration of the same base).
     */
    @Override
    public boolean equals(final Object other)
    {
        return other instanceof CommonTimeout && ((CommonTimeout)other).queue == queue;
    }

    /**
     * @return a hash of the queue.
     */
    @Override
    public int hashCode()
    {
        return System.identityHashCode(queue);
    }
}
