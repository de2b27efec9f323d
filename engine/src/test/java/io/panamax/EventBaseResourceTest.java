package io.panamax;

import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing a base releases its kernel objects; busy-poll keeps the loop's semantics.
 */
class EventBaseResourceTest
{
    private static int openFds()
    {
        final String[] fds = new File("/proc/self/fd").list();
        return null == fds ? -1 : fds.length;
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    @EnabledOnOs(OS.LINUX)
    void closingBasesWithPendingAndActiveEventsReleasesEveryInternalFd(final String method)
    {
        try (TestFds fds = new TestFds())
        {
            final int[] pair = fds.pair();
            final int before = openFds();
            for (int i = 0; i < 20; i++)
            {
                final EventBase base = TestFds.base(method);
                Event.create(base, pair[0], Ev.READ | Ev.PERSIST, (fd, what) -> { }).add(1, TimeUnit.HOURS);
                Event.timer(base, (fd, what) -> { }).active(Ev.TIMEOUT);
                base.initCommonTimeout(5, TimeUnit.SECONDS);
                base.loop(EventBase.LOOP_NONBLOCK | EventBase.LOOP_ONCE);
                base.close();
            }
            assertEquals(before, openFds());
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void busyPollDeliversIoAndTimersLikeBlockingWaits(final String method)
    {
        try (TestFds fds = new TestFds();
            EventBase base = EventBase.create(EventBaseConfig.create().method(method).busyPoll(Duration.ofMillis(2))))
        {
            final int[] pair = fds.pair();
            final long start = System.nanoTime();
            final long[] firedMs = { -1 };
            final int[] reads = { 0 };
            Event.timer(base, (fd, what) -> firedMs[0] = (System.nanoTime() - start) / 1_000_000)
                .add(50, TimeUnit.MILLISECONDS);
            Event.create(base, pair[0], Ev.READ, (fd, what) -> reads[0] += (int)fds.read(fd, 16)).add();
            Event.timer(base, (fd, what) -> fds.write(pair[1], "abc")).add(10, TimeUnit.MILLISECONDS);
            assertEquals(1, base.dispatch());
            assertEquals(3, reads[0]);
            assertTrue(firedMs[0] >= 50 && firedMs[0] < 150, "timer fired at " + firedMs[0] + " ms");
        }
    }
}
