package io.panamax;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * libevent's main/common_timeout (libevent-contracts.md §2.3, §5.5).
 */
class CommonTimeoutTest
{
    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void sameDurationGivesTheSameQueue(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final CommonTimeout ms100 = base.initCommonTimeout(100, TimeUnit.MILLISECONDS);
            final CommonTimeout ms200 = base.initCommonTimeout(200, TimeUnit.MILLISECONDS);
            final CommonTimeout s5 = base.initCommonTimeout(5, TimeUnit.SECONDS);
            assertNotEquals(ms100, ms200);
            assertNotEquals(ms200, s5);
            assertEquals(s5, base.initCommonTimeout(5_000_000, TimeUnit.MICROSECONDS));
            assertEquals(100_000_000L, ms100.durationNs());
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void persistentEventsSwitchBetweenHeapAndQueuesAndFireOnTime(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final CommonTimeout ms100 = base.initCommonTimeout(100, TimeUnit.MILLISECONDS);
            final CommonTimeout ms200 = base.initCommonTimeout(200, TimeUnit.MILLISECONDS);
            final int n = 100;
            final int[] calls = new int[n];
            final long[] lastMs = new long[n];
            final Event[] events = new Event[n];
            final long start = System.nanoTime();
            for (int i = 0; i < n; i++)
            {
                final int index = i;
                final boolean odd = 1 == (i & 1);
                events[i] = Event.create(base, -1, Ev.TIMEOUT | Ev.PERSIST, (fd, what) ->
                {
                    assertEquals(Ev.TIMEOUT, what);
                    lastMs[index] = (System.nanoTime() - start) / 1_000_000;
                    if (4 == ++calls[index])
                    {
                        events[index].del();
                    }
                    else if (1 == calls[index])
                    {
                        // Re-add through the other kind of timeout of the same duration: queue->heap or heap->queue.
                        if (0 == index % 4 || 1 == index % 4)
                        {
                            events[index].add(odd ? 100 : 200, TimeUnit.MILLISECONDS);
                        }
                        else
                        {
                            events[index].add(odd ? ms100 : ms200);
                        }
                    }
                });
                if (0 == i % 4 || 1 == i % 4)
                {
                    events[i].add(odd ? ms100 : ms200);
                }
                else
                {
                    events[i].add(odd ? 100 : 200, TimeUnit.MILLISECONDS);
                }
            }
            base.loopExit(2, TimeUnit.SECONDS);
            base.dispatch();
            assertEquals(0, base.errorCount());
            for (int i = 0; i < n; i++)
            {
                assertEquals(4, calls[i], "event " + i);
                final long expected = 1 == (i & 1) ? 400 : 800;
                assertTrue(Math.abs(lastMs[i] - expected) <= 100, "event " + i + " finished at " + lastMs[i]);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void deletingAndClosingWithEventsOnQueuesIsSafe(final String method)
    {
        final EventBase base = TestFds.base(method);
        final CommonTimeout t = base.initCommonTimeout(50, TimeUnit.MILLISECONDS);
        final int[] fired = new int[3];
        final Event[] events = new Event[3];
        for (int i = 0; i < 3; i++)
        {
            final int index = i;
            events[i] = Event.timer(base, (fd, what) -> fired[index]++);
            events[i].add(t);
        }
        assertEquals(Ev.TIMEOUT, events[0].pending(Ev.TIMEOUT));
        assertTrue(events[0].pendingExpiryNs() > 0);
        events[0].del();
        events[1].removeTimer();
        assertEquals(1, base.dispatch());
        assertEquals(0, fired[0]);
        assertEquals(0, fired[1]);
        assertEquals(1, fired[2]);
        events[2].add(t);
        base.close();
        assertTrue(base.isClosed());
    }
}
