package io.panamax;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * maxDispatchInterval (libevent's {@code event_config_set_max_dispatch_interval}) and loopContinue: both send the
 * loop back to polling between callbacks of one queue.
 */
class DispatchLimitTest
{
    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void maxCallbacksPerIterationSplitsAQueueAcrossIterations(final String method)
    {
        try (EventBase base = EventBase.create(EventBaseConfig.create().method(method).maxDispatchInterval(-1, 1, 0)))
        {
            final List<String> log = new ArrayList<>();
            EvWatch.prepare(base, (w, t) -> log.add("poll"));
            for (int i = 0; i < 3; i++)
            {
                final String name = "cb" + i;
                Event.timer(base, (fd, what) -> log.add(name)).active(Ev.TIMEOUT);
            }
            base.dispatch();
            assertEquals(List.of("poll", "cb0", "poll", "cb1", "poll", "cb2"), log);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void limitsDoNotApplyToMoreUrgentPrioritiesThanMinPriority(final String method)
    {
        try (EventBase base = EventBase.create(EventBaseConfig.create().method(method).maxDispatchInterval(-1, 1, 1)))
        {
            base.priorityInit(2);
            final List<String> log = new ArrayList<>();
            EvWatch.prepare(base, (w, t) -> log.add("poll"));
            for (int i = 0; i < 2; i++)
            {
                final String name = "urgent" + i;
                final Event ev = Event.timer(base, (fd, what) -> log.add(name));
                ev.priority(0);
                ev.active(Ev.TIMEOUT);
            }
            base.dispatch();
            assertEquals(List.of("poll", "urgent0", "urgent1"), log);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void loopContinuePollsAgainAfterTheRunningCallback(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final List<String> log = new ArrayList<>();
            EvWatch.prepare(base, (w, t) -> log.add("poll"));
            Event.timer(base, (fd, what) ->
            {
                log.add("first");
                base.loopContinue();
            }).active(Ev.TIMEOUT);
            Event.timer(base, (fd, what) -> log.add("second")).active(Ev.TIMEOUT);
            base.dispatch();
            assertEquals(List.of("poll", "first", "poll", "second"), log);
        }
    }
}
