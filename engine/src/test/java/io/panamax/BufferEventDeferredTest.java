package io.panamax;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deferred callbacks are decided at delivery (libevent #1809): two bufferevents get data in the same loop
 * iteration, so both deferred read callbacks are queued before either runs; whichever runs first disables the
 * other's reading and/or clears its callbacks, and the other's read callback must then not run.
 */
@ExtendWith(PoolWholeExtension.class)
class BufferEventDeferredTest
{
    /** What the first callback does to the other bufferevent. */
    enum Cut
    {
        DISABLE_READ, CLEAR_CALLBACKS, BOTH
    }

    static List<Arguments> cases()
    {
        final int[] options = {
            BevOpt.DEFER_CALLBACKS, BevOpt.THREADSAFE | BevOpt.DEFER_CALLBACKS | BevOpt.UNLOCK_CALLBACKS };
        final List<Arguments> cases = new ArrayList<>();
        for (final String method : EventBase.supportedMethods())
        {
            for (final int option : options)
            {
                for (final Cut cut : Cut.values())
                {
                    cases.add(Arguments.of(method, option, cut));
                }
            }
        }
        return cases;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void readCallbackQueuedBeforeDisableOrClearedCallbacksDoesNotRun(
        final String method, final int options, final Cut cut)
    {
        try (TestFds fds = new TestFds();
            EventBase base = TestFds.base(method))
        {
            final int[] p0 = fds.pair();
            final int[] p1 = fds.pair();
            try (BufferEvent a = BufferEvent.socket(base, p0[1], options);
                BufferEvent b = BufferEvent.socket(base, p1[1], options))
            {
                final BufferEvent[] bevs = { a, b };
                final List<Integer> ran = new ArrayList<>();
                for (int i = 0; i < 2; i++)
                {
                    final int me = i;
                    final BufferEvent other = bevs[1 - i];
                    bevs[i].setCallbacks(bev ->
                    {
                        ran.add(me);
                        if (1 == ran.size())
                        {
                            cutOff(other, cut);
                        }
                    }, null, null);
                    bevs[i].enable(Ev.READ);
                }
                assertEquals(5, fds.write(p0[0], "hello"));
                assertEquals(5, fds.write(p1[0], "world"));
                assertTrue(Loops.runUntil(base, () -> !ran.isEmpty(), 5000), "a read callback within 5 s");
                Loops.runFor(base, 50);
                assertEquals(1, ran.size(), "only the first read callback ran: " + ran);
                final BufferEvent other = bevs[1 - ran.get(0)];
                assertEquals(5, other.input().length(), "the other's bytes stay in its input");
                assertEquals(cut == Cut.CLEAR_CALLBACKS ? Ev.READ | Ev.WRITE : Ev.WRITE, other.enabled());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void enableReadAfterADroppedNotificationDeliversTheBytesOnce(
        final String method, final int options, final Cut cut)
    {
        try (TestFds fds = new TestFds();
            EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            try (BufferEvent bev = BufferEvent.socket(base, pair[1], options))
            {
                final List<Long> seen = new ArrayList<>();
                final BevDataCallback reader = b -> seen.add(b.input().length());
                bev.enable(Ev.READ);
                assertEquals(3, fds.write(pair[0], "abc"));
                assertTrue(Loops.runUntil(base, () -> 3 == bev.input().length(), 5000), "read without a callback");
                bev.setCallbacks(reader, null, null);
                bev.trigger(Ev.READ, BevTrig.DEFER_CALLBACKS);
                cutOff(bev, cut);
                Loops.runFor(base, 30);
                assertEquals(List.of(), seen, "cut off before delivery: no read callback");
                bev.setCallbacks(reader, null, null);
                bev.enable(Ev.READ);
                Loops.runFor(base, 30);
                if (cut == Cut.CLEAR_CALLBACKS)
                {
                    assertEquals(List.of(), seen, "as libevent: a notice whose callback was cleared is gone");
                }
                else
                {
                    assertEquals(List.of(3L), seen, "enable(READ) delivers the dropped notice once");
                }
            }
        }
    }

    private static void cutOff(final BufferEvent bev, final Cut cut)
    {
        if (cut != Cut.CLEAR_CALLBACKS)
        {
            bev.disable(Ev.READ);
        }
        if (cut != Cut.DISABLE_READ)
        {
            bev.setCallbacks(null, null, null);
        }
    }
}
