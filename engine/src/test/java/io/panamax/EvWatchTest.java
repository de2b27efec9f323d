package io.panamax;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * libevent's watch/callback_ordering (libevent-contracts.md §2.3).
 */
class EvWatchTest
{
    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void watchersRunInOrderEveryIterationAndAClosedOneStopsAlone(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final List<String> log = new ArrayList<>();
            final EvWatch p1 = EvWatch.prepare(base, (w, t) -> log.add("p1"));
            EvWatch.prepare(base, (w, t) -> log.add("p2"));
            EvWatch.check(base, (w, t) -> log.add("c1"));
            EvWatch.check(base, (w, t) -> log.add("c2"));
            base.loop(EventBase.LOOP_NONBLOCK | EventBase.LOOP_NO_EXIT_ON_EMPTY);
            assertEquals(List.of("p1", "p2", "c1", "c2"), log);
            log.clear();
            p1.close();
            base.loop(EventBase.LOOP_NONBLOCK | EventBase.LOOP_NO_EXIT_ON_EMPTY);
            assertEquals(List.of("p2", "c1", "c2"), log);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void prepareReportsTheWaitTimeout(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final List<Long> timeouts = new ArrayList<>();
            EvWatch.prepare(base, (w, t) ->
            {
                timeouts.add(t);
                base.loopBreak();
                base.execute(() -> { });
            });
            final Event timer = Event.timer(base, (fd, what) -> { });
            timer.add(1, TimeUnit.SECONDS);
            base.loop(EventBase.LOOP_NONBLOCK);
            base.loop(EventBase.LOOP_ONCE);
            timer.del();
            base.loop(EventBase.LOOP_NO_EXIT_ON_EMPTY);
            assertEquals(3, timeouts.size(), timeouts.toString());
            assertEquals(0, timeouts.get(0));
            assertTrue(Math.abs(timeouts.get(1) - 1_000_000_000L) < 100_000_000L, timeouts.toString());
            assertEquals(-1, timeouts.get(2));
        }
    }
}
