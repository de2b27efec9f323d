package io.panamax.internal.timer;

/**
 * Something a {@link TimerHeap} can hold: it carries its own deadline and heap index, so removal is O(log n)
 * without a search (libevent's {@code min_heap_idx}).
 * <p>
 * <b>Thread-safety:</b> owned by the loop thread of the heap it is in.
 */
public abstract class TimerNode
{
    /** Index meaning "not in a heap". */
    public static final int NOT_IN_HEAP = -1;

    long deadlineNs;
    long sequence;
    int heapIndex = NOT_IN_HEAP;

    /**
     * @return the absolute deadline on the {@link System#nanoTime()} scale; meaningful while {@link #inHeap()}.
     */
    public final long deadlineNs()
    {
        return deadlineNs;
    }

    /**
     * @return true while the node is in a heap.
     */
    public final boolean inHeap()
    {
        return NOT_IN_HEAP != heapIndex;
    }

    /**
     * @return the node's index in its heap, or {@link #NOT_IN_HEAP}.
     */
    public final int heapIndex()
    {
        return heapIndex;
    }
}
