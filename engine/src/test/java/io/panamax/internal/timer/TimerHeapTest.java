package io.panamax.internal.timer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * libevent's heap/randomized: the heap property and stored indexes hold under random push, erase, re-schedule and
 * pop, checked against a sorted model.
 */
class TimerHeapTest
{
    private static final class Node extends TimerNode
    {
        long scheduledAt;
    }

    @Test
    void randomOperationsKeepHeapOrderAndIndexes()
    {
        final Random random = new Random(42);
        final TimerHeap heap = new TimerHeap();
        final List<Node> model = new ArrayList<>();
        for (int step = 0; step < 20_000; step++)
        {
            final int op = random.nextInt(4);
            if (op <= 1 || model.isEmpty())
            {
                final Node node = new Node();
                node.scheduledAt = step;
                heap.schedule(node, random.nextInt(1000));
                model.add(node);
            }
            else if (2 == op)
            {
                final Node node = model.remove(random.nextInt(model.size()));
                heap.remove(node);
                assertFalse(node.inHeap());
            }
            else
            {
                final Node node = model.get(random.nextInt(model.size()));
                node.scheduledAt = step;
                heap.schedule(node, random.nextInt(1000));
            }
            assertEquals(model.size(), heap.size());
            checkIndexes(heap);
        }
        model.sort(Comparator.comparingLong(TimerNode::deadlineNs));
        long last = Long.MIN_VALUE;
        long lastScheduledAt = -1;
        while (!heap.isEmpty())
        {
            final Node top = (Node)heap.poll();
            assertTrue(top.deadlineNs() >= last);
            if (top.deadlineNs() == last)
            {
                assertTrue(top.scheduledAt > lastScheduledAt, "equal deadlines in scheduling order");
            }
            last = top.deadlineNs();
            lastScheduledAt = top.scheduledAt;
        }
        assertNull(heap.poll());
    }

    @Test
    void equalDeadlinesComeOutInSchedulingOrder()
    {
        final TimerHeap heap = new TimerHeap();
        final Node[] nodes = new Node[50];
        for (int i = 0; i < nodes.length; i++)
        {
            nodes[i] = new Node();
            heap.schedule(nodes[i], 7);
        }
        for (final Node node : nodes)
        {
            assertSame(node, heap.poll());
        }
    }

    @Test
    void deadlinesCompareAcrossNanoTimeWrap()
    {
        final TimerHeap heap = new TimerHeap();
        final Node late = new Node();
        final Node early = new Node();
        heap.schedule(late, Long.MIN_VALUE + 10);
        heap.schedule(early, Long.MAX_VALUE - 10);
        assertSame(early, heap.poll());
        assertSame(late, heap.poll());
    }

    private static void checkIndexes(final TimerHeap heap)
    {
        for (int i = 0; i < heap.size(); i++)
        {
            final TimerNode node = heap.nodeAt(i);
            assertEquals(i, node.heapIndex());
            if (i > 0)
            {
                final TimerNode parent = heap.nodeAt((i - 1) / 2);
                assertTrue(parent.deadlineNs() - node.deadlineNs() <= 0, "heap order at " + i);
            }
        }
    }
}
