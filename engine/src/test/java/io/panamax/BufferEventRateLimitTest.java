package io.panamax;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-bufferevent rate limits (libevent's {@code bufferevent_ratelim.c}) on real socketpairs, on every backend.
 * Bounds are derived from the token bucket itself: a bucket starting at {@code rate} can have handed out at most
 * {@code rate × (ticks elapsed + 1)} bytes, so N bytes take at least {@code (N − rate)/rate − 1} whole ticks.
 */
@ExtendWith(PoolWholeExtension.class)
class BufferEventRateLimitTest
{
    private static final long TICK_MS = 20;
    private static final long RATE = 1000;
    private static final long BURST = 1500;

    private final TestFds fds = new TestFds();

    @AfterEach
    void tearDown()
    {
        fds.close();
    }

    /** A tick so long (about 24.8 days) that no refill happens during a test: levels change only by hand. */
    private static EvTokenBucketCfg frozen(final long readRate, final long readBurst, final long writeRate,
        final long writeBurst)
    {
        return EvTokenBucketCfg.create(readRate, readBurst, writeRate, writeBurst, EvTokenBucketCfg.MAX_TICK_SECONDS,
            TimeUnit.SECONDS);
    }

    /** Wait (at most one tick) until the current tick has at least 3/4 of it left, so asserts see no refill. */
    private static void awaitTickStart(final long tickMs)
    {
        final long tickNs = TimeUnit.MILLISECONDS.toNanos(tickMs);
        while (Math.floorMod(System.nanoTime(), tickNs) > tickNs / 4)
        {
            Thread.onSpinWait();
        }
    }

    private static EvTokenBucketCfg cfg()
    {
        return EvTokenBucketCfg.create(RATE, BURST, RATE, BURST, TICK_MS, TimeUnit.MILLISECONDS);
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void rateLimitedReaderTakesTheTicksTheBucketAllowsAndNoReadExceedsIt(final String method)
    {
        final int n = 12_000;
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final byte[] data = BufferEventTest.pattern(n);
            assertEquals(n, fds.write(pair[1], data));
            final byte[] received = new byte[n];
            final int[] got = new int[3];
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], 0))
            {
                bev.setRateLimit(cfg());
                assertTrue(bev.maxToRead() <= BURST);
                bev.setCallbacks(b ->
                {
                    final int len = (int)b.input().length();
                    got[1] = Math.max(got[1], len);
                    got[2]++;
                    assertTrue(b.readLimit() <= BURST);
                    b.read(received, got[0], len);
                    got[0] += len;
                }, null, (b, what) -> got[2] = -1000);
                final long start = System.nanoTime();
                bev.enable(Ev.READ);
                assertTrue(Loops.runUntil(base, () -> got[0] >= n, 3000), "received " + got[0]);
                final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertArrayEquals(data, received);
                assertTrue(got[1] > 0 && got[1] <= BURST, "largest read " + got[1]);
                assertTrue(got[2] >= n / BURST, "read callbacks " + got[2] + " (an event callback is -1000)");
                final long minTicks = (n - RATE) / RATE - 1;
                assertTrue(elapsedMs >= minTicks * TICK_MS, elapsedMs + " ms < " + minTicks + " ticks");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void rateLimitedWriterTakesTheTicksTheBucketAllowsAndNoWriteExceedsIt(final String method)
    {
        final int n = 12_000;
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final byte[] data = BufferEventTest.pattern(n);
            final long[] maxDrained = new long[2];
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], 0))
            {
                bev.setRateLimit(cfg());
                bev.output().addCb((buf, info) ->
                {
                    maxDrained[0] = Math.max(maxDrained[0], info.nDeleted());
                    maxDrained[1] += info.nDeleted();
                });
                final long start = System.nanoTime();
                assertEquals(0, bev.write(data));
                final byte[] received = new byte[n];
                final int[] got = new int[1];
                assertTrue(Loops.runUntil(base, () ->
                {
                    final long r = fds.read(pair[1], n - got[0]);
                    if (r > 0)
                    {
                        System.arraycopy(fds.lastRead((int)r), 0, received, got[0], (int)r);
                        got[0] += (int)r;
                    }
                    return got[0] >= n;
                }, 3000), "received " + got[0]);
                final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertArrayEquals(data, received);
                assertEquals(n, maxDrained[1]);
                assertTrue(maxDrained[0] > 0 && maxDrained[0] <= BURST, "largest write " + maxDrained[0]);
                final long minTicks = (n - RATE) / RATE - 1;
                assertTrue(elapsedMs >= minTicks * TICK_MS, elapsedMs + " ms < " + minTicks + " ticks");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void zeroBudgetSuspendsReadingAndTheRefillTimerResumesIt(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final int[] reads = new int[2];
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], 0))
            {
                bev.setRateLimit(EvTokenBucketCfg.create(RATE, BURST, RATE, BURST, 200, TimeUnit.MILLISECONDS));
                bev.setCallbacks(b ->
                {
                    reads[0]++;
                    reads[1] += (int)b.input().length();
                    b.input().drain(b.input().length());
                }, null, (b, what) -> reads[0] = -1000);
                bev.enable(Ev.READ);
                awaitTickStart(200);
                final long start = System.nanoTime();
                bev.decrementReadLimit(bev.readLimit());
                assertEquals(0, bev.readLimit(), "a bucket at exactly 0");
                assertEquals(0, bev.maxToRead());
                assertTrue(0 != (bev.readSuspended & BufferEvent.SUSPEND_BW), "suspended by the bucket");
                assertEquals(Ev.READ | Ev.WRITE, bev.enabled(), "suspension is apart from enabled");
                assertTrue(bev.rateLimit.refillArmed());
                // One tick's worth of deficit: the first refill (at the next tick) brings the level back to exactly
                // 0, which must re-arm the timer and read nothing; the second gives RATE.
                bev.decrementReadLimit(RATE);
                assertEquals(-RATE, bev.readLimit());
                assertEquals(5, fds.write(pair[1], "hello"));
                Loops.runUntil(base, () -> false, 50);
                assertEquals(0, reads[0], "nothing read on a 0-byte budget (no zero-sized read either)");
                assertTrue(Loops.runUntil(base, () -> reads[1] >= 5, 2000), "the refill timer resumed reading");
                final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(elapsedMs >= 200 && elapsedMs < 1500, "two tick starts passed: " + elapsedMs + " ms");
                assertEquals(1, reads[0], "one read of the 5 bytes, no empty callback and no EOF");
                assertEquals(0, bev.readSuspended & BufferEvent.SUSPEND_BW);
                assertFalse(bev.rateLimit.refillArmed(), "one timer, gone once the bucket is positive");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void decrementCrossingZeroSuspendsAndNegativeDecrementResumes(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final int[] got = new int[1];
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], 0))
            {
                assertThrows(IllegalStateException.class, () -> bev.decrementReadLimit(1), "no limit set");
                bev.setRateLimit(frozen(RATE, BURST, RATE, BURST));
                bev.setCallbacks(b ->
                {
                    got[0] += (int)b.input().length();
                    b.input().drain(b.input().length());
                }, null, null);
                bev.enable(Ev.READ);
                bev.decrementReadLimit(RATE + 500);
                assertEquals(-500, bev.readLimit(), "deficit spending: the level goes negative");
                assertTrue(0 != (bev.readSuspended & BufferEvent.SUSPEND_BW));
                assertTrue(bev.rateLimit.refillArmed());
                assertEquals(3, fds.write(pair[1], "abc"));
                Loops.runUntil(base, () -> false, 50);
                assertEquals(0, got[0], "suspended: nothing read");
                bev.decrementReadLimit(-600);
                assertEquals(100, bev.readLimit());
                assertEquals(0, bev.readSuspended & BufferEvent.SUSPEND_BW, "crossing zero upwards resumes");
                assertFalse(bev.rateLimit.refillArmed(), "the timer is dropped when nothing waits for it");
                assertTrue(Loops.runUntil(base, () -> got[0] == 3, 2000));

                bev.decrementWriteLimit(RATE);
                assertEquals(0, bev.writeLimit());
                assertTrue(0 != (bev.writeSuspended & BufferEvent.SUSPEND_BW));
                assertEquals(0, bev.write(new byte[] { 1, 2 }));
                Loops.runUntil(base, () -> false, 50);
                assertTrue(fds.read(pair[1], 10) < 0, "nothing written while suspended (EAGAIN)");
                bev.decrementWriteLimit(-10);
                assertEquals(0, bev.writeSuspended & BufferEvent.SUSPEND_BW);
                assertTrue(Loops.runUntil(base, () -> 0 == bev.output().length(), 2000));
                assertEquals(2, fds.read(pair[1], 10));
                assertEquals(8, bev.writeLimit());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void removingTheLimitResumesAtFullSpeed(final String method)
    {
        final int n = 60_000;
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final int[] got = new int[1];
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], 0))
            {
                final EvTokenBucketCfg slow = EvTokenBucketCfg.create(100, 100, 100, 100);
                bev.setRateLimit(slow);
                assertSame(slow, bev.tokenBucketCfg());
                bev.setCallbacks(b ->
                {
                    got[0] += (int)b.input().length();
                    b.input().drain(b.input().length());
                }, null, null);
                bev.enable(Ev.READ);
                assertEquals(n, fds.write(pair[1], BufferEventTest.pattern(n)));
                assertTrue(Loops.runUntil(base, () -> got[0] > 0, 2000));
                assertEquals(100, got[0], "one tick's worth, then suspended for a second");
                assertTrue(0 != (bev.readSuspended & BufferEvent.SUSPEND_BW));
                bev.setRateLimit(null);
                assertNull(bev.tokenBucketCfg());
                assertEquals(Long.MAX_VALUE, bev.readLimit());
                assertEquals(BufferEvent.MAX_SINGLE_DEFAULT, bev.maxToRead());
                assertEquals(0, bev.readSuspended);
                assertFalse(bev.rateLimit.refillArmed());
                assertTrue(Loops.runUntil(base, () -> got[0] == n, 900),
                    "the rest well before the next tick: " + got[0]);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void closeWithTheRefillTimerArmedLeavesNoEventBehind(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final int before = base.numEvents(EventBase.COUNT_ADDED | EventBase.COUNT_ACTIVE);
            final BufferEvent bev = BufferEvent.socket(base, pair[0], 0);
            bev.setRateLimit(EvTokenBucketCfg.create(RATE, BURST, RATE, BURST, 10, TimeUnit.SECONDS));
            bev.enable(Ev.READ);
            assertEquals(3, fds.write(pair[1], "xyz"));
            bev.decrementReadLimit(RATE);
            bev.decrementWriteLimit(RATE);
            assertTrue(bev.rateLimit.refillArmed());
            assertTrue(base.numEvents(EventBase.COUNT_ADDED) > before);
            bev.close();
            assertFalse(bev.rateLimit.refillArmed());
            assertEquals(before, base.numEvents(EventBase.COUNT_ADDED | EventBase.COUNT_ACTIVE));
            final long start = System.nanoTime();
            assertEquals(1, base.dispatch(), "nothing pending: the loop returns at once");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
            assertThrows(IllegalStateException.class, () -> bev.setRateLimit(cfg()));
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void replacingTheCfgClipsTheLevelsDownAndKeepsThemOtherwise(final String method)
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], 0))
            {
                bev.setRateLimit(frozen(1000, 2000, 800, 1600));
                assertEquals(1000, bev.readLimit(), "a new bucket holds one tick's worth (the rate), as in libevent");
                assertEquals(800, bev.writeLimit());
                bev.setRateLimit(frozen(5, 300, 5, 2000));
                assertEquals(300, bev.readLimit(), "clipped to the new burst");
                assertEquals(800, bev.writeLimit(), "kept: this tick's bytes are not given again");
                bev.setMaxSingleRead(100);
                assertEquals(100, bev.maxToRead(), "maxSingleRead is the smaller cap");
                assertEquals(800, bev.maxToWrite(), "the bucket is the smaller cap");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.panamax.TestFds#methods")
    void threadsafeBufferEventIsSuspendedAndResumedFromAnotherThread(final String method) throws Exception
    {
        try (EventBase base = TestFds.base(method))
        {
            final int[] pair = fds.pair();
            final int[] got = new int[1];
            try (BufferEvent bev = BufferEvent.socket(base, pair[0], BevOpt.THREADSAFE))
            {
                bev.setCallbacks(b ->
                {
                    got[0] += (int)b.input().length();
                    b.input().drain(b.input().length());
                }, null, null);
                bev.enable(Ev.READ);
                final Thread suspender = new Thread(() ->
                {
                    bev.setRateLimit(frozen(RATE, BURST, RATE, BURST));
                    bev.decrementReadLimit(RATE + 1);
                });
                suspender.start();
                suspender.join(5000);
                assertEquals(-1, bev.readLimit());
                assertTrue(Loops.runUntil(base, () -> bev.rateLimit.refillArmed(), 2000),
                    "the loop armed the refill timer asked for by the other thread");
                assertEquals(2, fds.write(pair[1], "hi"));
                Loops.runUntil(base, () -> false, 50);
                assertEquals(0, got[0], "suspended from the other thread: nothing read");
                final Thread resumer = new Thread(() -> bev.decrementReadLimit(-(RATE + 1)));
                resumer.start();
                resumer.join(5000);
                assertTrue(Loops.runUntil(base, () -> got[0] == 2, 2000), "resumed from the other thread");
            }
        }
    }
}
