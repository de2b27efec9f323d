package io.panamax.internal.loop;

import io.panamax.Ev;
import io.panamax.EventBaseConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deferred callbacks: queued once with OR-ed bits, at most 32 per iteration, after the active events, and a
 * self-rescheduling callback does not starve timers or I/O (libevent's active_later).
 */
class DeferredQueueTest
{
    private Loop loop;

    @BeforeEach
    void setUp()
    {
        loop = null;
    }

    @AfterEach
    void tearDown()
    {
        if (null != loop)
        {
            loop.close();
        }
    }

    /** Created on the test's own thread, which becomes the loop's owner. */
    private Loop loop()
    {
        if (null == loop)
        {
            loop = new Loop(EventBaseConfig.create());
        }
        return loop;
    }

    private static final class Recorder extends DeferredCallback
    {
        final List<Integer> runs = new ArrayList<>();
        boolean again;

        Recorder(final Loop loop)
        {
            super(loop);
        }

        @Override
        protected void run(final int bits)
        {
            runs.add(bits);
            if (again)
            {
                schedule(1);
            }
        }
    }

    @Test
    void scheduledTwiceRunsOnceWithBitsOred()
    {
        final Recorder r = new Recorder(loop());
        assertTrue(r.schedule(1));
        assertFalse(r.schedule(4));
        assertTrue(r.isQueued());
        assertEquals(1, loop().loop(Loop.LOOP_NONBLOCK));
        assertEquals(List.of(5), r.runs);
        assertFalse(r.isQueued());
    }

    @Test
    void cancelledCallbackDoesNotRun()
    {
        final Recorder r = new Recorder(loop());
        r.schedule(1);
        r.cancel();
        loop().loop(Loop.LOOP_NONBLOCK);
        assertEquals(List.of(), r.runs);
        r.schedule(2);
        loop().loop(Loop.LOOP_NONBLOCK);
        assertEquals(List.of(2), r.runs);
    }

    @Test
    void atMostThirtyTwoRunPerIteration()
    {
        final List<Recorder> all = new ArrayList<>();
        for (int i = 0; i < 40; i++)
        {
            final Recorder r = new Recorder(loop());
            r.schedule(1);
            all.add(r);
        }
        final List<Long> ranBeforeIteration = new ArrayList<>();
        loop().watchers().addPrepare(timeoutNs -> ranBeforeIteration.add(all.stream().filter(r -> !r.runs.isEmpty())
            .count()));
        loop().loop(Loop.LOOP_ONCE | Loop.LOOP_NONBLOCK);
        assertEquals(List.of(0L, 32L), ranBeforeIteration);
        assertEquals(40, all.stream().filter(r -> !r.runs.isEmpty()).count());
    }

    @Test
    void deferredRunsAfterTheActiveEventsOfItsIteration()
    {
        final List<String> order = new ArrayList<>();
        final DeferredCallback d = new DeferredCallback(loop())
        {
            @Override
            protected void run(final int bits)
            {
                order.add("deferred");
            }
        };
        final EvCore ev = new EvCore(loop(), -1, 0, (fd, what) ->
        {
            order.add("event");
            d.schedule(1);
        }, null);
        final EvCore ev2 = new EvCore(loop(), -1, 0, (fd, what) -> order.add("event2"), null);
        loop().active(ev, Ev.TIMEOUT, 1);
        loop().active(ev2, Ev.TIMEOUT, 1);
        loop().loop(Loop.LOOP_ONCE | Loop.LOOP_NONBLOCK);
        assertEquals(List.of("event", "event2", "deferred"), order);
    }

    @Test
    void selfReschedulingCallbackDoesNotStarveTimers()
    {
        loop().loop(Loop.LOOP_NONBLOCK | Loop.LOOP_NO_EXIT_ON_EMPTY); // link the wait's handles before timing
        final Recorder r = new Recorder(loop());
        r.again = true;
        r.schedule(1);
        final int[] fired = { 0 };
        final EvCore timer = new EvCore(loop(), -1, 0, (fd, what) ->
        {
            fired[0]++;
            loop().loopBreak();
        }, null);
        loop().add(timer, 50_000_000);
        assertEquals(0, loop().loop(0));
        assertEquals(1, fired[0]);
        assertTrue(r.isQueued(), "the callback stopped re-scheduling itself");
        assertTrue(r.runs.size() >= 1);
    }

    @Test
    void scheduleFromAnotherThreadThrows() throws Exception
    {
        final Recorder r = new Recorder(loop());
        final Throwable[] thrown = new Throwable[1];
        final Thread t = new Thread(() ->
        {
            try
            {
                r.schedule(1);
            }
            catch (final Throwable ex)
            {
                thrown[0] = ex;
            }
        });
        t.start();
        t.join(5000);
        assertTrue(thrown[0] instanceof IllegalStateException);
        assertThrows(IllegalStateException.class, () ->
        {
            loop().close();
            r.schedule(1);
        });
    }

    @Test
    void scratchSegmentsAreReusedAndFreedWithTheLoop()
    {
        final java.lang.foreign.MemorySegment iov = loop().iovecScratch(4);
        assertTrue(iov.byteSize() >= 4 * io.panamax.ffm.IovecDescriptor.LENGTH);
        assertTrue(iov == loop().iovecScratch(16));
        assertTrue(loop().iovecScratch(1024).byteSize() >= 1024 * io.panamax.ffm.IovecDescriptor.LENGTH);
        assertThrows(IllegalArgumentException.class, () -> loop().iovecScratch(0));
        final java.lang.foreign.MemorySegment callState = loop().callState();
        loop().close();
        assertFalse(callState.scope().isAlive());
    }
}
