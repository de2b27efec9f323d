package io.panamax.internal.timer;

import java.util.Arrays;

/**
 * Binary min-heap of {@link TimerNode}s keyed by deadline; ties go to the node scheduled first, so timers with
 * one deadline fire in the order they were added. Each node stores its own index: {@link #remove} and
 * {@link #schedule} of a node already in the heap are O(log n) with no search (libevent's
 * {@code minheap-internal.h}, including its re-adjust in place instead of remove + insert).
 * <p>
 * <b>Thread-safety:</b> NOT thread safe; confined to the loop thread.
 */
public final class TimerHeap
{
    private static final int INITIAL_CAPACITY = 8;

    private TimerNode[] nodes = new TimerNode[INITIAL_CAPACITY];
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
        node.deadlineNs = deadlineNs;
        node.sequence = nextSequence++;
        if (node.inHeap())
        {
            final int index = node.heapIndex;
            if (index > 0 && less(node, nodes[(index - 1) >>> 1]))
            {
                siftUp(index, node);
            }
            else
            {
                siftDown(index, node);
            }
            return;
        }
        if (size == nodes.length)
        {
            nodes = Arrays.copyOf(nodes, size << 1);
        }
        siftUp(size++, node);
    }

    /**
     * Remove the node; a node that is not in the heap is ignored.
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
        if (index > 0 && less(moved, nodes[(index - 1) >>> 1]))
        {
            siftUp(index, moved);
        }
        else
        {
            siftDown(index, moved);
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

    private static boolean less(final TimerNode a, final TimerNode b)
    {
        final long diff = a.deadlineNs - b.deadlineNs;
        return diff < 0 || (0 == diff && a.sequence < b.sequence);
    }

    private void siftUp(final int start, final TimerNode node)
    {
        final TimerNode[] nodes = this.nodes;
        int index = start;
        while (index > 0)
        {
            final int parent = (index - 1) >>> 1;
            final TimerNode p = nodes[parent];
            if (!less(node, p))
            {
                break;
            }
            nodes[index] = p;
            p.heapIndex = index;
            index = parent;
        }
        nodes[index] = node;
        node.heapIndex = index;
    }

    private void siftDown(final int start, final TimerNode node)
    {
        final TimerNode[] nodes = this.nodes;
        final int size = this.size;
        int index = start;
        while (true)
        {
            int child = (index << 1) + 1;
            if (child >= size)
            {
                break;
            }
            if (child + 1 < size && less(nodes[child + 1], nodes[child]))
            {
                child++;
            }
            final TimerNode c = nodes[child];
            if (!less(c, node))
            {
                break;
            }
            nodes[index] = c;
            c.heapIndex = index;
            index = child;
        }
        nodes[index] = node;
        node.heapIndex = index;
    }
}
