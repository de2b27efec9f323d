package io.panamax;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Owner-thread checks and the cross-thread paths: execute, loopBreak, loopExit, Event.active/add/del from other
 * threads (libevent's del_notify, del_timeout_notify, thread/*).
 */
class EventBaseThreadingTest
{
    private final TestFds fds = new TestFds();

    @AfterEach
    void tearDown()
    {
        fds.close();
    }

    private static CompletableFuture<Void> later(final long delayMs, final Runnable action)
    {
        return CompletableFuture.runAsync(() ->
        {
            EventBaseTest.sleep(delayMs);
            action.run();
        });
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void crossThreadDelOfLastEventMakesDispatchReturn(final String method) throws Exception
    {
        try (EventBase base = TestFds.base(method))
        {
            final Event ev = Event.create(base, -1, Ev.READ, (fd, what) -> { });
            ev.add();
            final CompletableFuture<Void> other = later(50, ev::del);
            final long start = System.nanoTime();
            assertEquals(1, base.dispatch());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1));
            other.get(5, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void crossThreadDelOfPersistentTimerMakesDispatchReturn(final String method) throws Exception
    {
        try (EventBase base = TestFds.base(method))
        {
            final Event ev = Event.create(base, -1, Ev.PERSIST, (fd, what) -> { });
            ev.add(5, TimeUnit.SECONDS);
            final CompletableFuture<Void> other = later(50, ev::del);
            final long start = System.nanoTime();
            assertEquals(1, base.dispatch());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1));
            other.get(5, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void crossThreadActiveAndAddRunOnTheLoopThread(final String method) throws Exception
    {
        try (EventBase base = TestFds.base(method))
        {
            final Thread loopThread = Thread.currentThread();
            final AtomicReference<Thread> ranOn = new AtomicReference<>();
            final AtomicInteger what = new AtomicInteger();
            final Event user = Event.timer(base, (fd, w) ->
            {
                what.getAndAccumulate(w, (a, b) -> a | b);
                if (null == ranOn.getAndSet(Thread.currentThread()))
                {
                    base.loopBreak();
                }
            });
            final Event keepAlive = Event.timer(base, (fd, w) -> { });
            keepAlive.add(10, TimeUnit.SECONDS);
            final CompletableFuture<Void> other = later(30, () ->
            {
                user.active(Ev.READ);
                user.active(Ev.WRITE);
            });
            base.dispatch();
            other.get(5, TimeUnit.SECONDS);
            assertSame(loopThread, ranOn.get());
            assertTrue(0 != (what.get() & Ev.READ));
            final AtomicInteger fired = new AtomicInteger();
            final Event timer = Event.timer(base, (fd, w) -> fired.incrementAndGet());
            final CompletableFuture<Void> adder = later(0, () -> timer.add(1, TimeUnit.MILLISECONDS));
            adder.get(5, TimeUnit.SECONDS);
            base.loopExit(200, TimeUnit.MILLISECONDS);
            base.dispatch();
            assertEquals(1, fired.get());
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void executeWakesASleepingLoopAndWakeupsNeverExceedSleeps(final String method) throws Exception
    {
        try (EventBase base = TestFds.base(method))
        {
            final int tasks = 200;
            final CountDownLatch done = new CountDownLatch(tasks);
            final AtomicInteger sleeps = new AtomicInteger();
            final io.panamax.internal.loop.Loop loop = base.loop();
            loop.watchers().addPrepare(timeoutNs ->
            {
                if (0 != timeoutNs)
                {
                    sleeps.incrementAndGet();
                }
            });
            Event.timer(base, (fd, w) -> { }).add(10, TimeUnit.SECONDS);
            final CompletableFuture<Void> other = later(30, () ->
            {
                for (int i = 0; i < tasks; i++)
                {
                    base.execute(done::countDown);
                }
                base.execute(base::loopBreak);
            });
            final long start = System.nanoTime();
            base.dispatch();
            other.get(5, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
            assertEquals(0, done.getCount());
            assertTrue(loop.wakeupsSent() >= 1, "no wake-up sent");
            assertTrue(loop.wakeupsSent() <= sleeps.get(), loop.wakeupsSent() + " wake-ups for " + sleeps + " sleeps");
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void loopBreakAndLoopExitWorkFromOtherThreads(final String method) throws Exception
    {
        try (EventBase base = TestFds.base(method))
        {
            Event.timer(base, (fd, w) -> { }).add(10, TimeUnit.SECONDS);
            CompletableFuture<Void> other = later(30, base::loopBreak);
            assertEquals(0, base.dispatch());
            other.get(5, TimeUnit.SECONDS);
            assertTrue(base.gotBreak());
            other = later(30, () -> base.loopExit(10, TimeUnit.MILLISECONDS));
            assertEquals(0, base.dispatch());
            other.get(5, TimeUnit.SECONDS);
            assertTrue(base.gotExit());
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void ownerOnlyCallsFromAnotherThreadThrow(final String method) throws Exception
    {
        try (EventBase base = TestFds.base(method))
        {
            final Event ev = Event.timer(base, (fd, w) -> { });
            final Throwable[] thrown = new Throwable[3];
            final Thread t = new Thread(() ->
            {
                thrown[0] = catching(() -> ev.pending(Ev.TIMEOUT));
                thrown[1] = catching(() -> base.priorityInit(2));
                thrown[2] = catching(() -> Event.timer(base, (fd, w) -> { }));
            });
            t.start();
            t.join(5000);
            for (final Throwable e : thrown)
            {
                assertInstanceOf(IllegalStateException.class, e);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void closeFromAnotherThreadWhileRunningClosesWhenLoopReturns(final String method) throws Exception
    {
        final EventBase base = TestFds.base(method);
        Event.timer(base, (fd, w) -> { }).add(10, TimeUnit.SECONDS);
        final CompletableFuture<Void> other = later(30, base::close);
        assertEquals(0, base.dispatch());
        other.get(5, TimeUnit.SECONDS);
        assertTrue(base.isClosed());
        assertThrows(IllegalStateException.class, () -> base.execute(() -> { }));
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void closingFromACallbackClosesAfterTheLoopReturns(final String method)
    {
        final EventBase base = TestFds.base(method);
        final int[] pair = fds.pair();
        Event.create(base, pair[0], Ev.WRITE | Ev.PERSIST, (fd, w) -> base.close()).add();
        assertEquals(0, base.dispatch());
        assertTrue(base.isClosed());
    }

    private static Throwable catching(final Runnable r)
    {
        try
        {
            r.run();
            return null;
        }
        catch (final Throwable t)
        {
            return t;
        }
    }
}
