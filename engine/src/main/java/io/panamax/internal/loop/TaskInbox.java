package io.panamax.internal.loop;

import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Work from other threads for the loop thread: an Agrona {@link ManyToOneConcurrentArrayQueue} plus a
 * {@link Wakeup} written only when the loop may be asleep, at most once per sleep (design.md, style.md §3.10).
 * <p>
 * <b>Thread-safety:</b> {@link #offer} from any thread; the rest on the loop thread.
 */
final class TaskInbox
{
    private static final int AWAKE = 0;
    private static final int MAY_SLEEP = 1;
    private static final VarHandle STATE;

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(TaskInbox.class, "state", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final ManyToOneConcurrentArrayQueue<Runnable> tasks;
    private final Wakeup wakeup;
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state = AWAKE;
    private final java.util.concurrent.atomic.AtomicLong wakeupsSent = new java.util.concurrent.atomic.AtomicLong();

    TaskInbox(final int capacity, final Wakeup wakeup)
    {
        this.tasks = new ManyToOneConcurrentArrayQueue<>(capacity);
        this.wakeup = wakeup;
    }

    /**
     * @param task what to run on the loop thread.
     * @return false when the queue is full (nothing was queued).
     */
    boolean offer(final Runnable task)
    {
        if (!tasks.offer(task))
        {
            return false;
        }
        if (MAY_SLEEP == (int)STATE.getAndSet(this, AWAKE))
        {
            wakeupsSent.incrementAndGet();
            wakeup.signal();
        }
        return true;
    }

    /**
     * Publish "may sleep", then re-check the queue (no lost wake-up).
     *
     * @return true when the loop may block.
     */
    boolean prepareToSleep()
    {
        STATE.setVolatile(this, MAY_SLEEP);
        return tasks.isEmpty();
    }

    /**
     * Back from a wait.
     */
    void awake()
    {
        STATE.setRelease(this, AWAKE);
    }

    /**
     * @return true when no task is waiting.
     */
    boolean isEmpty()
    {
        return tasks.isEmpty();
    }

    /**
     * @return wake-ups written so far (racy; for tests).
     */
    long wakeupsSent()
    {
        return wakeupsSent.get();
    }

    /**
     * Take one task.
     *
     * @return the task, or null.
     */
    Runnable poll()
    {
        return tasks.poll();
    }
}
