package io.panamax;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What callbacks of one wait see of each other, on every backend: libevent activates all of a wait's ready events
 * before it runs any, and epoll runs them straight from its walk when it can (io.panamax.internal.loop.LoopReady);
 * both must give the same callbacks, bits and order. Each test makes several socketpairs readable before one
 * {@code LOOP_ONCE}, so a single wait reports them all.
 */
class EventReadyOrderTest
{
    private final TestFds fds = new TestFds();

    @AfterEach
    void tearDown()
    {
        fds.close();
    }

    /** {@code count} socketpairs with a byte to read; returns their read ends. */
    private int[] readable(final int count)
    {
        final int[] ends = new int[count];
        for (int i = 0; i < count; i++)
        {
            final int[] pair = fds.pair();
            fds.write(pair[1], "x");
            ends[i] = pair[0];
        }
        return ends;
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void eventActivatedByACallbackRunsAfterEveryReadyEventOfTheWait(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] ends = readable(3);
            final List<String> order = new ArrayList<>();
            final Event later = Event.timer(base, (fd, what) -> order.add("activated"));
            for (int i = 0; i < ends.length; i++)
            {
                final String name = "fd" + i;
                Event.create(base, ends[i], Ev.READ | Ev.PERSIST, (fd, what) ->
                {
                    fds.read(fd, 16);
                    if (order.isEmpty())
                    {
                        later.active(Ev.TIMEOUT);
                    }
                    order.add(name);
                }).add();
            }
            assertEquals(0, base.loop(EventBase.LOOP_ONCE));
            assertEquals(4, order.size(), order.toString());
            assertEquals("activated", order.get(3), order.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void twoEventsOfOneReadyFdRunBeforeWhatAnEarlierCallbackActivated(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            // Readable before they are registered: every backend here then reports them in registration order.
            final int[] ends = readable(2);
            final List<String> order = new ArrayList<>();
            final Event later = Event.timer(base, (fd, what) -> order.add("activated"));
            Event.create(base, ends[0], Ev.READ | Ev.PERSIST, (fd, what) ->
            {
                fds.read(fd, 16);
                order.add("first");
                later.active(Ev.TIMEOUT);
            }).add();
            Event.create(base, ends[1], Ev.READ, (fd, what) -> order.add("second")).add();
            Event.create(base, ends[1], Ev.READ, (fd, what) -> order.add("second")).add();
            assertEquals(0, base.loop(EventBase.LOOP_ONCE));
            assertEquals(List.of("first", "second", "second", "activated"), order);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void readyEventDeletedByAnEarlierCallbackOfTheWaitDoesNotRun(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] ends = readable(2);
            final List<Integer> ran = new ArrayList<>();
            final Event[] events = new Event[2];
            for (int i = 0; i < 2; i++)
            {
                final int me = i;
                events[i] = Event.create(base, ends[i], Ev.READ | Ev.PERSIST, (fd, what) ->
                {
                    ran.add(me);
                    events[1 - me].del();
                });
                events[i].add();
            }
            assertEquals(0, base.loop(EventBase.LOOP_ONCE));
            assertEquals(1, ran.size(), ran.toString());
            assertEquals(0, events[1 - ran.get(0)].pending(Ev.READ));
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void eventAddedOnAReadyFdByACallbackWaitsForTheNextWait(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] ends = readable(2);
            final List<String> ran = new ArrayList<>();
            final Event[] events = new Event[2];
            final Event[] replacements = new Event[2];
            for (int i = 0; i < 2; i++)
            {
                final int me = i;
                replacements[i] = Event.create(base, ends[i], Ev.READ, (fd, what) -> ran.add("new" + me));
                events[i] = Event.create(base, ends[i], Ev.READ, (fd, what) ->
                {
                    ran.add("old" + me);
                    // Replace the other fd's event: the new one was not there when the wait found the fd ready.
                    events[1 - me].del();
                    replacements[1 - me].add();
                });
                events[i].add();
            }
            assertEquals(0, base.loop(EventBase.LOOP_ONCE));
            assertEquals(1, ran.size(), ran.toString());
            final int first = ran.get(0).charAt(3) - '0';
            assertEquals(0, base.loop(EventBase.LOOP_ONCE));
            assertEquals(List.of("old" + first, "new" + (1 - first)), ran);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void readyEventsActivatedAgainByTheFirstCallbackRunInWaitOrderOnceWithBothBits(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            // Readable before they are registered: every backend here then reports them in registration order.
            final int[] ends = readable(3);
            final List<String> ran = new ArrayList<>();
            final Event[] events = new Event[3];
            for (int i = 0; i < 3; i++)
            {
                final int me = i;
                events[i] = Event.create(base, ends[i], Ev.READ | Ev.PERSIST, (fd, what) ->
                {
                    fds.read(fd, 16);
                    ran.add(me + ":" + what);
                    if (1 == ran.size())
                    {
                        // Activated in the reverse of the wait's order: they still run in the wait's order.
                        for (int j = 2; j >= 0; j--)
                        {
                            if (j != me)
                            {
                                events[j].active(Ev.TIMEOUT);
                            }
                        }
                    }
                });
                events[i].add();
            }
            assertEquals(0, base.loop(EventBase.LOOP_ONCE));
            final int both = Ev.READ | Ev.TIMEOUT;
            assertEquals(List.of("0:" + Ev.READ, "1:" + both, "2:" + both), ran);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void loopBreakInACallbackLeavesTheWaitsOtherReadyEventsActive(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] ends = readable(3);
            final List<Integer> ran = new ArrayList<>();
            final Event[] events = new Event[3];
            for (int i = 0; i < 3; i++)
            {
                final int me = i;
                events[i] = Event.create(base, ends[i], Ev.READ | Ev.PERSIST, (fd, what) ->
                {
                    fds.read(fd, 16);
                    ran.add(me);
                    base.loopBreak();
                });
                events[i].add();
            }
            assertEquals(0, base.loop(EventBase.LOOP_ONCE));
            assertEquals(1, ran.size(), ran.toString());
            assertTrue(base.gotBreak());
            assertEquals(2, base.numEvents(EventBase.COUNT_ACTIVE));
            assertEquals(0, base.loop(EventBase.LOOP_ONCE | EventBase.LOOP_NONBLOCK));
            assertEquals(2, ran.size(), "the next loop runs them one break at a time: " + ran);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void timerAddedWithNoDelayByACallbackRunsInTheNextIteration(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] ends = readable(1);
            final List<String> ran = new ArrayList<>();
            final Event timer = Event.timer(base, (fd, what) -> ran.add("timer"));
            Event.create(base, ends[0], Ev.READ, (fd, what) ->
            {
                ran.add("read");
                timer.add(0, TimeUnit.NANOSECONDS);
            }).add();
            assertEquals(0, base.loop(EventBase.LOOP_ONCE));
            assertEquals(List.of("read"), ran);
            assertEquals(0, base.loop(EventBase.LOOP_ONCE));
            assertEquals(List.of("read", "timer"), ran);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void oneShotEventReadyAndTimedOutInOneWaitRunsOnceWithBothBits(final String method) throws Exception
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] ends = readable(1);
            final List<Integer> what = new ArrayList<>();
            final Event ev = Event.create(base, ends[0], Ev.READ, (fd, w) -> what.add(w));
            ev.add(1, TimeUnit.MILLISECONDS);
            Thread.sleep(5);
            assertEquals(0, base.loop(EventBase.LOOP_ONCE));
            assertEquals(List.of(Ev.READ | Ev.TIMEOUT), what);
            assertEquals(0, ev.pending(Ev.READ | Ev.TIMEOUT));
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void maxEventsCountsEveryEventAWaitFoundReadyAsActive(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] ends = readable(3);
            for (final int end : ends)
            {
                Event.create(base, end, Ev.READ | Ev.PERSIST, (fd, what) -> fds.read(fd, 16)).add();
            }
            base.maxEvents(EventBase.COUNT_ACTIVE | EventBase.COUNT_ADDED, true);
            assertEquals(0, base.loop(EventBase.LOOP_ONCE));
            assertEquals(3, base.maxEvents(EventBase.COUNT_ACTIVE, false));
            assertEquals(6, base.maxEvents(EventBase.COUNT_ADDED, false));
            assertEquals(0, base.numEvents(EventBase.COUNT_ACTIVE));
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void loopNonblockRunsReadyCallbacksUntilAWaitFindsNothing(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] ends = readable(2);
            final int[] calls = new int[1];
            for (final int end : ends)
            {
                Event.create(base, end, Ev.READ | Ev.PERSIST, (fd, what) ->
                {
                    calls[0]++;
                    fds.read(fd, 16);
                }).add();
            }
            assertEquals(0, base.loop(EventBase.LOOP_NONBLOCK));
            assertEquals(2, calls[0]);
        }
    }
}
