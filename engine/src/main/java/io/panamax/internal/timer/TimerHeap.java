package io.panamax.internal.timer;

import java.util.Arrays;

/**
 * Binary min-heap of {@link TimerNode}s keyed by deadline; ties go to the node scheduled first, so timers with
 * one deadline fire in the order they were added. Each node stores its own index: {@link #remove} and
 * {@link #schedule} of a node already in the heap are O(log n) with no search (libevent's
 * {@code minheap-internal.h}, including its re-adjust in place instead of remove + insert). Each slot's deadline and
 * sequence are kept in arrays beside the node array, so a sift compares array entries instead of loading each
 * child node (the nodes are scattered objects, and removing the earliest timer sifts down the whole height).
 * <p>
 * <b>Thread-safety:</b> NOT thread safe; confined to the loop thread.
 */
public final class TimerHeap
{
    private static final int INITIAL_CAPACITY = 8;

    private TimerNode[] nodes = new TimerNode[INITIAL_CAPACITY];
    private long[] deadlines = new long[INITIAL_CAPACITY];
    private long[] sequences = new long[INITIAL_CAPACITY];
    private int size;
    private long nextSequence;

    /**
     * @return nodes in the heap.
     */
    public int size()
    {
        return size;
    }

    /**
     * @return true when no node is in the heap.
     */
    public boolean isEmpty()
    {
        return 0 == size;
    }

    /**
     * @return the node with the earliest deadline, or null when empty.
     */
    public TimerNode peek()
    {
        return 0 == size ? null : nodes[0];
    }

    /**
     * @param index 0 ≤ index &lt; {@link #size()}.
     * @return the node at that heap slot (for walks that visit every timer).
     */
    public TimerNode nodeAt(final int index)
    {
        return nodes[index];
    }

    /**
     * Insert the node, or move it if it is already in this heap.
     *
     * @param node       the node.
     * @param deadlineNs its new absolute deadline.
     */
    public void schedule(final TimerNode node, final long deadlineNs)
    {
        final long sequence = nextSequence++;
        node.deadlineNs = deadlineNs;
        node.sequence = sequence;
        if (node.inHeap())
        {
            final int index = node.heapIndex;
            final int parent = (index - 1) >>> 1;
            if (index > 0 && less(deadlineNs, sequence, deadlines[parent], sequences[parent]))
            {
                siftUp(index, node, deadlineNs, sequence);
            }
            else
            {
                siftDown(index, node, deadlineNs, sequence);
            }
            return;
        }
        if (size == nodes.length)
        {
            nodes = Arrays.copyOf(nodes, size << 1);
            deadlines = Arrays.copyOf(deadlines, size << 1);
            sequences = Arrays.copyOf(sequences, size << 1);
        }
        siftUp(size++, node, deadlineNs, sequence);
    }

    /**
     * Remove the node; no-op when it is not in the heap.
     *
     * @param node the node.
     */
    public void remove(final TimerNode node)
    {
        final int index = node.heapIndex;
        if (TimerNode.NOT_IN_HEAP == index)
        {
            return;
        }
        node.heapIndex = TimerNode.NOT_IN_HEAP;
        final int last = --size;
        final TimerNode moved = nodes[last];
        nodes[last] = null;
        if (index == last)
        {
            return;
        }
        final long deadlineNs = deadlines[last];
        final long sequence = sequences[last];
        final int parent = (index - 1) >>> 1;
        if (index > 0 && less(deadlineNs, sequence, deadlines[parent], sequences[parent]))
        {
            siftUp(index, moved, deadlineNs, sequence);
        }
        else
        {
            siftDown(index, moved, deadlineNs, sequence);
        }
    }

    /**
     * Remove and return the earliest node.
     *
     * @return the node, or null when empty.
     */
    public TimerNode poll()
    {
        final TimerNode top = peek();
        if (null != top)
        {
            remove(top);
        }
        return top;
    }

    /**
     * Drop every node (used when the owner closes).
     */
    public void clear()
    {
        for (int i = 0; i < size; i++)
        {
            nodes[i].heapIndex = TimerNode.NOT_IN_HEAP;
            nodes[i] = null;
        }
        size = 0;
    }

    private static boolean less(final long deadlineA, final long sequenceA, final long deadlineB, final long sequenceB)
    {
        final long diff = deadlineA - deadlineB;
        return diff < 0 || (0 == diff && sequenceA < sequenceB);
    }

    private void siftUp(final int start, final TimerNode node, final long deadlineNs, final long sequence)
    {
        final TimerNode[] nodes = this.nodes;
        final long[] deadlines = this.deadlines;
        final long[] sequences = this.sequences;
        int index = start;
        while (index > 0)
        {
            final int parent = (index - 1) >>> 1;
            if (!less(deadlineNs, sequence, deadlines[parent], sequences[parent]))
            {
                break;
            }
            final TimerNode p = nodes[parent];
            nodes[index] = p;
            deadlines[index] = deadlines[parent];
            sequences[index] = sequences[parent];
            p.heapIndex = index;
            index = parent;
        }
        place(index, node, deadlineNs, sequence);
    }

    private void siftDown(final int start, final TimerNode node, final long deadlineNs, final long sequence)
    {
        final TimerNode[] nodes = this.nodes;
        final long[] deadlines = this.deadlines;
        final long[] sequences = this.sequences;
        final int size = this.size;
        int index = start;
        while (true)
        {
            int child = (index << 1) + 1;
            if (child >= size)
            {
                break;
            }
            final int right = child + 1;
            if (right < size && less(deadlines[right], sequences[right], deadlines[child], sequences[child]))
            {
                child = right;
            }
            if (!less(deadlines[child], sequences[child], deadlineNs, sequence))
            {
                break;
            }
            final TimerNode c = nodes[child];
            nodes[index] = c;
            deadlines[index] = deadlines[child];
            sequences[index] = sequences[child];
            c.heapIndex = index;
            index = child;
        }
        place(index, node, deadlineNs, sequence);
    }

    private void place(final int index, final TimerNode node, final long deadlineNs, final long sequence)
    {
        nodes[index] = node;
        deadlines[index] = deadlineNs;
        sequences[index] = sequence;
        node.heapIndex = index;
    }
}
